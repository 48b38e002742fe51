// The one place where an image becomes the numbers a model sees. Training, prediction and
// exports all call this, so a model never meets pixels prepared differently from its training.
import sharp from 'sharp';
import type { InputSpec } from '../../../common/model/spec';

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
 * Decodes an image file (path) or encoded bytes into height x width x channels 8-bit values
 * (row-major, channels last), resized as `input.resize` says. Training caches these bytes on disk
 * (main/trainer/pixel-cache.ts): bump PREPROCESSING_VERSION there when this function changes.
 */
export async function imageToBytes(source: string | Uint8Array, input: InputSpec): Promise<Uint8Array> {
  // `animated: false` (sharp's default) keeps only the first frame of a GIF or WebP.
  let image = sharp(typeof source === 'string' ? source : Buffer.from(source.buffer, source.byteOffset, source.byteLength))
    .rotate() // applies the EXIF orientation, as a phone's photo viewer does
    .resize(input.width, input.height, {
      fit: FIT[input.resize],
      position: 'centre',
      background: { r: 0, g: 0, b: 0, alpha: 1 },
    });
  // Grayscale and alpha removal happen after resizing so padding is black, not transparent.
  image =
    input.channels === 1 ? image.flatten({ background: '#000000' }).grayscale() : image.flatten({ background: '#000000' }).removeAlpha();
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  if (info.width !== input.width || info.height !== input.height || info.channels !== input.channels) {
    throw new Error(
      `Decoding produced ${info.width}x${info.height}x${info.channels} instead of ${input.width}x${input.height}x${input.channels}.`,
    );
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Writes `bytes` normalised by PIXEL_NORMALIZATION into `out` from `at` (a new array when absent). */
export function normalizeBytes(bytes: Uint8Array, out = new Float32Array(bytes.length), at = 0): Float32Array {
  for (let i = 0; i < bytes.length; i++) out[at + i] = bytes[i]! * PIXEL_NORMALIZATION.scale + PIXEL_NORMALIZATION.offset;
  return out;
}

/** imageToBytes normalised by PIXEL_NORMALIZATION: the numbers a model sees. */
export async function imageToPixels(source: string | Uint8Array, input: InputSpec): Promise<Float32Array> {
  return normalizeBytes(await imageToBytes(source, input));
}
