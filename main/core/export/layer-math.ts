// Small pieces of arithmetic on saved layers that several format writers share: Keras's
// "int or pair" options, transposing weight arrays, padding pairs and normalisation weights.
import type { SavedLayer } from './saved-model';

/** A Keras option given as one number or a [height, width] pair, as a pair. */
export const pairOf = (value: unknown): [number, number] =>
  Array.isArray(value) ? [Number(value[0]), Number(value[1])] : [Number(value), Number(value)];

/** Transposes a row-major array of `shape` so that output axis i is input axis perm[i]. */
export function transpose(values: Float32Array, shape: number[], perm: number[]): Float32Array {
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Float32Array(values.length);
  const index = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let source = 0;
    for (let i = 0; i < perm.length; i++) source += index[i]! * inStrides[perm[i]!]!;
    out[o] = values[source]!;
    for (let i = index.length - 1; i >= 0 && ++index[i]! === outShape[i]; i--) index[i] = 0;
  }
  return out;
}

/** ZeroPadding2D's padding as [[top, bottom], [left, right]], from any of the forms Keras accepts. */
export function zeroPadding(raw: unknown): [[number, number], [number, number]] {
  if (Array.isArray(raw) && Array.isArray(raw[0])) return raw as [[number, number], [number, number]];
  const [vertical, horizontal] = pairOf(raw);
  return [
    [vertical, vertical],
    [horizontal, horizontal],
  ];
}

/** A normalisation layer's per-channel weight, or `fill` when the layer was built without it (center/scale off). */
export const normalizationWeight = (layer: SavedLayer, name: string, channels: number, fill: number): Float32Array =>
  layer.weights.find((w) => w.name === name)?.values ?? new Float32Array(channels).fill(fill);
