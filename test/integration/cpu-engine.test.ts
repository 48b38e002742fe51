// The multi-core CPU engine (main/trainer/engines/cpu-parallel.ts) in this process: real worker
// threads, each a TensorFlow.js WASM instance, training real PNG files; and the engine chain.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EpochMetrics, RunEvent } from '../../preload/contract';
import { PRESETS } from '../../common/model/presets';
import type { ModelSpec } from '../../common/model/spec';
import type { TrainItem, TrainJob } from '../../main/trainer/protocol';
import { selectBackend, selectEngine, type SelectedBackend, type SelectedEngine } from '../../main/trainer/backends';
import type { EngineWorker } from '../../main/trainer/engines/cpu-parallel';
import { shardSizes } from '../../main/trainer/engines/cpu-parallel';
import { runTraining } from '../../main/trainer/train';
import { SHAPES, writeShapeDataset } from '../helpers/shapes';

const INPUT = { width: 32, height: 32, channels: 3, resize: 'squash' } as const;
let root: string;
let items: TrainItem[];
let backend: SelectedBackend;
let parallel: SelectedEngine;
let single: SelectedEngine;
let runs = 0;

function job(training: Partial<ModelSpec['training']>, extra: Partial<TrainJob> = {}): TrainJob {
  const runId = `run-${++runs}`;
  const spec = PRESETS.find((preset) => preset.id === 'small-cnn')!.build(INPUT, {
    epochs: 3,
    batch_size: 16,
    learning_rate: 0.002,
    seed: 7,
    ...training,
  });
  return { runId, spec, classNames: [...SHAPES], items, outDir: join(root, 'runs', runId), ...extra };
}

async function train(
  engine: SelectedEngine,
  trainJob: TrainJob,
  onEvent: (event: RunEvent) => void = () => undefined,
): Promise<{ epochs: EpochMetrics[]; weights: Buffer; status: string }> {
  const epochs: EpochMetrics[] = [];
  const result = await runTraining(trainJob, {
    tf: backend.tf,
    backend: engine.info,
    engine: engine.engine,
    emit: (event) => {
      if (event.kind === 'epoch') epochs.push(event.metrics);
      onEvent(event);
    },
    shouldStop: () => false,
  });
  return { epochs, weights: readFileSync(join(trainJob.outDir, 'last', 'weights.bin')), status: result.status };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'capa-cpu-engine-'));
  await writeShapeDataset(join(root, 'data'), { perClass: 60, size: 32, seed: 5 });
  items = SHAPES.flatMap((shape, label) =>
    Array.from({ length: 60 }, (_, i): TrainItem => ({
      path: join(root, 'data', shape, `${shape}-${i}.png`),
      label,
      split: i % 5 === 0 ? 'validation' : 'train',
    })),
  );
  backend = await selectBackend({ force: 'wasm' });
  parallel = await selectEngine(backend, { force: 'wasm-parallel', threads: 2 });
  single = await selectEngine(backend, { force: 'wasm' });
});

afterAll(async () => {
  await parallel?.engine.dispose();
  rmSync(root, { recursive: true, force: true });
});

describe('data-parallel CPU engine', () => {
  it('splits a batch into shards, larger first', () => {
    expect(shardSizes(64, 2)).toEqual([32, 32]);
    expect(shardSizes(5, 2)).toEqual([3, 2]);
    expect(shardSizes(1, 4)).toEqual([1]);
  });

  it('is deterministic for a seed and equals one thread within float tolerance', async () => {
    const a = await train(parallel, job({}));
    const b = await train(parallel, job({}));
    expect(b.weights.equals(a.weights)).toBe(true);
    expect(b.epochs.map((e) => [e.loss, e.valAccuracy])).toEqual(a.epochs.map((e) => [e.loss, e.valAccuracy]));
    const one = await train(single, job({}));
    expect(one.weights.equals(a.weights)).toBe(false); // different rounding, so the comparison below means something
    const av = new Float32Array(a.weights.buffer, a.weights.byteOffset, a.weights.length / 4);
    const ov = new Float32Array(one.weights.buffer, one.weights.byteOffset, one.weights.length / 4);
    let worst = 0;
    for (let i = 0; i < av.length; i++) worst = Math.max(worst, Math.abs(av[i]! - ov[i]!));
    expect(worst).toBeLessThan(2e-3);
    one.epochs.forEach((e, i) => expect(a.epochs[i]!.loss).toBeCloseTo(e.loss, 3));
  });

  it('trains to clearly better than chance', async () => {
    const { epochs } = await train(parallel, job({ epochs: 5, batch_size: 8, learning_rate: 0.004 }));
    expect(epochs.at(-1)!.loss).toBeLessThan(epochs[0]!.loss * 0.8);
    // The best epoch (the one the run keeps) on held-out pictures; three shapes: chance is 1/3.
    expect(Math.max(...epochs.map((e) => e.valAccuracy!))).toBeGreaterThan(0.6);
  });

  it('leaves no tensor behind per epoch', async () => {
    const counts: number[] = [];
    await train(parallel, job({ epochs: 3 }), (event) => event.kind === 'epoch' && counts.push(backend.tf.memory().numTensors));
    expect(new Set(counts).size).toBe(1);
  });

  it('fails with a sentence when a worker is killed mid-run, and the run resumes on another engine', async () => {
    const killed = job({ epochs: 3 });
    const workers = (parallel.engine as unknown as { workers: EngineWorker[] }).workers;
    let kills = 0;
    await expect(
      train(parallel, killed, (event) => {
        if (event.kind === 'progress' && event.epoch === 2 && kills++ === 0) void workers[0]!.thread.terminate();
      }),
    ).rejects.toThrow(/training thread stopped/);
    const resumed = await train(single, { ...killed, resume: true });
    expect(resumed.status).toBe('completed');
    expect(resumed.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]); // epoch 1 from the checkpoint, then 2 and 3
    // The engine replaces its dead worker for the next run.
    expect((await train(parallel, job({ epochs: 1 }))).status).toBe('completed');
  });
});

describe('an engine that fails to start', () => {
  it('leaves the run to the process backend with a one-line reason', async () => {
    const broken: SelectedEngine = {
      engine: {
        id: 'chromium-webgpu',
        info: parallel.info,
        open: async () => {
          throw new Error('the window crashed\nstack…');
        },
        dispose: async () => undefined,
      },
      info: { ...parallel.info, name: 'chromium-webgpu' },
    };
    const logs: string[] = [];
    const result = await train(
      broken,
      job({ epochs: 1 }),
      (event) => event.kind === 'log' && event.level === 'warn' && logs.push(event.message),
    );
    expect(result.status).toBe('completed');
    expect(logs).toEqual([
      'The chromium-webgpu engine could not start (the window crashed), so this run trains in the trainer process on its own backend instead.',
    ]);
  });
});

describe('engine chain', () => {
  it('names why each faster engine was skipped, and falls back to the CPU when an engine fails', async () => {
    const chosen = await selectEngine(backend, {
      threads: 2,
      loaders: {
        'chromium-webgpu': async () => {
          throw new Error('no adapter');
        },
        'chromium-webgl': async () => {
          throw new Error('renderer is SwiftShader (software)');
        },
      },
    });
    expect(chosen.engine.id).toBe('wasm-parallel');
    expect(chosen.info.fallbacks).toEqual([
      expect.stringMatching(/^@tensorflow\/tfjs-node-gpu: /),
      'Chromium WebGPU: no adapter',
      'Chromium WebGL: renderer is SwiftShader (software)',
      expect.stringMatching(/^@tensorflow\/tfjs-node: /),
    ]);
    expect(chosen.info.skipped?.[1]).toMatchObject({
      key: 'runs.engine.skipped',
      params: { engine: 'Chromium WebGPU', reason: 'no adapter' },
    });
    const oneThread = await selectEngine(backend, {
      threads: 1,
      loaders: {
        'chromium-webgpu': async () => {
          throw new Error('x');
        },
        'chromium-webgl': async () => {
          throw new Error('y');
        },
      },
    });
    expect(oneThread.engine.id).toBe('wasm');
    expect(oneThread.info.fallbacks.at(-1)).toBe('wasm-parallel: this machine has one core');
    await expect(
      selectEngine(backend, {
        force: 'chromium-webgpu',
        loaders: {
          'chromium-webgpu': async () => {
            throw new Error('no adapter');
          },
        },
      }),
    ).rejects.toThrow('CAPA_BACKEND=chromium-webgpu was requested but Chromium WebGPU: no adapter');
  });
});
