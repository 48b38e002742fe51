// Downloads one TensorFlow.js model (model.json, then every weight file its manifest names) into
// a staging folder: progress as it goes, a resumed request (HTTP Range) when a transfer breaks,
// a few retries, and the SHA-256 of every file checked against what the catalogue expects.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';
import { CapaError } from '../../../common/messages/errors';
import { said } from '../../../common/messages/said';
import type { Said } from '../../../preload/contract';
import type { BackboneEntry } from '../../../common/backbones/catalogue';

/** Progress of a download. */
export interface DownloadProgress {
  /** Bytes received so far, every file together. */
  bytes: number;
  /** Expected bytes in all (from the weights manifest); the catalogue's estimate until model.json arrives. */
  total: number;
  /** Average speed since the download started. */
  bytesPerSecond: number;
}

/** The fetch the downloader uses; tests and hosts may pass their own. */
export type Fetch = typeof fetch;

/** How often a failed file transfer is tried again (resuming where it stopped). */
const ATTEMPTS = 3;

const BYTES_PER_DTYPE: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, complex64: 8, string: 0 };

interface WeightsGroup {
  paths: string[];
  weights: { shape: number[]; dtype: string; quantization?: { dtype: string } }[];
}

/** Weight file paths and their total size, from a model.json's manifest. */
export function weightFiles(modelJson: unknown): { paths: string[]; bytes: number } {
  const manifest = (modelJson as { weightsManifest?: WeightsGroup[] }).weightsManifest;
  if (!Array.isArray(manifest)) throw new CapaError('invalid-argument', said('errors.backboneDownload.noWeightsManifest'));
  const paths = manifest.flatMap((group) => group.paths);
  const bytes = manifest
    .flatMap((group) => group.weights)
    .reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1) * (BYTES_PER_DTYPE[w.quantization?.dtype ?? w.dtype] ?? 4), 0);
  return { paths, bytes };
}

/** Weight count of a model.json, from its manifest's shapes. */
export function paramsOf(modelJson: unknown): number {
  const manifest = (modelJson as { weightsManifest?: WeightsGroup[] }).weightsManifest ?? [];
  return manifest.flatMap((group) => group.weights).reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1), 0);
}

/** Paths in a manifest must stay inside the model's folder. */
export function safeRelative(path: string): string {
  const clean = normalize(path.replace(/^\.\//, ''));
  if (clean.startsWith('..') || clean.startsWith(sep) || /^[a-zA-Z]:/.test(clean)) {
    throw new CapaError('invalid-argument', said('errors.backboneDownload.outsideFolder', { path }));
  }
  return clean;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const reasonOf = (error: unknown): string => {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
};

/**
 * Downloads `entry` into `stagingDir` and returns the SHA-256 of every file by relative path.
 * Files already complete in `stagingDir` (a previous, interrupted attempt) are resumed, not refetched.
 */
export async function downloadModel(
  entry: BackboneEntry,
  stagingDir: string,
  onProgress: (progress: DownloadProgress) => void,
  fetchImpl: Fetch = fetch,
): Promise<Record<string, string>> {
  await mkdir(stagingDir, { recursive: true });
  const started = performance.now();
  let received = 0;
  let total = entry.sizeBytes;
  const report = () =>
    onProgress({
      bytes: received,
      total: Math.max(total, received),
      bytesPerSecond: received / Math.max(1e-3, (performance.now() - started) / 1000),
    });
  const base = new URL(entry.url);
  const hashes: Record<string, string> = {};

  const fetchFile = async (relative: string): Promise<void> => {
    const target = join(stagingDir, relative);
    const part = `${target}.part`;
    await mkdir(dirname(target), { recursive: true });
    const url = new URL(relative === 'model.json' ? base : new URL(relative, base));
    if (entry.query) url.search = entry.query;
    const before = received;
    let lastError: unknown;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const have = existsSync(part) ? (await stat(part)).size : 0;
      try {
        const response = await fetchImpl(url, { headers: have > 0 ? { Range: `bytes=${have}-` } : {} });
        // Only a reason inside the sentence below, after the last attempt: the server's own words.
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
        // 206: the server resumed; 200: it sent the whole file again, so start over.
        received = before + (response.status === 206 ? have : 0);
        const file = await open(part, response.status === 206 ? 'a' : 'w');
        try {
          for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
            await file.write(chunk);
            received += chunk.byteLength;
            report();
          }
        } finally {
          await file.close();
        }
        await rename(part, target);
        const expected = entry.sha256?.[relative];
        const actual = await sha256File(target);
        if (expected && expected.toLowerCase() !== actual) {
          await rm(target, { force: true });
          throw new ChecksumError(
            said('errors.backboneDownload.checksum', {
              name: entry.title,
              file: relative,
              expected: expected.slice(0, 12),
              received: actual.slice(0, 12),
            }),
          );
        }
        hashes[relative] = actual;
        return;
      } catch (error) {
        if (error instanceof ChecksumError) throw new CapaError('io', error.sentence);
        lastError = error;
        if (attempt < ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, 300 * attempt));
      }
    }
    throw new CapaError(
      'io',
      said('errors.backboneDownload.failed', {
        name: entry.title,
        host: url.host,
        reason: reasonOf(lastError),
        url: entry.url.replace(/\/model\.json$/, ''),
      }),
    );
  };

  await fetchFile('model.json');
  const modelJson: unknown = JSON.parse(await readFile(join(stagingDir, 'model.json'), 'utf8'));
  const weights = weightFiles(modelJson);
  total = received + weights.bytes;
  report();
  for (const path of weights.paths) await fetchFile(safeRelative(path));
  return hashes;
}

/** A file whose bytes differ from the published checksum: never retried. */
class ChecksumError extends Error {
  constructor(readonly sentence: Said) {
    super(sentence.message);
  }
}
