// Decodes a run's images once, before training, into one flat Float32Array per split, and cuts
// shuffled batches out of it. Decoding outside the training loop keeps sharp off the hot path.
import { cpus } from 'node:os';
import { seededRandom } from '../core/spec/augment';
import type { InputSpec } from '../core/spec/spec';
import { imageToPixels } from '../core/preprocess';
import type { TrainItem } from './protocol';
import type { Tf } from './tf';

type Tensor = import('@tensorflow/tfjs').Tensor;

/** Decoded images of one split. */
export interface DecodedSplit {
  /** count x height x width x channels values, image after image. */
  pixels: Float32Array;
  /** Class index of each image. */
  labels: Int32Array;
  /** Number of images. */
  count: number;
}

/** A file that could not be decoded, and why. */
export interface DecodeFailure {
  /** Path of the image. */
  path: string;
  /** The decoder's message. */
  message: string;
}

/** Decodes `items` with a few decodes in flight; files that fail are reported, not fatal. */
export async function decodeSplit(items: readonly TrainItem[], input: InputSpec, failures: DecodeFailure[]): Promise<DecodedSplit> {
  const size = input.width * input.height * input.channels;
  const decoded: (Float32Array | null)[] = new Array(items.length).fill(null);
  let next = 0;
  // sharp decodes on libuv threads, so a few requests in flight use every core.
  const workers = Array.from({ length: Math.max(2, cpus().length) }, async () => {
    while (next < items.length) {
      const index = next++;
      const item = items[index]!;
      try {
        decoded[index] = await imageToPixels(item.path, input);
      } catch (error) {
        failures.push({ path: item.path, message: error instanceof Error ? error.message : String(error) });
      }
    }
  });
  await Promise.all(workers);
  const kept = items.flatMap((item, index) => (decoded[index] ? [{ label: item.label, pixels: decoded[index] }] : []));
  const pixels = new Float32Array(kept.length * size);
  const labels = new Int32Array(kept.length);
  kept.forEach((entry, index) => {
    pixels.set(entry.pixels, index * size);
    labels[index] = entry.label;
  });
  return { pixels, labels, count: kept.length };
}

// The PRNG lives with augmentation (pure) so the model screen's preview draws the same way.
export { seededRandom };

/** 0..count-1 in a Fisher-Yates order drawn from `seed`. */
export function shuffledIndices(count: number, seed: number): Int32Array {
  const order = Int32Array.from({ length: count }, (_, i) => i);
  const random = seededRandom(seed);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

/** Optional changes a training batch gets; validation batches get none. */
export interface BatchOptions {
  /** Replaces each image's pixels, e.g. by a random augmentation. */
  transform?: (pixels: Float32Array) => Float32Array;
  /** Per-class factor on the one-hot target: scales that class's loss (Keras's class_weight). */
  classWeights?: ArrayLike<number>;
}

/** Tensors of the images at `indices`: x [n, h, w, c] and one-hot y [n, classes]. Caller disposes. */
export function makeBatch(
  tf: Tf,
  split: DecodedSplit,
  indices: ArrayLike<number>,
  input: InputSpec,
  numClasses: number,
  options: BatchOptions = {},
): { x: Tensor; y: Tensor } {
  const size = input.width * input.height * input.channels;
  const n = indices.length;
  const x = new Float32Array(n * size);
  const y = new Float32Array(n * numClasses);
  for (let i = 0; i < n; i++) {
    const index = indices[i]!;
    const pixels = split.pixels.subarray(index * size, (index + 1) * size);
    x.set(options.transform ? options.transform(pixels) : pixels, i * size);
    const label = split.labels[index]!;
    // Cross-entropy is -sum(y * log p): scaling the one-hot target scales that sample's loss,
    // and the accuracy metric (argmax of y) is unchanged.
    y[i * numClasses + label] = options.classWeights ? options.classWeights[label]! : 1;
  }
  return {
    x: tf.tensor4d(x, [n, input.height, input.width, input.channels]),
    y: tf.tensor2d(y, [n, numClasses]),
  };
}

/** Keras/scikit-learn "balanced" class weights: images / (classes x images of the class); 0 for an empty class. */
export function balancedClassWeights(labels: ArrayLike<number>, numClasses: number): Float32Array {
  const counts = new Float64Array(numClasses);
  for (let i = 0; i < labels.length; i++) counts[labels[i]!]! += 1;
  return Float32Array.from(counts, (count) => (count > 0 ? labels.length / (numClasses * count) : 0));
}
