// Data-pipeline benchmarks: (1) peak memory (VmHWM) of the real training process on 5,000 and
// 20,000 images of 96x96, which must not grow with the data set (the old design held every image
// as float32: 20,000 x 96 x 96 x 3 x 4 B = 2.1 GiB, refused); (2) the pixel cache's file layout, one
// file per image against a pack file, read back at the same concurrency; (3) time from pressing
// Train (startRun through the real service) to the first batch, cold cache and warm cache.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import type { RunEvent } from '../../preload/contract';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import { PRESETS } from '../../common/model/presets';
import { modelSpecSchema, SPEC_VERSION, type InputSpec, type ModelSpec } from '../../common/model/spec';
import { hashBytes } from '../../main/core/dataset/image-store';
import { forkTrainerPort, TrainerClient } from '../../main/core/runs/trainer-client';
import { PixelCache } from '../../main/trainer/pixel-cache';
import type { TrainItem } from '../../main/trainer/protocol';
import { SHAPES, seededRandom } from '../helpers/shapes';

const SIZE = 96;
/** The large data set; CAPA_BENCH_IMAGES=2000 gives a quick run (the small one is a quarter). */
const LARGE = Number(process.env['CAPA_BENCH_IMAGES'] ?? 20_000);
const INPUT: InputSpec = { width: SIZE, height: SIZE, channels: 3, resize: 'squash' };

/**
 * Writes `count` distinct 96x96 JPEGs under dir/<shape>/ (labels cycle over the shapes), drawn in
 * raw pixels (librsvg is too slow for 20,000). Returns their items, in writing order.
 */
async function writeImages(dir: string, count: number): Promise<TrainItem[]> {
  const random = seededRandom(96);
  const pixels = Buffer.alloc(SIZE * SIZE * 3);
  const items: TrainItem[] = [];
  for (const shape of SHAPES) mkdirSync(join(dir, shape), { recursive: true });
  for (let n = 0; n < count; n++) {
    const label = n % SHAPES.length;
    const [br, bg, bb, fr, fg, fb] = Array.from({ length: 6 }, () => Math.floor(random() * 256)) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const r = 14 + random() * 16;
    const cx = r + random() * (SIZE - 2 * r);
    const cy = r + random() * (SIZE - 2 * r);
    for (let y = 0, i = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++, i += 3) {
        const dx = x - cx;
        const dy = y - cy;
        const inside =
          label === 0
            ? dx * dx + dy * dy < r * r
            : label === 1
              ? Math.abs(dx) < r && Math.abs(dy) < r
              : dy < r && dy > -r && Math.abs(dx) < (dy + r) / 2;
        pixels[i] = inside ? fr : br;
        pixels[i + 1] = inside ? fg : bg;
        pixels[i + 2] = inside ? fb : bb;
      }
    }
    const path = join(dir, SHAPES[label]!, `img-${n}.jpg`);
    writeFileSync(
      path,
      await sharp(pixels, { raw: { width: SIZE, height: SIZE, channels: 3 } })
        .jpeg({ quality: 90 })
        .toBuffer(),
    );
    items.push({ path, label, split: 'train' });
  }
  return items;
}

/** A cheap network at 96x96x3 (pool first), so the pipeline, not the model, sets the pace. */
function cheapSpec(): ModelSpec {
  return modelSpecSchema.parse({
    version: SPEC_VERSION,
    preset: 'custom',
    input: INPUT,
    layers: [
      { type: 'MaxPooling2D', pool_size: 4, strides: null, padding: 'valid' },
      { type: 'Conv2D', filters: 8, kernel_size: 3, strides: 1, padding: 'valid', activation: 'relu' },
      { type: 'MaxPooling2D', pool_size: 2, strides: null, padding: 'valid' },
      { type: 'Flatten' },
      { type: 'Dense', units: 32, activation: 'relu' },
    ],
    training: { optimizer: 'adam', learning_rate: 0.001, epochs: 1, batch_size: 64, seed: 1, validation: 'none' },
  });
}

/** Child processes of this process (Linux). */
function children(): Set<number> {
  try {
    return new Set(
      readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
    );
  } catch {
    return new Set();
  }
}

/** A field of /proc/<pid>/status in MiB (VmHWM: peak resident memory). */
function statusMiB(pid: number, field: 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

interface PipelineRun {
  seconds: number;
  imagesPerSecond: number;
  peakMiB: number;
  startMiB: number;
  log: string;
}

/** One epoch over `items` in a fresh training process; peak memory read from /proc before it exits. */
async function trainFresh(items: TrainItem[], cacheDir: string, outDir: string): Promise<PipelineRun & { client: TrainerClient }> {
  const before = children();
  const trainer = new TrainerClient(forkTrainerPort);
  await trainer.hello();
  const pid = [...children()].find((p) => !before.has(p)) ?? [...children()].at(-1)!;
  const startMiB = statusMiB(pid, 'VmHWM');
  let log = '';
  const started = performance.now();
  await trainer.train(
    { runId: `bench-${items.length}`, spec: cheapSpec(), classNames: [...SHAPES], items, outDir, pixelCacheDir: cacheDir },
    (event: RunEvent) => {
      if (event.kind === 'log' && /^(Images at|Training waited)/.test(event.message)) log += ` ${event.message}`;
    },
  );
  const seconds = (performance.now() - started) / 1000;
  return { seconds, imagesPerSecond: items.length / seconds, peakMiB: statusMiB(pid, 'VmHWM'), startMiB, log, client: trainer };
}

/** Calls `read` for 0..count-1, `concurrency` at a time; calls per second. */
async function readRate(count: number, read: (index: number) => Promise<unknown>, concurrency = 8): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await read(next++);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

/** Per-file cache entries against one pack file holding the same bytes. */
async function layoutBench(items: TrainItem[], cacheDir: string, root: string): Promise<void> {
  const cache = new PixelCache(cacheDir, INPUT);
  const hashes = items.map((item) => hashBytes(readFileSync(item.path)));
  const perFile = await readRate(hashes.length, (i) => cache.read(hashes[i]!));
  const entryBytes = 4 + SIZE * SIZE * 3;
  const pack = join(root, 'pixels.pack');
  const handle = await open(pack, 'w');
  for (const hash of hashes) await handle.write(await readFile(cache.file(hash)));
  await handle.close();
  const reader = await open(pack, 'r');
  const packed = await readRate(hashes.length, async (i) => {
    const { buffer } = await reader.read(Buffer.allocUnsafe(entryBytes), 0, entryBytes, i * entryBytes);
    return crc32(buffer.subarray(4)) === buffer.readUInt32LE(0); // the same check as the per-file cache
  });
  await reader.close();
  console.log(
    `  pixel cache read-back of ${hashes.length.toLocaleString('en-US')} entries (${(entryBytes / 1024).toFixed(1)} KiB each, page cache warm, 8 at a time): one file per image ${perFile.toFixed(0)} entries/s (with CRC check), one pack file ${packed.toFixed(0)} entries/s (with CRC check)`,
  );
}

/** Time from startRun to the first progress event of the run, then stops it. */
async function firstBatch(service: ReturnType<typeof createCapaService>, projectId: string): Promise<number> {
  let started = 0;
  let first = 0;
  let runId = '';
  const done = new Promise<void>((resolve) => {
    const off = service.onRunEvent((event) => {
      if (event.kind === 'progress' && first === 0) {
        first = performance.now();
        void service.call('stopRun', { projectId, runId: event.runId });
      }
      if (event.kind === 'done' && event.runId === runId) {
        off();
        resolve();
      }
    });
  });
  started = performance.now();
  runId = (await callOrThrow(service, 'startRun', { projectId })).id;
  await done;
  return (first - started) / 1000;
}

async function serviceBench(root: string, images: string): Promise<void> {
  const service = createCapaService({ dataDir: join(root, 'service-data'), host: 'browser' });
  try {
    const spec = PRESETS.find((preset) => preset.id === 'small-cnn')!.build(INPUT, { epochs: 1, batch_size: 32, seed: 1 });
    const projects: string[] = [];
    for (const name of ['First', 'Second']) {
      const project = await callOrThrow(service, 'createProject', { name });
      const report = await callOrThrow(service, 'importPaths', { projectId: project.id, paths: [images] });
      await callOrThrow(service, 'saveSpec', { projectId: project.id, spec });
      projects.push(project.id);
      if (name === 'First')
        console.log(`  project of ${report.imported} images (96x96 JPEG, 3 classes), Small CNN preset at 96x96x3, batch 32:`);
    }
    const cold = await firstBatch(service, projects[0]!);
    const warm = await firstBatch(service, projects[0]!);
    const coldRunning = await firstBatch(service, projects[1]!);
    console.log(
      `  Train to first batch: ${cold.toFixed(2)} s first run (starts the training process, cold pixel cache), ${warm.toFixed(2)} s second run (warm cache), ${coldRunning.toFixed(2)} s another project's first run (process running, cold cache)`,
    );
  } finally {
    await service.close();
  }
}

export async function pipelineBench(root: string): Promise<void> {
  console.log('\nData pipeline, 96x96x3 JPEGs, a cheap network (MaxPool 4, Conv2D 8, MaxPool, Dense 32), 1 epoch, batch 64:');
  const generated = performance.now();
  const items = await writeImages(join(root, 'pipeline96'), LARGE);
  console.log(`  generated ${items.length.toLocaleString('en-US')} images in ${((performance.now() - generated) / 1000).toFixed(0)} s`);
  const results: [number, PipelineRun][] = [];
  for (const count of [LARGE / 4, LARGE]) {
    const cacheDir = join(root, `pixels-${count}`);
    const cold = await trainFresh(items.slice(0, count), cacheDir, join(root, `pipeline-run-${count}`));
    await cold.client.close();
    results.push([count, cold]);
    const old = (count * SIZE * SIZE * 3 * 4) / 2 ** 20;
    console.log(
      `  ${count.toLocaleString('en-US')} images, cold cache: ${cold.imagesPerSecond.toFixed(0)} images/s; trainer peak RSS (VmHWM) ${cold.peakMiB.toFixed(0)} MiB ` +
        `(${cold.startMiB.toFixed(0)} MiB after start; decoding all as float32 would hold ${old.toFixed(0)} MiB). ${cold.log}`,
    );
  }
  const warm = await trainFresh(items, join(root, `pixels-${LARGE}`), join(root, 'pipeline-run-warm'));
  await warm.client.close();
  console.log(
    `  ${LARGE.toLocaleString('en-US')} images, warm cache: ${warm.imagesPerSecond.toFixed(0)} images/s; peak RSS ${warm.peakMiB.toFixed(0)} MiB. ${warm.log}`,
  );
  const [, small] = results[0]!;
  const [, large] = results[1]!;
  console.log(
    `  peak memory ${LARGE.toLocaleString('en-US')} vs ${(LARGE / 4).toLocaleString('en-US')} images: ${large.peakMiB - small.peakMiB >= 0 ? '+' : ''}${(large.peakMiB - small.peakMiB).toFixed(0)} MiB`,
  );
  await layoutBench(items, join(root, `pixels-${LARGE}`), root);

  console.log('\nTime from pressing Train to the first batch, through the service:');
  const subset = join(root, 'service-images');
  await writeImages(subset, 1_500);
  await serviceBench(root, subset);
}
