// On-disk cache of preprocessed pixels, so the second run on the same images decodes nothing.
//
// Layout: <root>/<input key>/<hash[0..2]>/<hash>.px, one small file per image. The input key names
// everything preprocessing depends on (width, height, channels, resize mode, PREPROCESSING_VERSION)
// and the file name is the SHA-256 of the image's bytes (the project store is content-addressed),
// so a changed image, input size, colour mode, resize mode or decoder is a different file: entries
// are never invalidated in place, only missed. Each file is a CRC-32 of the pixels (4 bytes, little
// endian) then the 8-bit pixels (width x height x channels bytes; normalisation is applied when a
// batch is built, which keeps the cache 4x smaller than float32). Files are written through a
// temporary name and a rename, and a read checks size and CRC, so a trainer killed mid-write or a
// damaged disk never hands back wrong pixels: the image is decoded again and the entry rewritten.
//
// Size: one file per image and input key, e.g. 20,000 images at 96x96x3 are 553 MB (27.6 kB each).
// Input keys not used for PRUNE_AFTER_DAYS are deleted when a run opens the cache (a stat per key).
// One file per image was measured against a pack file (README, "Training data pipeline"): 22,096
// vs 9,388 entries/s read back (synchronous reads here, async pread there), both far above what
// training consumes, and per-file entries need no index, compaction or lock, and a partial write
// can never damage another entry.
import { crc32 } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { readdir, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import type { InputSpec } from '../../common/model/spec';
import { writeFileAtomically } from '../core/files/atomic';

/** Bump when imageToBytes (main/core/dataset/preprocess.ts) changes its output: every entry then misses. */
export const PREPROCESSING_VERSION = 1;

/** Input keys not used for this many days are deleted when a run opens the cache. */
export const PRUNE_AFTER_DAYS = 30;

const HEADER_BYTES = 4;
const LAST_USED = 'last-used';

/** The folder name of one preprocessing: e.g. `96x96x3-squash-v1`. */
export function inputKey(input: InputSpec): string {
  return `${input.width}x${input.height}x${input.channels}-${input.resize}-v${PREPROCESSING_VERSION}`;
}

/** What the cache did, for logs and tests. */
export interface PixelCacheStats {
  /** Entries read back intact. */
  hits: number;
  /** Entries absent. */
  misses: number;
  /** Entries present but truncated or damaged (then decoded again and rewritten). */
  corrupt: number;
  /** Entries written. */
  writes: number;
}

/** The cached pixels of one input key. */
export class PixelCache {
  /** Folder of this input key's entries. */
  readonly dir: string;
  /** Counters since this object was made. */
  readonly stats: PixelCacheStats = { hits: 0, misses: 0, corrupt: 0, writes: 0 };
  private readonly bytes: number;

  constructor(root: string, input: InputSpec) {
    this.dir = join(root, inputKey(input));
    this.bytes = input.width * input.height * input.channels;
  }

  /** Path of the entry of an image with content hash `hash`. */
  file(hash: string): string {
    return join(this.dir, hash.slice(0, 2), `${hash}.px`);
  }

  /** The pixels of `hash`, or null when absent or not intact. */
  async read(hash: string): Promise<Uint8Array | null> {
    let stored: Buffer;
    try {
      // Synchronous on purpose: an async read needs four turns of the event loop (open, stat, read,
      // close), and trainOnBatch blocks that loop for the whole batch, so prefetched reads would
      // crawl; one synchronous read of a small entry costs tens of microseconds.
      stored = readFileSync(this.file(hash));
    } catch {
      this.stats.misses++;
      return null;
    }
    const pixels = new Uint8Array(stored.buffer, stored.byteOffset + HEADER_BYTES, Math.max(0, stored.byteLength - HEADER_BYTES));
    if (stored.byteLength !== HEADER_BYTES + this.bytes || stored.readUInt32LE(0) !== crc32(pixels)) {
      this.stats.corrupt++;
      return null;
    }
    this.stats.hits++;
    return pixels;
  }

  /** Stores the pixels of `hash` atomically. */
  async write(hash: string, pixels: Uint8Array): Promise<void> {
    if (pixels.byteLength !== this.bytes) throw new Error(`${pixels.byteLength} bytes given for an entry of ${this.bytes}.`);
    const stored = Buffer.allocUnsafe(HEADER_BYTES + pixels.byteLength);
    stored.writeUInt32LE(crc32(pixels), 0);
    stored.set(pixels, HEADER_BYTES);
    await writeFileAtomically(this.file(hash), stored);
    this.stats.writes++;
  }

  /**
   * Marks this input key as used now and deletes sibling input keys unused for PRUNE_AFTER_DAYS.
   * Returns the names of the deleted keys.
   */
  async open(now = Date.now()): Promise<string[]> {
    const marker = join(this.dir, LAST_USED);
    await writeFileAtomically(marker, '');
    await utimes(marker, now / 1000, now / 1000);
    const root = join(this.dir, '..');
    const pruned: string[] = [];
    for (const name of await readdir(root)) {
      const dir = join(root, name);
      if (dir === this.dir) continue;
      const used = await stat(join(dir, LAST_USED)).catch(() => stat(dir).catch(() => null));
      if (used && now - used.mtimeMs > PRUNE_AFTER_DAYS * 86_400_000) {
        await rm(dir, { recursive: true, force: true });
        pruned.push(name);
      }
    }
    return pruned;
  }
}
