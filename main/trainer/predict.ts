// Classifies images with a saved layers model. The last model loaded stays in memory, keyed by
// its folder and the time model.json changed, so a stream of predictions loads it once.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { InputSpec } from '../core/spec/spec';
import { loadModel, MODEL_JSON } from './model-files';
import { predictionBatches } from './pipeline';
import type { ImageSource } from './protocol';
import type { Tf } from './tf';

type LayersModel = import('@tensorflow/tfjs').LayersModel;
type Tensor = import('@tensorflow/tfjs').Tensor;

let cached: { key: string; model: LayersModel } | null = null;

/** The saved model in `modelDir`, loaded once while it does not change. */
export async function modelFor(tf: Tf, modelDir: string): Promise<LayersModel> {
  let changed: number;
  try {
    changed = (await stat(join(modelDir, MODEL_JSON))).mtimeMs;
  } catch {
    throw new Error(`No trained model in ${modelDir}: the run has no saved weights.`);
  }
  const key = `${modelDir}\n${changed}`;
  if (cached?.key === key) return cached.model;
  forgetModel();
  const model = await loadModel(tf, modelDir);
  cached = { key, model };
  return model;
}

/** Frees the cached model. */
export function forgetModel(): void {
  cached?.model.dispose();
  cached = null;
}

/** Images classified at once: memory stays flat however many a request sends. */
export const PREDICT_BATCH = 32;

/** One probability vector per image, in the model's class order. */
export async function predictImages(tf: Tf, modelDir: string, input: InputSpec, images: readonly ImageSource[]): Promise<number[][]> {
  const model = await modelFor(tf, modelDir);
  const rows: number[][] = [];
  for await (const batch of predictionBatches(images, input, PREDICT_BATCH)) {
    const output = tf.tidy(() => model.predict(tf.tensor4d(batch.x, [batch.count, input.height, input.width, input.channels])) as Tensor);
    try {
      rows.push(...((await output.array()) as number[][]));
    } finally {
      output.dispose();
    }
  }
  return rows;
}
