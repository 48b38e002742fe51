// The numbers behind the "Learn more" pictures: activation functions as Keras computes them, a
// 3x3 kernel slid over a tiny picture, max pooling of a small grid, and loss curves for a learning
// rate too small, right and too big. Pure functions; LearnPicture.svelte draws them as SVG.
import type { ActivationFunction } from '../../../common/model/layers';

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
  const box: PlotBox = { width, height, x0: -4, x1: 4, y0: -2, y1: 4 };
  const [zeroX, zeroY] = plotPoint(box, 0, 0);
  return { path: plotPath(box, (x) => activation(name, x), 80), zeroY, zeroX };
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

/** A box of `width` x `height` pixels showing x from x0 to x1 and y from y0 to y1 (y up). */
export interface PlotBox {
  width: number;
  height: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** Pixel coordinates of a point in a plot box (y clamped to the box). */
export function plotPoint(box: PlotBox, x: number, y: number): [number, number] {
  const px = ((x - box.x0) / (box.x1 - box.x0)) * box.width;
  const py = box.height - ((Math.min(box.y1, Math.max(box.y0, y)) - box.y0) / (box.y1 - box.y0)) * box.height;
  return [px, py];
}

/** The curve y = f(x) across a plot box, as an SVG path of `samples` points. */
export function plotPath(box: PlotBox, f: (x: number) => number, samples = 60): string {
  return Array.from({ length: samples + 1 }, (_, i) => {
    const x = box.x0 + (i / samples) * (box.x1 - box.x0);
    const [px, py] = plotPoint(box, x, f(x));
    return `${i === 0 ? 'M' : 'L'}${px.toFixed(1)},${py.toFixed(1)}`;
  }).join(' ');
}

/** The bell curve of a normal distribution with mean 0: how the starting weights are spread. */
export function normalDensity(sigma: number, x: number): number {
  return Math.exp(-(x * x) / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));
}

/** The balanced class weights Keras computes (pictures ÷ (classes × pictures of the class)). */
export function balancedWeights(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((count) => total / (counts.length * count));
}
