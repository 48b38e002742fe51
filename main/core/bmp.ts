// BMP support. libvips (inside sharp) has no BMP loader, so BMP files are decoded by bmp-ts and
// handed on as lossless PNG. The header's size is checked before decoding, against bombs.
import { BmpCompression, decode } from 'bmp-ts';
import sharp from 'sharp';
import type { RejectReason } from '../../preload/contract';

/** Whether the bytes start like a Windows bitmap ("BM" and a plausible header size). */
export function isBmp(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d;
}

export type BmpResult = { ok: true; png: Buffer } | { ok: false; reason: RejectReason; message: string };

/** Decodes a BMP to PNG; alpha is dropped (most BMPs store 0 there, meaning nothing). */
export async function bmpToPng(bytes: Uint8Array, maxPixels: number): Promise<BmpResult> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < 34) return { ok: false, reason: 'truncated', message: 'The BMP file is cut short (truncated) before the end of its header.' };
  const width = Math.abs(buffer.readInt32LE(18));
  const height = Math.abs(buffer.readInt32LE(22));
  if (width * height > maxPixels) {
    return { ok: false, reason: 'too-many-pixels', message: `The image is ${width}x${height} pixels, above the limit of ${maxPixels / 1_000_000} megapixels.` };
  }
  const bitsPerPixel = buffer.length >= 30 ? buffer.readUInt16LE(28) : 0;
  const compression = buffer.length >= 34 ? buffer.readUInt32LE(30) : -1;
  const rowBytes = Math.ceil((width * bitsPerPixel) / 32) * 4;
  // Uncompressed pixel rows must all be there; the decoder would read past the end otherwise.
  if (compression === BmpCompression.NONE && buffer.readUInt32LE(10) + rowBytes * height > buffer.length) {
    return { ok: false, reason: 'truncated', message: 'The image is cut short (truncated); the file was probably not copied completely.' };
  }
  let image: ReturnType<typeof decode>;
  try {
    image = decode(buffer, { toRGBA: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: 'unsupported-format', message: `This kind of BMP cannot be read (${message}); convert it to PNG.` };
  }
  const png = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } })
    .removeAlpha()
    .png({ compressionLevel: 6 })
    .toBuffer();
  return { ok: true, png };
}
