// The streaming data pipeline with real PNG files and real sharp decoding: batches in the seeded
// order with the right pixels and labels, augmentation from a seed, the prefetch bound, and the
// on-disk pixel cache (hit, miss, invalidation, damaged entries, pruning) up to a real training run.
import { copyFileSync, existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../preload/contract';
import { imageToPixels } from '../../main/core/dataset/preprocess';
import { augmentImage, seededRandom } from '../../common/model/augment';
import { PRESETS } from '../../common/model/presets';
import type { InputSpec } from '../../common/model/spec';
import { hashBytes } from '../../main/core/dataset/image-store';
import { selectBackend } from '../../main/trainer/backends';
import { epochOrder, type HostBatch } from '../../main/trainer/dataset';
import { PixelLoader, prefetch, sequentialPlans, streamSource, type PrefetchStats } from '../../main/trainer/pipeline';
import { inputKey, PixelCache, PRUNE_AFTER_DAYS } from '../../main/trainer/pixel-cache';
import type { TrainItem } from '../../main/trainer/protocol';
import { forgetModel, PREDICT_BATCH, predictImages } from '../../main/trainer/predict';
import { runTraining } from '../../main/trainer/train';
import { runFolderPaths } from '../../main/core/projects/project-paths';
import { SHAPES, writeShapeDataset } from '../helpers/shapes';
import { removeTempDirs, tempDir } from '../helpers/temp';

const INPUT: InputSpec = { width: 12, height: 10, channels: 3, resize: 'squash' };
const PER_CLASS = 6;
let root: string;
let items: TrainItem[];

beforeAll(async () => {
  root = await writeShapeDataset(join(tempDir(), 'data'), { perClass: PER_CLASS, size: 20, seed: 4 });
  items = SHAPES.flatMap((shape, label) =>
    Array.from({ length: PER_CLASS }, (_, i): TrainItem => ({ path: join(root, shape, `${shape}-${i}.png`), label, split: 'train' })),
  );
});
afterAll(removeTempDirs);

/** Every batch of `plans` through a fresh uncached loader. */
async function collect(
  source: ReturnType<typeof streamSource>,
  plans: Parameters<ReturnType<typeof streamSource>['batches']>[0],
): Promise<HostBatch[]> {
  const out: HostBatch[] = [];
  for await (const batch of source.batches(plans)) out.push(batch);
  return out;
}

describe('streamed batches', () => {
  it('hold the right images and labels, in the seeded order', async () => {
    const order = epochOrder(items.length, 7, 1);
    const plans = Array.from({ length: Math.ceil(items.length / 4) }, (_, b) => ({ indices: order.subarray(b * 4, (b + 1) * 4) }));
    const batches = await collect(streamSource(items, new PixelLoader(INPUT, null), 3), plans);
    const size = INPUT.width * INPUT.height * INPUT.channels;
    expect(batches.map((b) => b.count)).toEqual([4, 4, 4, 4, 2]);
    for (const [b, batch] of batches.entries()) {
      for (let i = 0; i < batch.count; i++) {
        const item = items[order[b * 4 + i]!]!;
        expect(batch.labels[i]).toBe(item.label);
        expect(batch.y[i * 3 + item.label]).toBe(1);
        expect(batch.x.subarray(i * size, (i + 1) * size)).toEqual(await imageToPixels(item.path, INPUT));
      }
    }
  });

  it('shuffle differently each epoch, and the same way for the same seed', () => {
    const first = Array.from(epochOrder(items.length, 7, 1));
    expect(Array.from(epochOrder(items.length, 7, 1))).toEqual(first);
    expect(Array.from(epochOrder(items.length, 7, 2))).not.toEqual(first);
    expect(Array.from(epochOrder(items.length, 8, 1))).not.toEqual(first);
    expect([...first].sort((a, b) => a - b)).toEqual(items.map((_, i) => i));
  });

  it('augment from a seed: the same seed gives the same batch, another seed another', async () => {
    const source = streamSource(items, new PixelLoader(INPUT, null), 3);
    const augmented = (seed: number) => {
      const random = seededRandom(seed);
      const transform = (data: Float32Array) =>
        augmentImage(
          { data, height: INPUT.height, width: INPUT.width, channels: INPUT.channels },
          { ...PRESETS[0]!.build(INPUT).augmentation, flip: 'horizontal', rotation: 0.2, brightness: 0.3 },
          random,
        );
      return collect(source, [{ indices: [0, 5, 9], options: { transform } }]);
    };
    const [plain] = await collect(source, [{ indices: [0, 5, 9] }]);
    const [a] = await augmented(11);
    const [again] = await augmented(11);
    const [other] = await augmented(12);
    expect(again!.x).toEqual(a!.x);
    expect(other!.x).not.toEqual(a!.x);
    expect(a!.x).not.toEqual(plain!.x);
  });

  it('prefetch keeps at most `depth` batches ahead of the one being trained on', async () => {
    const stats: PrefetchStats = { started: 0, maxAhead: 0, waitedMs: 0 };
    let building = 0;
    let maxBuilding = 0;
    let consumed = 0;
    let maxUnconsumed = 0;
    const make = async (index: number) => {
      maxBuilding = Math.max(maxBuilding, ++building);
      await new Promise((resolve) => setTimeout(resolve, 2));
      building--;
      return index;
    };
    const seen: number[] = [];
    for await (const value of prefetch(12, make, 3, stats)) {
      // Made but not yet finished by the consumer: the ones ahead plus the one in hand.
      maxUnconsumed = Math.max(maxUnconsumed, stats.started - consumed);
      await new Promise((resolve) => setTimeout(resolve, 5)); // "training" is slower than decoding
      seen.push(value);
      consumed++;
    }
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(stats.maxAhead).toBe(3);
    expect(stats.waitedMs).toBeGreaterThan(0); // the first batch cannot be ready before it is asked for
    expect(maxBuilding).toBeLessThanOrEqual(3);
    expect(maxUnconsumed).toBeLessThanOrEqual(4);
    expect(stats.started).toBe(12);
  });

  it('stops building when the consumer leaves early, after waiting for the batches already started', async () => {
    const stats: PrefetchStats = { started: 0, maxAhead: 0, waitedMs: 0 };
    let finished = 0;
    const make = async (index: number) => {
      await new Promise((resolve) => setTimeout(resolve, 2));
      finished++;
      return index;
    };
    for await (const value of prefetch(50, make, 3, stats)) if (value === 1) break;
    expect(stats.started).toBe(5); // batches 0 and 1 handed over, 2..4 ahead
    expect(finished).toBe(5);
  });

  it('skips an undecodable image with one warning, however often it is asked for', async () => {
    const broken = join(tempDir(), 'broken.png');
    writeFileSync(broken, 'not an image');
    const warnings: string[] = [];
    const loader = new PixelLoader(INPUT, null, (failure) => warnings.push(failure.path));
    const list = [...items.slice(0, 3), { path: broken, label: 2, split: 'train' as const }];
    const source = streamSource(list, loader, 3);
    const batches = await collect(source, [...sequentialPlans(list.length, 4), ...sequentialPlans(list.length, 4)]);
    expect(batches.map((b) => b.count)).toEqual([3, 3]);
    expect(warnings).toEqual([broken]);
    expect(loader.failures[0]!.message).toMatch(/unsupported image format|Input buffer/i);
  });
});

describe('pixel cache', () => {
  /** Loads `list` through a fresh loader on the cache at `dir`; returns the loader, the cache and the pixels. */
  async function load(dir: string, list: readonly TrainItem[], input = INPUT) {
    const cache = new PixelCache(dir, input);
    const loader = new PixelLoader(input, cache);
    const pixels = await Promise.all(list.map((item) => loader.load(item)));
    return { loader, cache, pixels };
  }

  it('decodes once; the next run reads every image back from disk, 8 bits per value', async () => {
    const dir = tempDir();
    const first = await load(dir, items);
    expect(first.loader.decodes).toBe(items.length);
    expect(first.cache.stats).toMatchObject({ hits: 0, writes: items.length });
    const second = await load(dir, items);
    expect(second.loader.decodes).toBe(0);
    expect(second.cache.stats).toMatchObject({ hits: items.length, writes: 0, corrupt: 0 });
    expect(second.pixels).toEqual(first.pixels);
    const hash = hashBytes(readFileSync(items[0]!.path));
    expect(readFileSync(first.cache.file(hash)).byteLength).toBe(4 + INPUT.width * INPUT.height * INPUT.channels);
  });

  it('uses the store hash when the item carries it, without reading the image', async () => {
    const dir = tempDir();
    const item = items[1]!;
    await load(dir, [item]);
    // A hash that names the cached entry while the path is gone: only the cache can answer.
    const moved = { ...item, path: join(dir, 'gone.png'), hash: hashBytes(readFileSync(item.path)) };
    const again = await load(dir, [moved]);
    expect(again.loader.failures).toEqual([]);
    expect(again.cache.stats.hits).toBe(1);
  });

  it.each([
    ['input size', { ...INPUT, width: 14 }],
    ['colour mode', { ...INPUT, channels: 1 as const }],
    ['resize mode', { ...INPUT, resize: 'crop' as const }],
  ])('misses when the %s changes', async (_, changed) => {
    const dir = tempDir();
    await load(dir, items.slice(0, 4));
    const other = await load(dir, items.slice(0, 4), changed);
    expect(inputKey(changed)).not.toBe(inputKey(INPUT));
    expect(other.loader.decodes).toBe(4);
    expect(other.cache.stats.hits).toBe(0);
    expect((await load(dir, items.slice(0, 4))).loader.decodes).toBe(0); // the first key is intact
  });

  it('misses when the image content changes (a different hash)', async () => {
    const dir = tempDir();
    const file = join(tempDir(), 'changing.png');
    copyFileSync(items[0]!.path, file);
    const item: TrainItem = { path: file, label: 0, split: 'train' };
    const before = await load(dir, [item]);
    copyFileSync(items[9]!.path, file);
    const after = await load(dir, [item]);
    expect(after.loader.decodes).toBe(1);
    expect(after.pixels[0]).not.toEqual(before.pixels[0]);
    expect(after.pixels[0]).toEqual((await load(tempDir(), [items[9]!])).pixels[0]);
  });

  it.each([
    ['truncated', (bytes: Buffer) => bytes.subarray(0, bytes.byteLength - 7)],
    ['damaged in place', (bytes: Buffer) => Buffer.from(bytes.map((value, i) => (i === 40 ? value ^ 0xff : value)))],
  ])('detects a %s entry, decodes the image again and rewrites the entry', async (_, damage) => {
    const dir = tempDir();
    const { cache, pixels } = await load(dir, [items[2]!]);
    const file = cache.file(hashBytes(readFileSync(items[2]!.path)));
    writeFileSync(file, damage(readFileSync(file)));
    const again = await load(dir, [items[2]!]);
    expect(again.cache.stats).toMatchObject({ corrupt: 1, hits: 0, writes: 1 });
    expect(again.loader.decodes).toBe(1);
    expect(again.pixels).toEqual(pixels);
    expect((await load(dir, [items[2]!])).cache.stats.hits).toBe(1);
  });

  it(`prunes input keys unused for ${PRUNE_AFTER_DAYS} days, and keeps recent ones`, async () => {
    const dir = tempDir();
    const old = new PixelCache(dir, { ...INPUT, width: 30 });
    const recent = new PixelCache(dir, { ...INPUT, width: 31 });
    await old.open();
    await recent.open();
    const longAgo = (Date.now() - (PRUNE_AFTER_DAYS + 1) * 86_400_000) / 1000;
    utimesSync(join(old.dir, 'last-used'), longAgo, longAgo);
    const pruned = await new PixelCache(dir, INPUT).open();
    expect(pruned).toEqual([inputKey({ ...INPUT, width: 30 })]);
    expect(existsSync(old.dir)).toBe(false);
    expect(existsSync(recent.dir)).toBe(true);
  });

  it('makes the second training run decode nothing, with the same losses as the first', async () => {
    const { tf, info } = await selectBackend({ force: 'wasm' });
    const cacheDir = join(tempDir(), 'cache', 'pixels');
    const withValidation = items.map((item, i): TrainItem => ({ ...item, split: i % 3 === 0 ? 'validation' : 'train' }));
    const train = async (runId: string) => {
      const events: RunEvent[] = [];
      const spec = PRESETS.find((p) => p.id === 'mlp')!.build(INPUT, { epochs: 2, batch_size: 4, seed: 3 });
      await runTraining(
        { runId, spec, classNames: [...SHAPES], items: withValidation, outDir: join(tempDir(), runId), pixelCacheDir: cacheDir },
        { tf, backend: info, emit: (e) => events.push(e), shouldStop: () => false },
      );
      return {
        losses: events.flatMap((e) => (e.kind === 'epoch' ? [e.metrics.loss, e.metrics.valLoss] : [])),
        log: events.flatMap((e) => (e.kind === 'log' && e.message.startsWith('Images at') ? [e.message] : [])),
      };
    };
    const cold = await train('cold');
    const warm = await train('warm');
    expect(cold.log).toEqual([`Images at 12x10x3: ${items.length} decoded; 0 read from the pixel cache.`]);
    expect(warm.log).toEqual([`Images at 12x10x3: 0 decoded; ${items.length} read from the pixel cache.`]);
    expect(warm.losses).toEqual(cold.losses);
    expect(existsSync(join(cacheDir, inputKey(INPUT)))).toBe(true);
  });

  it('trains without the cache, and says so, when its folder cannot be written', async () => {
    const { tf, info } = await selectBackend({ force: 'wasm' });
    const blocker = join(tempDir(), 'a-file');
    writeFileSync(blocker, 'not a folder');
    const events: RunEvent[] = [];
    const spec = PRESETS.find((p) => p.id === 'mlp')!.build(INPUT, { epochs: 1, batch_size: 8, seed: 3 });
    const result = await runTraining(
      {
        runId: 'no-cache',
        spec,
        classNames: [...SHAPES],
        items,
        outDir: join(tempDir(), 'no-cache'),
        pixelCacheDir: join(blocker, 'pixels'),
      },
      { tf, backend: info, emit: (e) => events.push(e), shouldStop: () => false },
    );
    expect(result.status).toBe('completed');
    const logs = events.flatMap((e) => (e.kind === 'log' ? [`${e.level}: ${e.message}`] : []));
    expect(logs).toContainEqual(
      expect.stringMatching(/^warn: The pixel cache cannot be used, so images are decoded every epoch: .*(ENOTDIR|EEXIST)/),
    );
    expect(logs).toContain(`info: Images at 12x10x3: ${items.length} decoded.`);
  });
});

describe('prediction', () => {
  it('classifies many images batch by batch, each exactly as when sent alone, and fails on an undecodable one', async () => {
    const { tf, info } = await selectBackend({ force: 'wasm' });
    const outDir = join(tempDir(), 'predict-run');
    const spec = PRESETS.find((p) => p.id === 'mlp')!.build(INPUT, { epochs: 1, batch_size: 8, seed: 2 });
    await runTraining(
      { runId: 'predict', spec, classNames: [...SHAPES], items, outDir },
      { tf, backend: info, emit: () => undefined, shouldStop: () => false },
    );
    const many = [...items, ...items].map((item) => ({ path: item.path })); // 36 images: two batches
    expect(many.length).toBeGreaterThan(PREDICT_BATCH);
    const rows = await predictImages(tf, runFolderPaths(outDir).weights('best'), INPUT, many);
    expect(rows).toHaveLength(many.length);
    for (const i of [0, 5, PREDICT_BATCH, many.length - 1]) {
      const [alone] = await predictImages(tf, runFolderPaths(outDir).weights('best'), INPUT, [many[i]!]);
      alone!.forEach((p, k) => expect(rows[i]![k]).toBeCloseTo(p, 6));
    }
    expect(rows[items.length]).toEqual(rows[0]);
    const broken = join(tempDir(), 'broken.png');
    writeFileSync(broken, 'not an image');
    await expect(predictImages(tf, runFolderPaths(outDir).weights('best'), INPUT, [...many, { path: broken }])).rejects.toThrow();
    forgetModel();
  });
});
