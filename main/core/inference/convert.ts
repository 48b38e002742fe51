// A TensorFlow.js layers model (a run's saved weights, or a layers backbone) as ONNX, written by
// Capa's own exporter and cached beside the model: `<parent>/inference/<folder>.onnx`, with the
// hash of the model's files it was made from. New weights (another epoch saved, a backbone
// downloaded again) change the hash, and the next use converts again.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Said } from '../../../preload/contract';
import { nested, said } from '../../../common/messages/said';
import { writeFileAtomically } from '../files/atomic';
import { buildOnnx, onnxCannotExpress } from '../export/onnx';
import { readSavedModel, type SavedLayer } from '../export/saved-model';

/** Name of the cache folder beside a model folder. */
export const INFERENCE_FOLDER = 'inference';

/** The cached ONNX file of the model in `modelDir`. */
export const onnxCachePath = (modelDir: string): string => join(dirname(modelDir), INFERENCE_FOLDER, `${basename(modelDir)}.onnx`);

/** Hash of model.json and every weight file it names: what the conversion depends on. */
export async function modelFingerprint(modelDir: string): Promise<string> {
  const json = await readFile(join(modelDir, 'model.json'));
  const hash = createHash('sha256').update(json);
  const manifest = (JSON.parse(json.toString('utf8')) as { weightsManifest?: { paths: string[] }[] }).weightsManifest ?? [];
  for (const path of manifest.flatMap((group) => group.paths)) hash.update(await readFile(join(modelDir, path)));
  return hash.digest('hex');
}

/** The converted model, or why it cannot be converted (a layer the converter cannot express, named). */
export type Conversion = { onnx: Uint8Array; fromCache: boolean } | { refused: Said };

/** The first layer (looking inside nested networks) the ONNX writer cannot express, as a sentence naming it. */
function refusal(layers: readonly SavedLayer[]): Said | null {
  for (const layer of layers) {
    const why = onnxCannotExpress(layer);
    if (why) return said('runs.inference.cannotConvert', { layer: layer.name, why: nested(why) });
  }
  return null;
}

/**
 * The ONNX form of the layers model in `modelDir`, from the cache when it was made from the same
 * files, else converted and cached. `features` converts a backbone: a final feature map is
 * pooled, the output holds its features.
 */
export async function convertLayersModel(modelDir: string, options: { features?: boolean } = {}): Promise<Conversion> {
  const fingerprint = await modelFingerprint(modelDir);
  const path = onnxCachePath(modelDir);
  const stamp = `${path}.sha256`;
  const [cached, cachedStamp] = await Promise.all([readFile(path).catch(() => null), readFile(stamp, 'utf8').catch(() => null)]);
  if (cached && cachedStamp === fingerprint) return { onnx: new Uint8Array(cached), fromCache: true };

  const model = await readSavedModel(modelDir);
  const refused = refusal(model.layers);
  if (refused) return { refused };
  let onnx: Uint8Array;
  try {
    onnx = buildOnnx(model, options.features ? null : classCountOf(model.layers));
  } catch (error) {
    return { refused: said('runs.inference.convertFailed', { reason: error instanceof Error ? error.message : String(error) }) };
  }
  await writeFileAtomically(path, onnx);
  await writeFileAtomically(stamp, new TextEncoder().encode(fingerprint));
  return { onnx, fromCache: false };
}

/** Units of the last Dense layer: the number of classes of a classifier. */
function classCountOf(layers: readonly SavedLayer[]): number {
  const dense = layers.findLast((layer) => layer.className === 'Dense');
  return Number(dense?.config['units'] ?? 1);
}
