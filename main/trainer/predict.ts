// Classifies images with a saved layers model. The last model loaded stays in memory, keyed by
// its folder and the time model.json changed, so a stream of predictions loads it once. The
// forward pass runs in ONNX Runtime once the converted model has matched TensorFlow.js's
// probabilities on reference inputs (inference.ts); TensorFlow.js does it otherwise.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { InputSpec } from '../../common/model/spec';
import { loadModel, MODEL_JSON } from './model-files';
import { imageToPixels } from '../core/dataset/preprocess';
import { predictionBatches } from './pipeline';
import type { ImageSource, PredictOutcome, TrainerBackbone } from './protocol';
import { features, EMBED_BATCH } from './features';
import { checkedOnnx, lastInference } from './inference';
import type { Tf } from './tf';

type LayersModel = import('@tensorflow/tfjs').LayersModel;
type Tensor = import('@tensorflow/tfjs').Tensor;

let cached: { key: string; model: LayersModel; modelDir: string } | null = null;

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
  cached = { key, model, modelDir };
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
  for await (const batch of predictionBatches(images, input, PREDICT_BATCH)) rows.push(...(await probabilities(tf, model, batch.x, input)));
  return rows;
}

/**
 * One outcome per image: the model is loaded once (and kept), the images are decoded together
 * (sharp works on its own threads), and those that decode go through the model as one tensor.
 * An image that cannot be decoded gets its error and the others still get their answer.
 */
export async function predictBatch(
  tf: Tf,
  modelDir: string,
  input: InputSpec,
  images: readonly ImageSource[],
  backbone?: TrainerBackbone,
): Promise<PredictOutcome[]> {
  const model = await modelFor(tf, modelDir);
  const decoded = await Promise.all(
    images.map((image) =>
      imageToPixels(sourceOf(image), input).then(
        (pixels) => ({ pixels }),
        (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }),
      ),
    ),
  );
  const good = decoded.flatMap((d) => ('pixels' in d ? [d.pixels] : []));
  const size = input.width * input.height * input.channels;
  const pixels = new Float32Array(good.length * size);
  good.forEach((p, i) => pixels.set(p, i * size));
  const rows =
    good.length === 0
      ? []
      : backbone
        ? await pixelsThroughBackbone(tf, backbone, model, pixels, good.length)
        : await probabilities(tf, model, pixels, input);
  let next = 0;
  return decoded.map((d) => ('pixels' in d ? { probabilities: rows[next++]! } : d));
}

const sourceOf = (image: ImageSource): string | Uint8Array => ('path' in image ? image.path : image.bytes);

/** Probabilities of `pixels` (whole images of the model's input, one after the other) through the model loaded by modelFor. */
async function probabilities(
  tf: Tf,
  model: LayersModel,
  pixels: Float32Array,
  input: { width: number; height: number; channels: number },
): Promise<number[][]> {
  const shape = [input.height, input.width, input.channels];
  const count = pixels.length / (input.width * input.height * input.channels);
  const onnx =
    cached?.model === model
      ? await checkedOnnx(cached.modelDir, cached.key, shape, (x) => tfjsProbabilities(tf, model, x.values, x.dims))
      : null;
  if (onnx) {
    const output = await onnx.run(pixels, [count, ...shape]);
    lastInference.predictions = onnx.info;
    const classes = output.dims[1]!;
    return Array.from({ length: count }, (_, i) => Array.from(output.values.subarray(i * classes, (i + 1) * classes)));
  }
  lastInference.predictions = { engine: 'tfjs' };
  const values = await tfjsProbabilities(tf, model, pixels, [count, ...shape]);
  const classes = values.length / count;
  return Array.from({ length: count }, (_, i) => Array.from(values.subarray(i * classes, (i + 1) * classes)));
}

async function tfjsProbabilities(tf: Tf, model: LayersModel, pixels: Float32Array, dims: number[]): Promise<Float32Array> {
  const output = tf.tidy(() => model.predict(tf.tensor(pixels, dims)) as Tensor);
  try {
    return (await output.data()) as Float32Array;
  } finally {
    output.dispose();
  }
}

/** Probabilities of images through backbone then head (the run's model, loaded by modelFor). */
export async function predictThroughBackbone(
  tf: Tf,
  backbone: TrainerBackbone,
  head: LayersModel,
  input: InputSpec,
  images: readonly ImageSource[],
): Promise<number[][]> {
  const rows: number[][] = [];
  for await (const batch of predictionBatches(images, input, EMBED_BATCH))
    rows.push(...(await pixelsThroughBackbone(tf, backbone, head, batch.x, batch.count)));
  return rows;
}

/** Probabilities of `count` decoded images (backbone-sized pixels, one after the other) through backbone then head. */
export async function pixelsThroughBackbone(
  tf: Tf,
  backbone: TrainerBackbone,
  head: LayersModel,
  pixels: Float32Array,
  count: number,
): Promise<number[][]> {
  const { values, length } = await features(tf, backbone, pixels, count);
  return probabilities(tf, head, values, { width: 1, height: 1, channels: length });
}
