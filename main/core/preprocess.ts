// The one place where an image becomes the numbers a model sees. Training, prediction and
// exports all call this, so a model never meets pixels prepared differently from its training.
import sharp from 'sharp';
import type { InputSpec } from './spec/spec';

/** How raw 0..255 bytes become model inputs: value = byte * scale + offset. */
export interface Normalization {
  /** Multiplier applied to each byte. */
  scale: number;
  /** Added after scaling. */
  offset: number;
}

/** Pixels are scaled to [0, 1]; exports write this into their metadata. */
export const PIXEL_NORMALIZATION: Normalization = { scale: 1 / 255, offset: 0 };

const FIT: Record<InputSpec['resize'], 'fill' | 'cover' | 'contain'> = {
  squash: 'fill',
  crop: 'cover',
  pad: 'contain',
};

/**
 * Decodes an image file (path) or encoded bytes into a height x width x channels Float32Array
 * (row-major, channels last), resized as `input.resize` says and normalised by PIXEL_NORMALIZATION.
 */
export async function imageToPixels(source: string | Uint8Array, input: InputSpec): Promise<Float32Array> {
  // `animated: false` (sharp's default) keeps only the first frame of a GIF or WebP.
  let image = sharp(typeof source === 'string' ? source : Buffer.from(source.buffer, source.byteOffset, source.byteLength))
    .rotate() // applies the EXIF orientation, as a phone's photo viewer does
    .resize(input.width, input.height, {
      fit: FIT[input.resize],
      position: 'centre',
      background: { r: 0, g: 0, b: 0, alpha: 1 },
    });
  // Grayscale and alpha removal happen after resizing so padding is black, not transparent.
  image = input.channels === 1 ? image.flatten({ background: '#000000' }).grayscale() : image.flatten({ background: '#000000' }).removeAlpha();
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  if (info.width !== input.width || info.height !== input.height || info.channels !== input.channels) {
    throw new Error(`Decoding produced ${info.width}x${info.height}x${info.channels} instead of ${input.width}x${input.height}x${input.channels}.`);
  }
  const pixels = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) pixels[i] = data[i]! * PIXEL_NORMALIZATION.scale + PIXEL_NORMALIZATION.offset;
  return pixels;
}
