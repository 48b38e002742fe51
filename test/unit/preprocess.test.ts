// imageToPixels: the one conversion of an image into model input, shared by training,
// prediction and exports. Checked on images sharp writes with known pixels.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { imageToPixels, PIXEL_NORMALIZATION } from '../../main/core/dataset/preprocess';

/** A width x height PNG: left half red, right half blue. */
function halves(width: number, height: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="${width / 2}" height="${height}" fill="#ff0000"/><rect x="${width / 2}" width="${width / 2}" height="${height}" fill="#0000ff"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

const pixel = (p: Float32Array, width: number, channels: number, x: number, y: number) =>
  Array.from(p.subarray((y * width + x) * channels, (y * width + x + 1) * channels));

describe('imageToPixels', () => {
  it('scales bytes to [0, 1] and states it', async () => {
    expect(PIXEL_NORMALIZATION).toEqual({ scale: 1 / 255, offset: 0 });
    const p = await imageToPixels(new Uint8Array(await halves(8, 8)), { width: 8, height: 8, channels: 3, resize: 'squash' });
    expect(p).toHaveLength(8 * 8 * 3);
    expect(pixel(p, 8, 3, 0, 0)).toEqual([1, 0, 0]);
    expect(pixel(p, 8, 3, 7, 7)).toEqual([0, 0, 1]);
  });

  it('squash stretches, crop keeps the centre, pad adds black bars', async () => {
    const wide = await halves(40, 10); // 4:1, red | blue
    const squash = await imageToPixels(wide, { width: 10, height: 10, channels: 3, resize: 'squash' });
    expect(pixel(squash, 10, 3, 0, 5)).toEqual([1, 0, 0]);
    expect(pixel(squash, 10, 3, 9, 5)).toEqual([0, 0, 1]);
    const crop = await imageToPixels(wide, { width: 10, height: 10, channels: 3, resize: 'crop' });
    // The centre 10x10 of the 40x10 image straddles the red/blue edge at x = 20.
    expect(pixel(crop, 10, 3, 0, 5)).toEqual([1, 0, 0]);
    expect(pixel(crop, 10, 3, 9, 5)).toEqual([0, 0, 1]);
    const pad = await imageToPixels(wide, { width: 10, height: 10, channels: 3, resize: 'pad' });
    expect(pixel(pad, 10, 3, 5, 0)).toEqual([0, 0, 0]); // bar above
    expect(pixel(pad, 10, 3, 0, 5)[0]).toBeGreaterThan(0.9); // the image in the middle rows
  });

  it('gives one channel for grayscale and drops alpha onto black', async () => {
    const transparent = await sharp({ create: { width: 4, height: 4, channels: 4, background: { r: 255, g: 255, b: 255, alpha: 0 } } })
      .png()
      .toBuffer();
    const rgb = await imageToPixels(transparent, { width: 4, height: 4, channels: 3, resize: 'squash' });
    expect(Array.from(rgb).every((v) => v === 0)).toBe(true);
    const white = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#ffffff' } })
      .jpeg()
      .toBuffer();
    const gray = await imageToPixels(white, { width: 2, height: 2, channels: 1, resize: 'squash' });
    expect(gray).toHaveLength(4);
    for (const v of gray) expect(v).toBeCloseTo(1, 2);
  });

  it('applies EXIF orientation before resizing', async () => {
    // Stored as 40x10 (red | blue) with orientation 6: a viewer shows it rotated 90° clockwise,
    // 10 wide and 40 tall, red on top.
    const rotated = await sharp(await halves(40, 10))
      .jpeg({ quality: 100 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const p = await imageToPixels(rotated, { width: 10, height: 40, channels: 3, resize: 'squash' });
    expect(pixel(p, 10, 3, 5, 2)[0]).toBeGreaterThan(0.8);
    expect(pixel(p, 10, 3, 5, 37)[2]).toBeGreaterThan(0.8);
  });

  it('reads a file path as well as bytes', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const path = join(mkdtempSync(join(tmpdir(), 'capa-pre-')), 'a.png');
    const bytes = await halves(8, 8);
    writeFileSync(path, bytes);
    const input = { width: 8, height: 8, channels: 3, resize: 'squash' } as const;
    expect(await imageToPixels(path, input)).toEqual(await imageToPixels(bytes, input));
  });
});
