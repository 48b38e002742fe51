// Reads a run's saved TensorFlow.js layers model (model.json + weights.bin) into plain data:
// the layers in order with their Keras-style configs, and each layer's weights as named
// Float32Arrays. No TensorFlow here: every exporter works from this, so exporting needs no tensors.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Said } from '../../../preload/contract';
import { CapaError } from '../../../common/messages/errors';
import { nested, said } from '../../../common/messages/said';

/** One weight array of a layer, in TensorFlow.js's (and Keras's) layout. */
export interface SavedWeight {
  /** Short name within its layer, e.g. "kernel", "bias", "moving_mean". */
  name: string;
  /** Dimensions, e.g. [3, 3, 16, 32] for a Conv2D kernel (height, width, in, out). */
  shape: number[];
  /** Values, row-major. */
  values: Float32Array;
  /** Its full name in model.json's weights manifest, e.g. "conv2d_Conv2D1/kernel". */
  path: string;
}

/** One layer of the saved model. */
export interface SavedLayer {
  /** Keras class name as TensorFlow.js writes it, e.g. "Conv2D". */
  className: string;
  /** The layer's name in model.json, e.g. "conv2d_Conv2D1". */
  name: string;
  /** Keras-style config (snake_case keys), as in model.json. */
  config: Record<string, unknown>;
  /** Trainable weights first, then the others (Keras's order too). */
  weights: SavedWeight[];
}

/** A saved sequential model, tensor-free. */
export interface SavedModel {
  /** Input shape without the batch: [height, width, channels], or [features] for a transfer run's head. */
  inputShape: number[];
  layers: SavedLayer[];
  /** The original model.json topology, for formats that copy it. */
  topology: unknown;
}

interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: string;
}
interface LayerJson {
  class_name: string;
  config: Record<string, unknown> & { layers?: LayerJson[] };
}
interface ModelJson {
  modelTopology: { class_name: string; config: { name?: string; layers: LayerJson[] } };
  weightsManifest: { paths: string[]; weights: ManifestEntry[] }[];
}

/** Class names of a functional network's topology. */
const functional = new Set(['Model', 'Functional']);

const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** Reads `dir/model.json` and its weight files. */
export async function readSavedModel(dir: string): Promise<SavedModel> {
  const path = join(dir, 'model.json');
  if (!existsSync(path)) throw new CapaError('not-found', said('model.savedModel.none', { dir }));
  const json = JSON.parse(await readFile(path, 'utf8')) as ModelJson;
  // A functional network (a pretrained backbone) reads as a sequential model of one nested network.
  const topology = functional.has(json.modelTopology.class_name)
    ? { class_name: 'Sequential', config: { name: json.modelTopology.config.name, layers: [json.modelTopology as LayerJson] } }
    : json.modelTopology;
  if (topology.class_name !== 'Sequential')
    throw new CapaError('internal', said('model.savedModel.notSequential', { found: topology.class_name }));
  const layers: SavedLayer[] = inlineSequential(topology.config.layers).map((layer) => ({
    className: layer.class_name,
    name: String(layer.config['name']),
    config: layer.config,
    weights: [],
  }));
  // A nested model left whole (a pretrained network whose layers branch) owns its inner layers' weights.
  const byName = new Map(layers.flatMap((layer) => innerNames(layer.config).map((name) => [name, layer] as const)));
  for (const group of json.weightsManifest) {
    const bytes = Buffer.concat(await Promise.all(group.paths.map((p) => readFile(join(dir, p)))));
    let offset = 0;
    for (const entry of group.weights) {
      // Runs save float32 only; anything else would be a model Capa did not write.
      if (entry.dtype !== 'float32')
        throw new CapaError('internal', said('model.savedModel.notFloat32', { weight: entry.name, dtype: entry.dtype }));
      const count = size(entry.shape);
      const values = new Float32Array(count);
      new Uint8Array(values.buffer).set(bytes.subarray(offset, offset + count * 4));
      offset += count * 4;
      const slash = entry.name.lastIndexOf('/');
      const layer = byName.get(entry.name.slice(0, slash));
      if (!layer) throw new CapaError('internal', said('model.savedModel.orphanWeight', { weight: entry.name }));
      layer.weights.push({ name: entry.name.slice(slash + 1), shape: entry.shape, values, path: entry.name });
    }
  }
  // The input shape sits on an explicit InputLayer (Capa's models since spec version 2) or on the first layer.
  const batchShape = firstBatchShape(topology.config.layers);
  if (!batchShape || batchShape.length < 2) throw new CapaError('internal', said('model.savedModel.noInputShape'));
  const body = layers[0]!.className === 'InputLayer' ? layers.slice(1) : layers;
  return { inputShape: batchShape.slice(1).map(Number), layers: body, topology };
}

/**
 * The layers with every nested Sequential model (a fine-tuned run's pretrained network, when it
 * is a plain stack) replaced by its own layers, so each format sees one flat stack. The nested
 * model's input shape is dropped: only the outer model's first layer states one.
 */
function inlineSequential(layers: LayerJson[]): LayerJson[] {
  return layers.flatMap((layer) => {
    if (layer.class_name !== 'Sequential' || !Array.isArray(layer.config.layers)) return [layer];
    return inlineSequential(layer.config.layers.filter((inner) => inner.class_name !== 'InputLayer')).map((inner) => {
      const { batch_input_shape: _shape, ...config } = inner.config;
      return { ...inner, config };
    });
  });
}

/** The input shape (with batch) the first layer states, looking into a nested model that comes first. */
function firstBatchShape(layers: LayerJson[]): (number | null)[] | undefined {
  const first = layers[0];
  if (!first) return undefined;
  return (
    (first.config['batch_input_shape'] as (number | null)[] | undefined) ??
    (first.config.layers ? firstBatchShape(first.config.layers) : undefined)
  );
}

/** A layer's name and, for a nested model, every inner layer's name (its weights are named after those). */
function innerNames(config: LayerJson['config']): string[] {
  return [String(config['name']), ...(config.layers ?? []).flatMap((inner) => innerNames(inner.config))];
}

/** A weight of a layer by short name; a bug if missing (the layer's class fixes its weights). */
export function weightOf(layer: SavedLayer, name: string): SavedWeight {
  const weight = layer.weights.find((w) => w.name === name);
  if (!weight) throw new Error(`Layer ${layer.name} has no weight "${name}".`);
  return weight;
}

/** One layer of a nested functional network, as model.json stores it. */
interface NestedLayer {
  class_name: string;
  config: Record<string, unknown>;
  /** Each call of the layer: the [layer name, node, tensor, kwargs] it reads. */
  inbound_nodes?: [string, number, number, unknown][][];
}

/** A nested network left whole (its layers branch): its layers and its input and output layer names, or null. */
export function nestedNetwork(layer: SavedLayer): { layers: NestedLayer[]; input: string; output: string } | null {
  const layers = layer.config['layers'];
  const inputs = layer.config['input_layers'] as [string][] | undefined;
  const outputs = layer.config['output_layers'] as [string][] | undefined;
  if (!Array.isArray(layers) || inputs?.length !== 1 || outputs?.length !== 1) return null;
  return { layers: layers as NestedLayer[], input: inputs[0]![0], output: outputs[0]![0] };
}

/** A nested network's layer as a SavedLayer with its own weights. */
export function innerLayer(outer: SavedLayer, inner: NestedLayer): SavedLayer {
  const name = String(inner.config['name']);
  return {
    className: inner.class_name,
    name,
    config: inner.config,
    weights: outer.weights.filter((w) => w.path.slice(0, w.path.lastIndexOf('/')) === name),
  };
}

/**
 * Why a format's writer (whose per-layer check is `check`) cannot write a nested network (a
 * fine-tuned run's pretrained network, e.g. MobileNet with residual additions), or null.
 */
export function nestedCannotExpress(layer: SavedLayer, check: (layer: SavedLayer) => Why | null): Why | null {
  const network = nestedNetwork(layer);
  if (!network) return said('model.savedModel.nestedInputs');
  for (const inner of network.layers) {
    if ((inner.inbound_nodes?.length ?? 0) > 1) return said('model.savedModel.sharedLayer', { inner: String(inner.config['name']) });
    if (inner.class_name === 'InputLayer' || inner.class_name === 'Add') continue;
    const why = check(innerLayer(layer, inner));
    // The inner reason is said inside this one ({{innerWhy, said}} in the catalogue), with its own values.
    if (why)
      return said('model.savedModel.innerLayer', {
        inner: String(inner.config['name']),
        innerClass: inner.class_name,
        innerWhy: nested(why),
      });
  }
  return null;
}

/** Why a format cannot write a layer: a sentence without the layer's name, said inside the one naming the layer. */
export type Why = Said;
