// Files an import must refuse, made from real images: cut short, empty, a text file dressed as a
// picture, a format Capa does not decode, and headers claiming too many pixels (PNG and BMP).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { encode as encodeBmp } from 'bmp-ts';
import { shapeImage } from './shapes';

/** A PNG whose header claims `width` x `height` pixels: a decompression bomb's calling card. */
export async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await shapeImage('circle', { seed: 1, size: 8 }));
  // IHDR data starts at byte 16 (8 signature + 4 length + 4 type); its CRC follows the 13 data bytes.
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

/** A 24-bit BMP: left half red, right half blue. */
export function bmpImage(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4; // ABGR
      if (x < width / 2) data[i + 3] = 255;
      else data[i + 1] = 255;
    }
  return encodeBmp({ data, width, height, bitPP: 24 }).data;
}

/** The broken files `writeBrokenFiles` writes, by name, with the rejection reason each must get. */
export const BROKEN_FILES = {
  'cut.png': 'truncated',
  'notes.jpg': 'corrupt',
  'empty.png': 'empty',
  'shopping.txt': 'not-an-image',
  'photo.heic': 'unsupported-format',
  'bomb.png': 'too-many-pixels',
  'header.bmp': 'truncated',
  'rows.bmp': 'truncated',
} as const;

/** Writes every file of BROKEN_FILES into `dir` (which must exist). */
export async function writeBrokenFiles(dir: string): Promise<void> {
  const png = await shapeImage('square', { seed: 3, size: 64 });
  const bmp = bmpImage(40, 40);
  const files: Record<keyof typeof BROKEN_FILES, Uint8Array | string> = {
    'cut.png': png.subarray(0, Math.floor(png.length * 0.7)),
    'notes.jpg': 'shopping list: milk, eggs, bread',
    'empty.png': new Uint8Array(0),
    'shopping.txt': 'shopping list',
    'photo.heic': 'not really a HEIC picture',
    'bomb.png': await pngClaiming(20_000, 20_000),
    'header.bmp': bmp.subarray(0, 20),
    'rows.bmp': bmp.subarray(0, bmp.length - 600),
  };
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
}
