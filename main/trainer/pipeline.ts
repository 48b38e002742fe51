// The streaming data pipeline of a run: images are read from the project store (or the pixel
// cache), decoded and resized by sharp on libuv's threads, and assembled into batches ahead of
// the training loop. A bounded queue holds the next PREFETCH_BATCHES batches while trainOnBatch
// runs, so the backend never waits once warm and memory grows with the queue, not the data set.
// Node runs the JavaScript parts (normalising, augmenting) on the one main thread between
// batches; what overlaps with training is file reading and sharp's decoding.
import { readFile } from 'node:fs/promises';
import type { Said } from '../../preload/contract';
import { said } from '../../common/messages/said';
import type { InputSpec } from '../../common/model/spec';
import { imageToBytes } from '../core/dataset/preprocess';
import { hashBytes } from '../core/dataset/image-store';
import { hostBatch, splitItems, type BatchOptions, type DecodedSplit, type DecodeFailure, type HostBatch } from './dataset';
import { PixelCache, PRUNE_AFTER_DAYS } from './pixel-cache';
import { TrainingFailure, type ImageSource, type TrainItem, type TrainJob } from './protocol';

/** Batches built ahead of the one training: enough to hide a slow decode, few enough to bound memory. */
export const PREFETCH_BATCHES = 3;

/** How far a prefetch ran ahead, for tests of its bound. */
export interface PrefetchStats {
  /** Batches whose building had started. */
  started: number;
  /** Most batches started but not yet handed to the consumer at any one time. */
  maxAhead: number;
  /** Milliseconds the consumer spent waiting for a batch that was not ready yet. */
  waitedMs: number;
}

/**
 * Yields make(0), make(1), ... make(count - 1) in order, keeping up to `depth` of them being built
 * or waiting while the consumer works on the one it was given. Leaving early waits for the ones
 * already started (their results are dropped), so nothing runs on after the caller moved on.
 */
export async function* prefetch<T>(
  count: number,
  make: (index: number) => Promise<T>,
  depth: number,
  stats?: PrefetchStats,
): AsyncGenerator<T, void, undefined> {
  const ahead: Promise<T>[] = [];
  let next = 0;
  const fill = () => {
    while (next < count && ahead.length < depth) {
      const promise = make(next++);
      promise.catch(() => undefined); // rejections surface when awaited below, not as unhandled
      ahead.push(promise);
      if (stats) {
        stats.started++;
        stats.maxAhead = Math.max(stats.maxAhead, ahead.length);
      }
    }
  };
  try {
    fill();
    while (ahead.length > 0) {
      const asked = performance.now();
      const value = await ahead[0]!;
      if (stats) stats.waitedMs += performance.now() - asked;
      ahead.shift();
      fill(); // the next batch starts decoding before this one is handed over and trained on
      yield value;
    }
  } finally {
    await Promise.allSettled(ahead);
  }
}

/** Turns a run's items into 8-bit pixels through the pixel cache; an image that fails once is skipped from then on. */
export class PixelLoader {
  /** Images that could not be decoded, in the order met. */
  readonly failures: DecodeFailure[] = [];
  /** Images decoded from their files (every cache miss). */
  decodes = 0;
  /** Why the cache could not be written, if it could not (training goes on without it). */
  cacheError: string | null = null;
  private readonly failed = new Set<string>();

  constructor(
    /** Size and preprocessing of the pixels. */
    readonly input: InputSpec,
    private readonly cache: PixelCache | null,
    private readonly onFailure: (failure: DecodeFailure) => void = () => undefined,
  ) {}

  /** The image's pixels, or null when it cannot be decoded (reported once through onFailure). */
  async load(item: TrainItem): Promise<Uint8Array | null> {
    if (this.failed.has(item.path)) return null;
    try {
      const cached = this.cache && item.hash ? await this.cache.read(item.hash) : null;
      if (cached) return cached;
      const file = await readFile(item.path);
      // Items without the store's hash (tests, benches) are hashed here: same key, one more read.
      const hash = this.cache ? (item.hash ?? hashBytes(file)) : '';
      const late = this.cache && !item.hash ? await this.cache.read(hash) : null;
      if (late) return late;
      const pixels = await imageToBytes(file, this.input);
      this.decodes++;
      if (this.cache && !this.cacheError) {
        await this.cache.write(hash, pixels).catch((error: unknown) => {
          this.cacheError = error instanceof Error ? error.message : String(error);
        });
      }
      return pixels;
    } catch (error) {
      // Two batches in flight may hold the same image (e.g. a test's repeated plans): report it once.
      if (this.failed.has(item.path)) return null;
      const failure = { path: item.path, message: error instanceof Error ? error.message : String(error) };
      this.failed.add(item.path);
      this.failures.push(failure);
      this.onFailure(failure);
      return null;
    }
  }
}

/** One batch to build: which images, and what happens to them. */
export interface BatchPlan {
  /** Indices into the split. */
  indices: ArrayLike<number>;
  /** Augmentation and class weights (training batches only). */
  options?: BatchOptions;
}

/** A split the training loop draws batches from, streamed or in memory. */
export interface SplitSource {
  /** Images in the split; ones that fail to decode drop out of their batch. */
  readonly count: number;
  /** Class index of each image. */
  readonly labels: Int32Array;
  /** The batches of `plans`, in order, the next few built ahead. */
  batches(plans: readonly BatchPlan[]): AsyncGenerator<HostBatch, void, undefined>;
}

/** Images streamed through `loader`, PREFETCH_BATCHES (or `depth`) batches ahead. */
export function streamSource(
  items: readonly TrainItem[],
  loader: PixelLoader,
  numClasses: number,
  depth = PREFETCH_BATCHES,
  stats?: PrefetchStats,
): SplitSource {
  return {
    count: items.length,
    labels: Int32Array.from(items, (item) => item.label),
    batches: (plans) =>
      prefetch(
        plans.length,
        async (b) => {
          const { indices, options } = plans[b]!;
          const chosen = Array.from(indices, (i) => items[i]!);
          const loaded = await Promise.all(chosen.map((item) => loader.load(item)));
          const images = chosen.flatMap((item, k) => (loaded[k] ? [{ pixels: loaded[k], label: item.label }] : []));
          return hostBatch(images, loader.input, numClasses, options);
        },
        depth,
        stats,
      ),
  };
}

/** A split already in memory (backbone features), cut into batches on demand. */
export function memorySource(split: DecodedSplit, input: InputSpec, numClasses: number): SplitSource {
  return {
    count: split.count,
    labels: split.labels,
    batches: (plans) =>
      prefetch(plans.length, async (b) => hostBatch(splitItems(split, plans[b]!.indices, input), input, numClasses, plans[b]!.options), 1),
  };
}

/**
 * Batches of images to classify, decoded PREFETCH_BATCHES batches ahead. Unlike training, an
 * image that cannot be decoded fails the whole request (the caller asked for every one).
 */
export function predictionBatches(
  images: readonly ImageSource[],
  input: InputSpec,
  batchSize: number,
): AsyncGenerator<HostBatch, void, undefined> {
  const plans = sequentialPlans(images.length, batchSize);
  return prefetch(
    plans.length,
    async (b) => {
      const decoded = await Promise.all(Array.from(plans[b]!.indices, (i) => imageToBytes(sourceOf(images[i]!), input)));
      return hostBatch(
        decoded.map((pixels) => ({ pixels, label: 0 })),
        input,
        1,
      );
    },
    PREFETCH_BATCHES,
  );
}

const sourceOf = (image: ImageSource): string | Uint8Array => ('path' in image ? image.path : image.bytes);

/** Batches of `batchSize` over 0..count-1 in order (validation, evaluation, embedding). */
export function sequentialPlans(count: number, batchSize: number): BatchPlan[] {
  return Array.from({ length: Math.ceil(count / batchSize) }, (_, b) => ({
    indices: Int32Array.from({ length: Math.min(batchSize, count - b * batchSize) }, (_, i) => b * batchSize + i),
  }));
}

/** Warnings about single images stop here; the rest are counted in one line. */
const MAX_WARNINGS = 20;

/** The two splits of a run and what happened to their images. */
export interface Pipeline {
  /** Training images. */
  train: SplitSource;
  /** Validation images (count 0 when the run has none). */
  validation: SplitSource;
  /** Training images found undecodable so far. */
  failed(): number;
  /** Logs how many images were decoded, read from the cache or skipped (after the first epoch). */
  report(): void;
  /** Silences batches still decoding when the run ends (say, by an error): no event after the run's last. */
  close(): void;
}

/**
 * Opens the splits of a run. `decode`, when given, makes each split in memory up front (backbone
 * features); otherwise images stream through the pixel cache in `job.pixelCacheDir`.
 */
export async function openPipeline(
  job: TrainJob,
  trainItems: readonly TrainItem[],
  validationItems: readonly TrainItem[],
  log: (level: 'info' | 'warn', line: Said) => void,
  decode?: (items: readonly TrainItem[], failures: DecodeFailure[]) => Promise<DecodedSplit>,
): Promise<Pipeline> {
  const { input } = job.spec;
  const numClasses = job.classNames.length;
  let warned = 0;
  let closed = false;
  const warn = (failure: DecodeFailure) => {
    if (!closed && ++warned <= MAX_WARNINGS) log('warn', said('runs.pipeline.skipped', { path: failure.path, reason: failure.message }));
  };
  const close = () => {
    closed = true;
  };
  const reportSkipped = () => {
    if (warned > MAX_WARNINGS) log('warn', said('runs.pipeline.skippedMore', { more: warned - MAX_WARNINGS }));
  };
  if (decode) {
    const failures: DecodeFailure[] = [];
    const train = await decode(trainItems, failures);
    const validation = await decode(validationItems, failures);
    failures.forEach(warn);
    reportSkipped();
    if (train.count === 0) throw new TrainingFailure(said('runs.pipeline.noneDecoded'));
    return {
      train: memorySource(train, input, numClasses),
      validation: memorySource(validation, input, numClasses),
      failed: () => 0,
      report: () => undefined,
      close,
    };
  }

  let cache = job.pixelCacheDir ? new PixelCache(job.pixelCacheDir, input) : null;
  let pruned: string[] = [];
  try {
    pruned = (await cache?.open()) ?? [];
  } catch (error) {
    // A cache is a speed-up: a folder that cannot be written must not stop the run.
    log('warn', said('runs.pipeline.cacheUnusable', { reason: error instanceof Error ? error.message : String(error) }));
    cache = null;
  }
  const trainLoader = new PixelLoader(input, cache, warn);
  const validationLoader = new PixelLoader(input, cache, warn);
  const trainStats: PrefetchStats = { started: 0, maxAhead: 0, waitedMs: 0 };
  return {
    train: streamSource(trainItems, trainLoader, numClasses, PREFETCH_BATCHES, trainStats),
    validation: streamSource(validationItems, validationLoader, numClasses),
    failed: () => trainLoader.failures.length,
    report: () => {
      reportSkipped();
      const decoded = trainLoader.decodes + validationLoader.decodes;
      const size = { width: input.width, height: input.height, channels: input.channels, decoded };
      if (!cache) log('info', said('runs.pipeline.decoded', size));
      else if (cache.stats.corrupt === 0) log('info', said('runs.pipeline.decodedCached', { ...size, hits: cache.stats.hits }));
      else log('info', said('runs.pipeline.decodedCachedDamaged', { ...size, hits: cache.stats.hits, damaged: cache.stats.corrupt }));
      const cacheError = trainLoader.cacheError ?? validationLoader.cacheError;
      if (cacheError) log('warn', said('runs.pipeline.cacheNotWritten', { reason: cacheError }));
      // The first batch always waits; beyond that, waiting means decoding is slower than training.
      log('info', said('runs.pipeline.waited', { seconds: trainStats.waitedMs / 1000, batches: trainStats.started }));
      if (pruned.length > 0) log('info', said('runs.pipeline.pruned', { days: PRUNE_AFTER_DAYS, sizes: pruned.join(', ') }));
    },
    close,
  };
}
