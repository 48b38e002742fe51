// Reads and writes TensorFlow.js layers models (model.json + weights.bin) in a folder. The
// file:// handlers exist only in tfjs-node, so these work on every backend. Writes go to a
// temporary name first and are renamed into place, so a crash never leaves a half-written file.
import { mkdir, readFile } from 'node:fs/promises';
import { writeFileAtomically } from '../core/files/atomic';
import { dirname, join } from 'node:path';
import type { Tf } from './tf';

type LayersModel = import('@tensorflow/tfjs').LayersModel;
type ModelArtifacts = import('@tensorflow/tfjs').io.ModelArtifacts;
type ModelJSON = import('@tensorflow/tfjs').io.ModelJSON;

/** File names inside a model folder. */
export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/** Writes a model's artifacts into `dir` (created if needed). */
export async function writeArtifacts(tf: Tf, dir: string, artifacts: ModelArtifacts): Promise<void> {
  await mkdir(dir, { recursive: true });
  const weights = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
  const modelJson: ModelJSON = {
    modelTopology: artifacts.modelTopology as ModelJSON['modelTopology'],
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
    ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
  };
  // Weights first: until model.json is renamed, the old model.json still describes the same
  // layout (same network), so a reader never sees a manifest without its weights.
  await writeFileAtomically(join(dir, WEIGHTS_BIN), new Uint8Array(weights));
  await writeFileAtomically(join(dir, MODEL_JSON), JSON.stringify(modelJson));
}

/** Saves a layers model (topology + weights, no optimizer state) into `dir`. */
export async function saveModel(tf: Tf, model: LayersModel, dir: string): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      await writeArtifacts(tf, dir, artifacts);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

/** Reads model.json and its weight files from `dir` into memory (layers or graph models). */
export async function readArtifacts(tf: Tf, dir: string): Promise<ModelArtifacts> {
  const modelJsonPath = join(dir, MODEL_JSON);
  const modelJson = JSON.parse(await readFile(modelJsonPath, 'utf8')) as ModelJSON;
  return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
    const specs = manifest.flatMap((group) => group.weights);
    const buffers: ArrayBuffer[] = [];
    for (const group of manifest) {
      for (const path of group.paths) {
        const bytes = await readFile(join(dirname(modelJsonPath), path));
        buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
      }
    }
    return [specs, tf.io.CompositeArrayBuffer.join(buffers)];
  });
}

/** Loads a layers model saved by saveModel (or any tfjs layers model folder). */
export async function loadModel(tf: Tf, dir: string): Promise<LayersModel> {
  return tf.loadLayersModel(tf.io.fromMemory(await readArtifacts(tf, dir)));
}
