// Data augmentation as Keras's Random* layers do it (RandomFlip, RandomRotation, RandomZoom,
// RandomTranslation, RandomContrast, RandomBrightness), on one image of values in [0, 1].
// Pure TypeScript on a Float32Array: the trainer applies it batch by batch and the model screen
// previews it with the same code, so the preview shows exactly what training sees.
import type { AugmentationSpec } from './spec';

/** An image as rows of pixels, channels last, values in [0, 1]. */
export interface Pixels {
  /** height x width x channels values. */
  data: Float32Array;
  height: number;
  width: number;
  channels: number;
}

/** Small deterministic PRNG (mulberry32): shuffles repeat for a seed, unlike Math.random. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Whether `spec` changes images at all (so the trainer can skip the work). */
export function isAugmenting(spec: AugmentationSpec): boolean {
  return spec.flip !== 'none' || spec.rotation > 0 || spec.zoom > 0 || spec.translation > 0 || spec.brightness > 0 || spec.contrast > 0;
}

/** Mirrors an index into [0, size) as Keras's fill_mode "reflect" does (d c b a | a b c d | d c b a). */
function reflect(i: number, size: number): number {
  if (size === 1) return 0;
  const period = 2 * size;
  let m = ((Math.floor(i) % period) + period) % period;
  if (m >= size) m = period - 1 - m;
  return m;
}

/** A value uniformly drawn in [-amount, amount]. */
const symmetric = (random: () => number, amount: number) => (random() * 2 - 1) * amount;

/**
 * One random variant of `image` drawn from `random` (uniform in [0, 1)). Geometry is one inverse
 * affine map sampled bilinearly with reflected edges; colour changes are clipped to [0, 1].
 */
export function augmentImage(image: Pixels, spec: AugmentationSpec, random: () => number): Float32Array {
  const { data, height: h, width: w, channels: c } = image;
  const flipX = (spec.flip === 'horizontal' || spec.flip === 'horizontal_and_vertical') && random() < 0.5;
  const flipY = (spec.flip === 'vertical' || spec.flip === 'horizontal_and_vertical') && random() < 0.5;
  const angle = symmetric(random, spec.rotation) * 2 * Math.PI;
  // Keras's RandomZoom: a positive factor zooms out, so the output shows more of the image.
  const zoom = 1 + symmetric(random, spec.zoom);
  const dx = symmetric(random, spec.translation) * w;
  const dy = symmetric(random, spec.translation) * h;
  const contrast = 1 + symmetric(random, spec.contrast);
  const brightness = symmetric(random, spec.brightness);

  const out = new Float32Array(data.length);
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  const cos = Math.cos(angle) * zoom;
  const sin = Math.sin(angle) * zoom;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // Output pixel -> source point: undo the shift, then rotate and scale about the centre.
      const ox = x - cx - dx;
      const oy = y - cy - dy;
      let sx = cos * ox - sin * oy + cx;
      let sy = sin * ox + cos * oy + cy;
      if (flipX) sx = w - 1 - sx;
      if (flipY) sy = h - 1 - sy;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const xa = reflect(x0, w);
      const xb = reflect(x0 + 1, w);
      const ya = reflect(y0, h);
      const yb = reflect(y0 + 1, h);
      const o = (y * w + x) * c;
      for (let k = 0; k < c; k++) {
        const top = data[(ya * w + xa) * c + k]! * (1 - fx) + data[(ya * w + xb) * c + k]! * fx;
        const bottom = data[(yb * w + xa) * c + k]! * (1 - fx) + data[(yb * w + xb) * c + k]! * fx;
        out[o + k] = top * (1 - fy) + bottom * fy;
      }
    }
  }
  if (contrast !== 1 || brightness !== 0) {
    // Contrast scales each channel about its mean, as tf.image.adjust_contrast does.
    const means = new Float64Array(c);
    for (let i = 0; i < out.length; i++) means[i % c] += out[i]!;
    for (let k = 0; k < c; k++) means[k]! /= h * w;
    for (let i = 0; i < out.length; i++) {
      const mean = means[i % c]!;
      out[i] = Math.min(1, Math.max(0, (out[i]! - mean) * contrast + mean + brightness));
    }
  }
  return out;
}
