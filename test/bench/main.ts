// `npm run bench`: training throughput of the trainer process on this machine, per backend.
// Runs the real process (forkTrainerPort) on generated images, as the app does, and prints
// images/s, the time from the train request to the first batch, and ratios between backends
// (and to PyTorch on the same network, when python3 has torch); then the dataset section
// (test/bench/import.ts): import throughput and memory, and opening a 50,000-image project; the
// transfer section (test/bench/transfer.ts); the data pipeline (test/bench/pipeline.ts): peak
// memory on 5,000 and 20,000 images, the pixel cache, and time from Train to the first batch; and
// batch prediction of 1,000 pictures (test/bench/predict.ts); evaluation throughput and explanation
// time (test/bench/evaluate.ts); and reliability (test/bench/reliability.ts): a soak of 10 runs on
// 5,000 images and the reliability harness, with its table; and a 100,000-picture project
// (test/bench/large.ts): import, open, scroll, search, split, export and peak memory.
// The inference section (test/bench/inference.ts): ONNX Runtime against TensorFlow.js and PyTorch.
// `npm run bench -- pipeline` (or training, import, transfer, predict, evaluate, reliability, large, inference) runs one section alone.
import { PYTHON, pythonMissing, spawnPython } from '../helpers/python';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent } from '../../preload/contract';
import { PRESETS } from '../../common/model/presets';
import { modelSpecSchema, SPEC_VERSION, type InputSpec, type ModelSpec } from '../../common/model/spec';
import { forkTrainerPort, TrainerClient } from '../../main/core/runs/trainer-client';
import type { TrainItem } from '../../main/trainer/protocol';
import { SHAPES, writeShapeDataset } from '../helpers/shapes';
import { evaluateBench } from './evaluate';
import { gpuEngineBench } from './engines-gpu';
import { largeBench } from './large';
import { importBench } from './import';
import { inferenceBench } from './inference';
import { pipelineBench } from './pipeline';
import { predictBench } from './predict';
import { reliabilityBench } from './reliability';
import { transferBench } from './transfer';

interface Measurement {
  backend: string;
  /** Steady-state training images per second. */
  imagesPerSecond: number;
  /** From sending the train request to the first batch's progress event (decode + build + 1 batch). */
  firstBatchSeconds: number;
}

/** The 28x28x1 network of the course, as Keras would write it; the builder adds Dense(10, softmax). */
function referenceSpec(epochs: number): ModelSpec {
  return modelSpecSchema.parse({
    version: SPEC_VERSION,
    preset: 'custom',
    input: { width: 28, height: 28, channels: 1, resize: 'squash' },
    layers: [
      { type: 'Conv2D', filters: 32, kernel_size: 3, strides: 1, padding: 'valid', activation: 'relu' },
      { type: 'MaxPooling2D', pool_size: 2, strides: null, padding: 'valid' },
      { type: 'Conv2D', filters: 64, kernel_size: 3, strides: 1, padding: 'valid', activation: 'relu' },
      { type: 'MaxPooling2D', pool_size: 2, strides: null, padding: 'valid' },
      { type: 'Flatten' },
      { type: 'Dense', units: 128, activation: 'relu' },
    ],
    training: { optimizer: 'adam', learning_rate: 0.001, epochs, batch_size: 64, seed: 1 },
  });
}

/** Items for `classes` classes over the generated shape files (labels cycle, so any count works). */
function itemsFor(root: string, perShape: number, classes: number): TrainItem[] {
  return SHAPES.flatMap((shape) => Array.from({ length: perShape }, (_, i) => join(root, shape, `${shape}-${i}.png`))).map((path, i) => ({
    path,
    label: i % classes,
    split: 'train' as const,
  }));
}

/** The 1-minute load average, printed beside every figure: eight engineers share this machine. */
const load = (): string => `load ${loadavg()[0]!.toFixed(2)}`;

/**
 * Trains once in a fresh process on `engine` (forced through CAPA_BACKEND). Throughput is taken
 * between progress events of whole batches after the first one (which pays for kernel setup and
 * warm-up). Null, with the reason printed, when the engine cannot load here.
 */
async function measure(engine: string, spec: ModelSpec, items: TrainItem[], classes: number, outDir: string): Promise<Measurement | null> {
  process.env['CAPA_BACKEND'] = engine; // read by the process forkTrainerPort starts
  const client = new TrainerClient(forkTrainerPort);
  try {
    let info: Awaited<ReturnType<TrainerClient['hello']>>;
    try {
      info = await client.hello();
    } catch (error) {
      console.log(`  ${engine}: skipped (${(error instanceof Error ? error.message : String(error)).split('\n')[0]})`);
      return null;
    }
    const marks: { time: number; images: number }[] = [];
    let seen = 0;
    const batchSize = spec.training.batch_size;
    const batches = Math.ceil(items.length / batchSize);
    const start = performance.now();
    let firstBatch = NaN;
    await client.train(
      { runId: `bench-${engine}`, spec, classNames: Array.from({ length: classes }, (_, i) => `class ${i}`), items, outDir },
      (event: RunEvent) => {
        if (event.kind !== 'progress') return;
        const now = performance.now();
        if (Number.isNaN(firstBatch)) firstBatch = (now - start) / 1000;
        seen = (event.epoch - 1) * items.length + Math.min(items.length, event.batch * batchSize);
        marks.push({ time: now, images: seen });
      },
    );
    const first = marks[0]!;
    const last = marks.at(-1)!;
    const imagesPerSecond = (last.images - first.images) / ((last.time - first.time) / 1000);
    // The GPU engines run on SwiftShader on machines without a GPU: correctness, not speed.
    const software =
      engine.startsWith('chromium') && /swiftshader|llvmpipe|software|fallback/i.test(info.description)
        ? ' [software rendering: says nothing about GPU speed]'
        : '';
    console.log(
      `  ${engine} = ${info.description}: ${imagesPerSecond.toFixed(1)} images/s over ${last.images - first.images} images (${batches} batches/epoch), first batch after ${firstBatch.toFixed(2)} s (${load()})${software}`,
    );
    return { backend: engine, imagesPerSecond, firstBatchSeconds: firstBatch };
  } finally {
    await client.close();
  }
}

const PYTORCH = String.raw`
import os, sys, time
try:
    import torch
except Exception as e:
    print("SKIP " + type(e).__name__ + ": " + str(e)); sys.exit(0)
from torch import nn
torch.manual_seed(1); torch.set_num_threads(int(sys.argv[1]))
net = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                    nn.Flatten(), nn.Linear(64 * 5 * 5, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.Adam(net.parameters(), lr=0.001); loss_fn = nn.CrossEntropyLoss()
x = torch.rand(64, 1, 28, 28); y = torch.randint(0, 10, (64,))
def step():
    opt.zero_grad(); loss = loss_fn(net(x), y); loss.backward(); opt.step()
for _ in range(3): step()
n = 0; t = time.perf_counter()
while time.perf_counter() - t < 5: step(); n += 64
print("RATE %f %s" % (n / (time.perf_counter() - t), torch.__version__))
`;

/** The PyTorch figure from Debian's Python (python3-torch installs there), through the tests' one Python helper. */
function pytorchRate(): { rate: number; version: string } | { skipped: string } {
  const missing = pythonMissing();
  if (missing) return { skipped: missing };
  const result = spawnPython(PYTORCH, [String(availableParallelism())], 60_000);
  if (result.error) return { skipped: `${PYTHON} could not run (${result.error.message})` };
  const out = result.stdout.trim();
  if (out.startsWith('SKIP ')) return { skipped: `${PYTHON} has no torch (${out.slice(5)})` };
  const match = /^RATE ([\d.]+) (\S+)$/m.exec(out);
  if (!match) return { skipped: `the PyTorch script failed under ${PYTHON}: ${(result.stderr || out).trim().split('\n').at(-1)}` };
  return { rate: Number(match[1]), version: match[2]! };
}

/** The engines the bench tries, fastest first (main/trainer/engines/engine.ts); those that cannot load here say why. */
const ENGINES = ['tensorflow-gpu', 'chromium-webgpu', 'chromium-webgl', 'tensorflow', 'wasm-parallel', 'wasm'] as const;
const CPU_ENGINES: readonly string[] = ['tensorflow', 'wasm-parallel', 'wasm'];

async function trainingBench(root: string): Promise<void> {
  console.log('Generating images...');
  await writeShapeDataset(join(root, 'shapes96'), { perClass: 64, size: 96 });
  await writeShapeDataset(join(root, 'shapes28'), { perClass: 214, size: 28 });

  console.log(`\nSmall CNN preset, 96x96x3, 3 classes, 192 images, batch 32, 3 epochs (${availableParallelism()} cores):`);
  const input96: InputSpec = { width: 96, height: 96, channels: 3, resize: 'squash' };
  const small = PRESETS.find((preset) => preset.id === 'small-cnn')!.build(input96, { epochs: 3, batch_size: 32, seed: 1 });
  for (const engine of ENGINES) await measure(engine, small, itemsFor(join(root, 'shapes96'), 64, 3), 3, join(root, `run-small-${engine}`));
  // Plain JavaScript would need minutes for two batches of this network; the ratio below says how far behind it is.
  console.log('  cpu (plain JavaScript): not measured here (see the reference network ratio below).');

  console.log('\nReference network, 28x28x1 (Conv2D 32, MaxPool, Conv2D 64, MaxPool, Flatten, Dense 128, Dense 10), batch 64, Adam:');
  const items28 = itemsFor(join(root, 'shapes28'), 214, 10).slice(0, 1280);
  const measured: Measurement[] = [];
  for (const engine of ENGINES) {
    const result = await measure(engine, referenceSpec(2), items28, 10, join(root, `run-ref-${engine}`));
    if (result) measured.push(result);
  }
  // Plain JavaScript is ~100x slower: two batches are enough to time it.
  const cpu = await measure('cpu', referenceSpec(1), items28.slice(0, 128), 10, join(root, 'run-ref-cpu'));
  const wasm = measured.find((m) => m.backend === 'wasm');
  if (wasm && cpu) console.log(`  wasm / plain JavaScript: ${(wasm.imagesPerSecond / cpu.imagesPerSecond).toFixed(1)}x`);
  const parallel = measured.find((m) => m.backend === 'wasm-parallel');
  if (wasm && parallel) console.log(`  wasm-parallel / wasm: ${(parallel.imagesPerSecond / wasm.imagesPerSecond).toFixed(2)}x`);

  const best = measured.filter((m) => CPU_ENGINES.includes(m.backend)).sort((a, b) => b.imagesPerSecond - a.imagesPerSecond)[0];
  const torch = pytorchRate();
  if ('rate' in torch) {
    console.log(
      `  PyTorch ${torch.version} (CPU, ${availableParallelism()} threads, same network and batch, random data): ${torch.rate.toFixed(1)} images/s (${load()})`,
    );
    if (best)
      console.log(
        `reference network: best CPU engine ${best.backend} ${best.imagesPerSecond.toFixed(0)} img/s, pytorch ${torch.rate.toFixed(0)} img/s, ratio ${(best.imagesPerSecond / torch.rate).toFixed(2)}x`,
      );
  } else {
    console.log(`  PyTorch comparison skipped: ${torch.skipped}.`);
  }
  console.log('\nChromium engines (headless Chromium; SwiftShader where there is no GPU: fewer pictures, same networks):');
  await gpuEngineBench([
    {
      label: 'Small CNN 96x96x3, 1 epoch of 96',
      spec: { ...small, training: { ...small.training, epochs: 1 } },
      items: itemsFor(join(root, 'shapes96'), 64, 3).slice(0, 96),
      classes: 3,
      outDir: join(root, 'run-small-gpu'),
    },
    {
      label: 'reference network, 1 epoch of 256',
      spec: referenceSpec(1),
      items: items28.slice(0, 256),
      classes: 10,
      outDir: join(root, 'run-ref-gpu'),
    },
  ]);
}

const SECTIONS: Record<string, (root: string) => Promise<void>> = {
  training: trainingBench,
  import: importBench,
  transfer: transferBench,
  pipeline: pipelineBench,
  predict: predictBench,
  evaluate: evaluateBench,
  reliability: reliabilityBench,
  large: largeBench,
  inference: inferenceBench,
};

async function main(): Promise<void> {
  const started = performance.now();
  const chosen = process.argv.slice(2);
  const unknown = chosen.filter((name) => !(name in SECTIONS));
  if (unknown.length > 0)
    throw new Error(`Unknown bench section ${unknown.join(', ')}; the sections are ${Object.keys(SECTIONS).join(', ')}.`);
  const root = mkdtempSync(join(tmpdir(), 'capa-bench-'));
  try {
    for (const [name, section] of Object.entries(SECTIONS)) if (chosen.length === 0 || chosen.includes(name)) await section(root);
    console.log(
      `\nBench took ${((performance.now() - started) / 1000).toFixed(0)} s (load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')}).`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
