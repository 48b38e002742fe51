// Augmentation, shared by the trainer and the preview: exact on known images, repeatable from a
// seed, identity when switched off.
import { describe, expect, it } from 'vitest';
import { augmentImage, isAugmenting } from '../../common/model/augment';
import { NO_AUGMENTATION, type AugmentationSpec } from '../../common/model/spec';
import { seededRandom } from '../../main/trainer/dataset';

// A 3x4 single-channel ramp: value = (row * 4 + column) / 11.
const image = { data: Float32Array.from({ length: 12 }, (_, i) => i / 11), height: 3, width: 4, channels: 1 };
const spec = (patch: Partial<AugmentationSpec>): AugmentationSpec => ({ ...NO_AUGMENTATION, ...patch });
/** A "random" source that always returns `value`. */
const constant = (value: number) => () => value;

describe('augmentation', () => {
  it('is off by default and leaves the image as it is', () => {
    expect(isAugmenting(NO_AUGMENTATION)).toBe(false);
    expect(Array.from(augmentImage(image, NO_AUGMENTATION, seededRandom(1)))).toEqual(Array.from(image.data));
  });

  it('flips horizontally when the draw says so, and not otherwise', () => {
    const flipped = augmentImage(image, spec({ flip: 'horizontal' }), constant(0.1));
    expect(Array.from(flipped.subarray(0, 4)).map((v) => Math.round(v * 11))).toEqual([3, 2, 1, 0]);
    expect(Array.from(augmentImage(image, spec({ flip: 'horizontal' }), constant(0.9)))).toEqual(Array.from(image.data));
  });

  it('flips vertically', () => {
    const flipped = augmentImage(image, spec({ flip: 'vertical' }), constant(0.1));
    expect(Array.from(flipped.subarray(0, 4)).map((v) => Math.round(v * 11))).toEqual([8, 9, 10, 11]);
  });

  it('rotates a square by a quarter turn exactly at the largest draw', () => {
    const square = { data: Float32Array.from([0, 1, 2, 3]), height: 2, width: 2, channels: 1 };
    // random() = 1 - tiny gives almost +rotation; rotation 0.25 of a turn = 90 degrees.
    const out = augmentImage(square, spec({ rotation: 0.25 }), constant(1 - 1e-12));
    expect(Array.from(out).map((v) => Math.round(v))).toEqual([1, 3, 0, 2]);
  });

  it('shifts by the translation fraction with reflected edges', () => {
    const row = { data: Float32Array.from([0, 1, 2, 3]), height: 1, width: 4, channels: 1 };
    // draws: dx = (1 * 2 - 1) * 0.25 * 4 = +1 pixel, dy = 0 with random 0.5
    const draws = [1 - 1e-12, 0.5];
    let n = 0;
    const out = augmentImage(row, spec({ translation: 0.25 }), () => draws[n++ % 2]!);
    expect(Array.from(out).map((v) => Math.round(v * 1000) / 1000)).toEqual([0, 0, 1, 2]);
  });

  it('changes brightness and contrast within [0, 1]', () => {
    const brighter = augmentImage(image, spec({ brightness: 0.5 }), constant(1 - 1e-12));
    expect(Math.min(...brighter)).toBeCloseTo(0.5, 5);
    expect(Math.max(...brighter)).toBe(1);
    const flat = augmentImage(image, spec({ contrast: 0.5 }), constant(0));
    const mean = image.data.reduce((a, b) => a + b) / 12;
    expect(flat[0]).toBeCloseTo(mean + (0 - mean) * 0.5, 5);
  });

  it('repeats exactly for a seed and differs across seeds', () => {
    const all = spec({ flip: 'horizontal_and_vertical', rotation: 0.2, zoom: 0.3, translation: 0.2, brightness: 0.2, contrast: 0.2 });
    const a = augmentImage(image, all, seededRandom(7));
    expect(augmentImage(image, all, seededRandom(7))).toEqual(a);
    expect(augmentImage(image, all, seededRandom(8))).not.toEqual(a);
    expect(a.every((v) => v >= 0 && v <= 1)).toBe(true);
  });
});
