// Reads a TensorFlow.js model folder without loading TensorFlow.js: its format, the image size
// it takes, how long its feature vector is, and its files. Core never imports TensorFlow.js, so
// this reads model.json only; the trainer checks the feature length again when it runs the model.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CapaError } from '../../../common/messages/errors';
import { said } from '../../../common/messages/said';
import { MINUS_ONE_TO_ONE, ZERO_TO_ONE, type BackboneNormalization } from '../../../common/backbones/catalogue';
import { paramsOf, safeRelative, weightFiles } from './download';

/** What a model folder holds. */
export interface FolderModel {
  format: 'graph' | 'layers';
  /** Square input size in pixels. */
  inputSize: number;
  /** Length of the feature vector (see featureCount). */
  features: number;
  /** Number of weights. */
  params: number;
  /** Bytes of every file. */
  bytes: number;
  /** Weight files relative to model.json. */
  weightPaths: string[];
  /** Pixel scaling, read from the model (see pixelScaling). */
  normalization: BackboneNormalization;
  /** Why that scaling: the model rescales bytes itself, its family's convention, or the format's usual one. */
  normalizationSource: 'rescaling' | 'family' | 'format';
  /** The model's name in model.json (its family, when it is a known one). */
  modelName: string;
  /** SHA-256 of model.json. */
  hash: string;
}

type Dim = number | null | string | { size?: string | number };

const sizeOf = (dim: Dim | undefined): number => Number(typeof dim === 'object' && dim !== null ? dim.size : dim);

/** The [batch, height, width, channels] of the model's first input, wherever model.json keeps it. */
function inputShape(json: Record<string, unknown>, format: 'graph' | 'layers'): number[] {
  const topology = json['modelTopology'] as Record<string, unknown> | undefined;
  if (format === 'layers') {
    const config = ((topology?.['model_config'] as Record<string, unknown> | undefined) ?? topology)?.['config'] as
      { layers?: { config?: Record<string, unknown> }[] } | undefined;
    const first = config?.layers?.[0]?.config;
    return ((first?.['batch_input_shape'] ?? first?.['batch_shape']) as Dim[] | undefined)?.map(sizeOf) ?? [];
  }
  const signature = json['signature'] as { inputs?: Record<string, { tensorShape?: { dim?: Dim[] } }> } | undefined;
  const fromSignature = Object.values(signature?.inputs ?? {})[0]?.tensorShape?.dim;
  if (fromSignature) return fromSignature.map(sizeOf);
  const nodes = (topology?.['node'] as { op?: string; attr?: { shape?: { shape?: { dim?: Dim[] } } } }[] | undefined) ?? [];
  return nodes.find((node) => node.op === 'Placeholder')?.attr?.shape?.shape?.dim?.map(sizeOf) ?? [];
}

/**
 * Length of the feature vector: the last dimension of a graph model's signature output when it
 * has one, else of the last weight (a layers model ends with its last convolution or
 * normalisation). The trainer runs the model and uses what it really gives.
 */
function featureCount(json: Record<string, unknown>): number {
  const signature = json['signature'] as { outputs?: Record<string, { tensorShape?: { dim?: Dim[] } }> } | undefined;
  const fromSignature = sizeOf(Object.values(signature?.outputs ?? {})[0]?.tensorShape?.dim?.at(-1));
  if (fromSignature > 0) return fromSignature;
  const all = ((json['weightsManifest'] as { weights: { shape: number[] }[] }[] | undefined) ?? []).flatMap((group) => group.weights);
  return all.at(-1)?.shape.at(-1) ?? 0;
}

/** The model's name in model.json, or ''. */
function modelNameOf(json: Record<string, unknown>): string {
  const topology = json['modelTopology'] as Record<string, unknown> | undefined;
  const model = (topology?.['model_config'] as LayerJson | undefined) ?? (topology as LayerJson | undefined) ?? {};
  return String(model.config?.['name'] ?? '');
}

/** Raw bytes [0, 255]: for a model whose own first layers (Rescaling) scale them. */
export const RAW_BYTES: BackboneNormalization = { scale: 1, offset: 0 };

interface LayerJson {
  class_name?: string;
  config?: Record<string, unknown> & { layers?: LayerJson[] };
}

/** The layers in order, nested models opened. */
function flatLayers(layers: LayerJson[] | undefined): LayerJson[] {
  return (layers ?? []).flatMap((layer) => (Array.isArray(layer.config?.layers) ? flatLayers(layer.config.layers) : [layer]));
}

/**
 * How a layers model wants its pixels, read from model.json: a Rescaling layer among its first
 * layers means it scales bytes itself; else its family by name (Keras's MobileNets and
 * Inception/Xception take [-1, 1], EfficientNet and ConvNeXt scale inside, so bytes); else [-1, 1],
 * the convention of Keras's applications. A graph model (TF Hub) takes [0, 1].
 */
export function pixelScaling(
  json: Record<string, unknown>,
  format: 'graph' | 'layers',
): { normalization: BackboneNormalization; source: FolderModel['normalizationSource'] } {
  if (format === 'graph') return { normalization: ZERO_TO_ONE, source: 'format' };
  const topology = json['modelTopology'] as Record<string, unknown> | undefined;
  const model = (topology?.['model_config'] as LayerJson | undefined) ?? (topology as LayerJson | undefined) ?? {};
  const layers = flatLayers(model.config?.layers).filter((layer) => layer.class_name !== 'InputLayer');
  const rescaling = layers.slice(0, 3).find((layer) => layer.class_name === 'Rescaling');
  if (rescaling) return { normalization: RAW_BYTES, source: 'rescaling' };
  const name = modelNameOf(json).toLowerCase();
  if (/efficientnet|convnext/.test(name)) return { normalization: RAW_BYTES, source: 'family' };
  if (/mobilenet|inception|xception|nasnet/.test(name)) return { normalization: MINUS_ONE_TO_ONE, source: 'family' };
  return { normalization: MINUS_ONE_TO_ONE, source: 'format' };
}

export async function describeFolderModel(path: string): Promise<FolderModel> {
  const modelJsonPath = join(path, 'model.json');
  if (!existsSync(modelJsonPath)) {
    throw new CapaError('not-found', said('errors.backboneFolder.noModelJson', { folder: path }));
  }
  const text = await readFile(modelJsonPath, 'utf8');
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new CapaError('invalid-argument', said('errors.backboneFolder.notJson', { file: modelJsonPath }));
  }
  const topology = json['modelTopology'] as Record<string, unknown> | undefined;
  const format = json['format'] === 'graph-model' || Array.isArray(topology?.['node']) ? 'graph' : 'layers';
  const shape = inputShape(json, format);
  const [height, width, channels] = [shape[1], shape[2], shape[3]];
  if (!height || !width || height !== width || channels !== 3) {
    const received = shape.map((d) => (Number.isFinite(d) && d > 0 ? d : 'None')).join(', ');
    throw new CapaError('invalid-argument', said('errors.backboneFolder.notSquareRgb', { folder: path, shape: received }));
  }
  const weights = weightFiles(json);
  const paths = weights.paths.map(safeRelative);
  let bytes = text.length;
  for (const relative of paths) {
    const file = join(path, relative);
    if (!existsSync(file)) throw new CapaError('not-found', said('errors.backboneFolder.weightMissing', { file: relative, folder: path }));
    bytes += (await stat(file)).size;
  }
  return {
    format,
    inputSize: height,
    features: featureCount(json),
    params: paramsOf(json),
    bytes,
    weightPaths: paths,
    ...(({ normalization, source }) => ({ normalization, normalizationSource: source }))(pixelScaling(json, format)),
    modelName: modelNameOf(json),
    hash: createHash('sha256').update(text).digest('hex'),
  };
}
