// BMP support. libvips (inside sharp) has no BMP loader, so BMP files are decoded by bmp-ts and
// handed on as lossless PNG. The header's size is checked before decoding, against bombs.
import { BmpCompression, decode } from 'bmp-ts';
import sharp from 'sharp';
import type { RejectedFile, Said } from '../../../preload/contract';
import { said } from '../../../common/messages/said';

/** Whether the bytes start like a Windows bitmap ("BM" and a plausible header size). */
export function isBmp(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d;
}

/** Why a file cannot be imported: the reason's code and the sentence a person reads. */
export type Rejection = Omit<RejectedFile, 'file'>;

export type BmpResult = { ok: true; png: Buffer } | ({ ok: false } & Rejection);

/** The importer's sentence for an image above the pixel limit, for BMPs and every other format. */
export const tooManyPixels = (width: number, height: number, maxPixels: number): Said =>
  said('data.importer.tooManyPixels', { width, height, limit: maxPixels / 1_000_000 });

/** The importer's sentence for a file whose end is missing, for BMPs and every other format. */
export const cutShort = (): Said => said('data.importer.truncated');

/** Decodes a BMP to PNG; alpha is dropped (most BMPs store 0 there, meaning nothing). */
export async function bmpToPng(bytes: Uint8Array, maxPixels: number): Promise<BmpResult> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < 34) return { ok: false, reason: 'truncated', ...said('data.bmp.headerCut') };
  const width = Math.abs(buffer.readInt32LE(18));
  const height = Math.abs(buffer.readInt32LE(22));
  if (width * height > maxPixels) {
    return { ok: false, reason: 'too-many-pixels', ...tooManyPixels(width, height, maxPixels) };
  }
  const bitsPerPixel = buffer.length >= 30 ? buffer.readUInt16LE(28) : 0;
  const compression = buffer.length >= 34 ? buffer.readUInt32LE(30) : -1;
  const rowBytes = Math.ceil((width * bitsPerPixel) / 32) * 4;
  // Uncompressed pixel rows must all be there; the decoder would read past the end otherwise.
  if (compression === BmpCompression.NONE && buffer.readUInt32LE(10) + rowBytes * height > buffer.length) {
    return { ok: false, reason: 'truncated', ...cutShort() };
  }
  let image: ReturnType<typeof decode>;
  try {
    image = decode(buffer, { toRGBA: true });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: 'unsupported-format', ...said('data.bmp.unsupported', { detail }) };
  }
  const png = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } })
    .removeAlpha()
    .png({ compressionLevel: 6 })
    .toBuffer();
  return { ok: true, png };
}
