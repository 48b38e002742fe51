// The numbers behind the "Learn more" pictures: activation functions as Keras computes them, a
// 3x3 kernel slid over a tiny picture, max pooling of a small grid, and loss curves for a learning
// rate too small, right and too big. Pure functions; LearnPicture.svelte draws them as SVG.
import type { ActivationFunction } from '../../../main/core/spec/layers';

/** Keras's leaky_relu negative slope (main/trainer/model-builder.ts uses the same). */
const LEAKY_SLOPE = 0.2;
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
// GELU with the tanh approximation; at this size it is indistinguishable from the exact one.
const gelu = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));

/** The function an element-wise activation applies to Z; softmax is not element-wise (see softmax). */
export function activation(name: Exclude<ActivationFunction, 'softmax'>, x: number): number {
  switch (name) {
    case 'linear':
      return x;
    case 'relu':
      return Math.max(0, x);
    case 'sigmoid':
      return sigmoid(x);
    case 'tanh':
      return Math.tanh(x);
    case 'elu':
      return x > 0 ? x : Math.exp(x) - 1;
    case 'selu':
      return SELU_SCALE * (x > 0 ? x : SELU_ALPHA * (Math.exp(x) - 1));
    case 'gelu':
      return gelu(x);
    case 'swish':
      return x * sigmoid(x);
    case 'leaky_relu':
      return x >= 0 ? x : LEAKY_SLOPE * x;
  }
}

/** Softmax of a few values: every output between 0 and 1, summing to 1. */
export function softmax(values: readonly number[]): number[] {
  const top = Math.max(...values);
  const exps = values.map((v) => Math.exp(v - top));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** A plot box: the function's x range [-4, 4] and y range fitted into width x height pixels. */
export interface Plot {
  /** The curve as an SVG path. */
  path: string;
  /** Pixel y of y = 0 and pixel x of x = 0, for the axes. */
  zeroY: number;
  zeroX: number;
}

/** The curve of an element-wise activation from x = -4 to 4 in a width x height box (y from -2 to 4). */
export function activationPlot(name: Exclude<ActivationFunction, 'softmax'>, width: number, height: number): Plot {
  const [x0, x1, y0, y1] = [-4, 4, -2, 4];
  const px = (x: number) => ((x - x0) / (x1 - x0)) * width;
  const py = (y: number) => height - ((Math.min(y1, Math.max(y0, y)) - y0) / (y1 - y0)) * height;
  const points = Array.from({ length: 81 }, (_, i) => x0 + (i / 80) * (x1 - x0));
  const path = points.map((x, i) => `${i === 0 ? 'M' : 'L'}${px(x).toFixed(1)},${py(activation(name, x)).toFixed(1)}`).join(' ');
  return { path, zeroY: py(0), zeroX: px(0) };
}

/** A 5x5 picture with a vertical edge (dark left, bright right), 0..1. */
export const EDGE_PICTURE: number[][] = Array.from({ length: 5 }, () => [0, 0, 1, 1, 1]);
/** A 3x3 kernel that answers to vertical edges (dark on its left, bright on its right). */
export const EDGE_KERNEL: number[][] = [
  [-1, 0, 1],
  [-1, 0, 1],
  [-1, 0, 1],
];

/** 'valid' convolution (Keras's Conv2D without padding, strides 1) of a picture with a kernel: each output is sum(W * X). */
export function convolve(picture: readonly number[][], kernel: readonly number[][]): number[][] {
  const k = kernel.length;
  const rows = picture.length - k + 1;
  const columns = picture[0]!.length - k + 1;
  return Array.from({ length: rows }, (_, r) =>
    Array.from({ length: columns }, (_, c) => {
      let sum = 0;
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) sum += kernel[i]![j]! * picture[r + i]![c + j]!;
      return sum;
    }),
  );
}

/** A 4x4 feature map for the pooling picture. */
export const POOL_INPUT: number[][] = [
  [1, 3, 2, 0],
  [4, 2, 1, 1],
  [0, 1, 5, 2],
  [2, 0, 3, 4],
];

/** MaxPooling2D with a 2x2 window and strides 2: the largest value of each window. */
export function maxPool2x2(map: readonly number[][]): number[][] {
  return Array.from({ length: Math.floor(map.length / 2) }, (_, r) =>
    Array.from({ length: Math.floor(map[0]!.length / 2) }, (_, c) =>
      Math.max(map[2 * r]![2 * c]!, map[2 * r]![2 * c + 1]!, map[2 * r + 1]![2 * c]!, map[2 * r + 1]![2 * c + 1]!),
    ),
  );
}

/** Loss after each of `steps` steps of gradient descent on loss = w² from w = 1: how a learning rate behaves. */
export function lossCurve(learningRate: number, steps = 12): number[] {
  let w = 1;
  const losses = [w * w];
  for (let i = 0; i < steps; i++) {
    w -= learningRate * 2 * w; // the gradient of w² is 2w
    losses.push(w * w);
  }
  return losses;
}
