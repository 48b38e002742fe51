// Batches of a run: seeded shuffles, class weights, and the assembly of a batch's images (8-bit
// pixels from the pipeline, or float features in memory) into the arrays a model trains on.
// Streaming the images themselves is main/trainer/pipeline.ts.
import { seededRandom } from '../../common/model/augment';
import type { InputSpec } from '../../common/model/spec';
import { normalizeBytes } from '../core/dataset/preprocess';
import { derivedSeed } from './model-builder';
import type { Tf } from './tf';

type Tensor = import('@tensorflow/tfjs').Tensor;

/** A split held in memory: backbone features (1 x 1 x features "images"). */
export interface DecodedSplit {
  /** count x height x width x channels values, one item after another. */
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

/** The order of the training images in `epoch` (1-based): a new shuffle per epoch, the same for the same seed. */
export function epochOrder(count: number, seed: number, epoch: number): Int32Array {
  return shuffledIndices(count, derivedSeed(seed, 1_000_000 + epoch));
}

/** Optional changes a training batch gets; validation batches get none. */
export interface BatchOptions {
  /** Replaces each image's pixels, e.g. by a random augmentation. */
  transform?: (pixels: Float32Array) => Float32Array;
  /** Per-class factor on the one-hot target: scales that class's loss (Keras's class_weight). */
  classWeights?: ArrayLike<number>;
}

/** One batch in host memory, before it becomes tensors. */
export interface HostBatch {
  /** n x height x width x channels model inputs. */
  x: Float32Array;
  /** n x classes targets (one-hot, scaled by class weights). */
  y: Float32Array;
  /** Class index of each image. */
  labels: Int32Array;
  /** Number of images (those that failed to decode are not in it). */
  count: number;
}

/** Assembles images (8-bit pixels, normalised here, or model-ready floats) into a batch. */
export function hostBatch(
  images: readonly { pixels: Uint8Array | Float32Array; label: number }[],
  input: InputSpec,
  numClasses: number,
  options: BatchOptions = {},
): HostBatch {
  const size = input.width * input.height * input.channels;
  const n = images.length;
  const x = new Float32Array(n * size);
  const y = new Float32Array(n * numClasses);
  const labels = new Int32Array(n);
  images.forEach(({ pixels, label }, i) => {
    if (options.transform) x.set(options.transform(pixels instanceof Uint8Array ? normalizeBytes(pixels) : pixels), i * size);
    else if (pixels instanceof Uint8Array) normalizeBytes(pixels, x, i * size);
    else x.set(pixels, i * size);
    labels[i] = label;
    // Cross-entropy is -sum(y * log p): scaling the one-hot target scales that sample's loss,
    // and the accuracy metric (argmax of y) is unchanged.
    y[i * numClasses + label] = options.classWeights ? options.classWeights[label]! : 1;
  });
  return { x, y, labels, count: n };
}

/** The tensors of a host batch: x [n, h, w, c] and y [n, classes]. Caller disposes. */
export function batchTensors(tf: Tf, batch: HostBatch, input: InputSpec, numClasses: number): { x: Tensor; y: Tensor } {
  return {
    x: tf.tensor4d(batch.x, [batch.count, input.height, input.width, input.channels]),
    y: tf.tensor2d(batch.y, [batch.count, numClasses]),
  };
}

/** Tensors of the in-memory items at `indices`. Caller disposes. */
export function makeBatch(
  tf: Tf,
  split: DecodedSplit,
  indices: ArrayLike<number>,
  input: InputSpec,
  numClasses: number,
  options: BatchOptions = {},
): { x: Tensor; y: Tensor } {
  return batchTensors(tf, hostBatch(splitItems(split, indices, input), input, numClasses, options), input, numClasses);
}

/** The values and labels of the in-memory items at `indices` (views, not copies). */
export function splitItems(split: DecodedSplit, indices: ArrayLike<number>, input: InputSpec): { pixels: Float32Array; label: number }[] {
  const size = input.width * input.height * input.channels;
  return Array.from(indices, (index) => ({ pixels: split.pixels.subarray(index * size, (index + 1) * size), label: split.labels[index]! }));
}

/** Keras/scikit-learn "balanced" class weights: images / (classes x images of the class); 0 for an empty class. */
export function balancedClassWeights(labels: ArrayLike<number>, numClasses: number): Float32Array {
  const counts = new Float64Array(numClasses);
  for (let i = 0; i < labels.length; i++) counts[labels[i]!]! += 1;
  return Float32Array.from(counts, (count) => (count > 0 ? labels.length / (numClasses * count) : 0));
}
