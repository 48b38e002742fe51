// The training process end to end: a real forked process, real PNG files, real training on WASM.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../preload/contract';
import { forkTrainerPort, TrainerClient } from '../../main/core/runs/trainer-client';
import { layer, PRESETS } from '../../common/model/presets';
import type { ModelSpec } from '../../common/model/spec';
import type { TrainItem, TrainJob, TrainerPort } from '../../main/trainer/protocol';
import { selectBackend } from '../../main/trainer/backends';
import { runTraining } from '../../main/trainer/train';
import { SHAPES, writeShapeDataset } from '../helpers/shapes';
import { projectPaths } from '../../main/core/projects/project-paths';

const PER_CLASS = 120;
const INPUT = { width: 32, height: 32, channels: 3, resize: 'squash' } as const;
let root: string;
let items: TrainItem[];
let ports: TrainerPort[] = [];
let client: TrainerClient;

/** Every 5th image of each class is a validation image. */
function itemsOf(perClass: number): TrainItem[] {
  return SHAPES.flatMap((shape, label) =>
    Array.from({ length: perClass }, (_, i): TrainItem => ({
      path: join(root, 'data', shape, `${shape}-${i}.png`),
      label,
      split: i % 5 === 0 ? 'validation' : 'train',
    })),
  );
}

function spec(training: Partial<ModelSpec['training']>): ModelSpec {
  return PRESETS.find((preset) => preset.id === 'small-cnn')!.build(INPUT, {
    epochs: 12,
    batch_size: 16,
    learning_rate: 0.002,
    seed: 42,
    ...training,
  });
}

let runs = 0;
function job(training: Partial<ModelSpec['training']>, jobItems: TrainItem[] = items): TrainJob {
  const runId = `run-${++runs}`;
  return { runId, spec: spec(training), classNames: [...SHAPES], items: jobItems, outDir: projectPaths(root).run(runId) };
}

beforeAll(async () => {
  // WASM, forced: the test must not depend on which native packages this machine has.
  process.env['CAPA_BACKEND'] = 'wasm';
  root = mkdtempSync(join(tmpdir(), 'capa-trainer-'));
  await writeShapeDataset(join(root, 'data'), { perClass: PER_CLASS, size: 32, seed: 3 });
  items = itemsOf(PER_CLASS);
  client = new TrainerClient(() => {
    const port = forkTrainerPort();
    ports.push(port);
    return port;
  });
});

afterAll(async () => {
  await client.close();
  for (const port of ports) port.kill();
  rmSync(root, { recursive: true, force: true });
});

describe('trainer process', () => {
  it('says which backend it uses', async () => {
    const info = await client.hello();
    expect(info.name).toBe('wasm');
    expect(info.description).toMatch(/^WebAssembly \(XNNPACK/);
    expect(info.gpu).toBe(false);
  });

  it('learns three shapes, streams events in order, saves best and last, and predicts', async () => {
    const events: RunEvent[] = [];
    const trainJob = job({});
    const result = await client.train(trainJob, (event) => events.push(event));
    expect(result.status).toBe('completed');

    // Order: started, then progress/epoch/log, then done last; epochs 1..12 in order.
    expect(events[0]!.kind).toBe('started');
    expect(events.at(-1)).toEqual({ runId: trainJob.runId, kind: 'done', status: 'completed', error: null });
    const started = events[0] as Extract<RunEvent, { kind: 'started' }>;
    expect(started.trainCount + started.validationCount).toBe(items.length);
    expect(started.validationCount).toBe(items.filter((item) => item.split === 'validation').length);
    const epochs = events.flatMap((event) => (event.kind === 'epoch' ? [event.metrics] : []));
    expect(epochs.map((metrics) => metrics.epoch)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    let lastEpochSeen = 0;
    for (const event of events) {
      if (event.kind === 'progress') {
        expect(event.epoch).toBe(lastEpochSeen + 1); // progress of an epoch comes before its epoch event
        expect(event.batch).toBeLessThanOrEqual(event.batches);
        expect(event.imagesPerSecond).toBeGreaterThan(0);
      }
      if (event.kind === 'epoch') lastEpochSeen = event.metrics.epoch;
    }
    for (const metrics of epochs) {
      expect(metrics.valLoss).not.toBeNull();
      expect(metrics.seconds).toBeGreaterThan(0);
    }

    // It learned: the best epoch is clearly above chance (1/3) and training loss fell.
    const best = epochs[result.bestEpoch - 1]!;
    expect(best.valAccuracy!).toBeGreaterThan(0.6);
    expect(best.valAccuracy!).toBe(Math.max(...epochs.map((metrics) => metrics.valAccuracy!)));
    expect(epochs.at(-1)!.loss).toBeLessThan(epochs[0]!.loss * 0.7);

    for (const folder of ['best', 'last']) {
      expect(existsSync(join(trainJob.outDir, folder, 'model.json'))).toBe(true);
      expect(existsSync(join(trainJob.outDir, folder, 'weights.bin'))).toBe(true);
    }

    // best/ reloaded in the trainer gives exactly the accuracy measured at its epoch.
    const validation = items.filter((item) => item.split === 'validation');
    const probabilities = await client.predict(
      join(trainJob.outDir, 'best'),
      INPUT,
      validation.map((item) => ({ path: item.path })),
    );
    expect(probabilities).toHaveLength(validation.length);
    let correct = 0;
    probabilities.forEach((row, i) => {
      expect(row).toHaveLength(3);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      if (row.indexOf(Math.max(...row)) === validation[i]!.label) correct++;
    });
    expect(correct / validation.length).toBeCloseTo(best.valAccuracy!, 6);
  });

  it('predicts from encoded bytes too', async () => {
    const { readFileSync } = await import('node:fs');
    const trainJob = job({ epochs: 1 }, itemsOf(10));
    await client.train(trainJob, () => undefined);
    const bytes = new Uint8Array(readFileSync(items[0]!.path));
    const [fromBytes] = await client.predict(join(trainJob.outDir, 'last'), INPUT, [{ bytes }]);
    const [fromPath] = await client.predict(join(trainJob.outDir, 'last'), INPUT, [{ path: items[0]!.path }]);
    expect(fromBytes).toEqual(fromPath);
  });

  it('refuses a second train while one runs', async () => {
    const first = job({ epochs: 50 }, itemsOf(20));
    let resolveStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (resolveStarted = resolve));
    const running = client.train(first, (event) => event.kind === 'progress' && resolveStarted());
    await started;
    await expect(client.train(job({ epochs: 1 }, itemsOf(10)), () => undefined)).rejects.toThrow(/already running run/);
    await client.stop(first.runId);
    expect((await running).status).toBe('stopped');
  });

  it('stops after the current batch, keeping weights', async () => {
    const events: RunEvent[] = [];
    const trainJob = job({ epochs: 500 }, itemsOf(20));
    let stopAsked = false;
    const result = await client.train(trainJob, (event) => {
      events.push(event);
      // Stop once the first epoch is done, so best/ exists.
      if (event.kind === 'epoch' && !stopAsked) {
        stopAsked = true;
        void client.stop(trainJob.runId);
      }
    });
    expect(result.status).toBe('stopped');
    expect(result.bestEpoch).toBeGreaterThanOrEqual(1);
    expect(events.filter((event) => event.kind === 'epoch').length).toBeLessThan(500);
    expect(events.at(-1)).toMatchObject({ kind: 'done', status: 'stopped' });
    expect(existsSync(join(trainJob.outDir, 'best', 'model.json'))).toBe(true);
    expect(existsSync(join(trainJob.outDir, 'last', 'model.json'))).toBe(true);
  });

  it('rejects a pending train with a clear error when the process dies, then starts a new one', async () => {
    const trainJob = job({ epochs: 500 }, itemsOf(20));
    const port = ports.at(-1)!;
    const pending = client.train(trainJob, (event) => {
      if (event.kind === 'progress') port.kill();
    });
    await expect(pending).rejects.toThrow(/^The training process stopped unexpectedly \(exit code 9\)\./);
    const before = ports.length;
    const info = await client.hello();
    expect(info.name).toBe('wasm');
    expect(ports.length).toBe(before + 1);
  });

  it('close() during a run ends the process and rejects the run as closed, not as a crash', async () => {
    const trainJob = job({ epochs: 500 }, itemsOf(20));
    let closing: Promise<void> | null = null;
    const pending = client.train(trainJob, (event) => {
      if (event.kind === 'progress' && !closing) closing = client.close();
    });
    await expect(pending).rejects.toThrow('The training process was closed by the app');
    await closing;
    expect((await client.hello()).name).toBe('wasm');
  });

  it('repeats exactly with the same seed (WASM runs on one thread in Node)', async () => {
    const losses = async (seed: number) => {
      const events: RunEvent[] = [];
      await client.train(job({ epochs: 2, seed }, itemsOf(30)), (event) => events.push(event));
      return events.flatMap((event) => (event.kind === 'epoch' ? [event.metrics.loss, event.metrics.valLoss] : []));
    };
    const first = await losses(5);
    expect(await losses(5)).toEqual(first);
    expect(await losses(6)).not.toEqual(first);
  });

  it('reports failures as errors with the cause, and skips unreadable images with a warning', async () => {
    const onlyValidation = job(
      { epochs: 1 },
      itemsOf(5).filter((item) => item.split === 'validation'),
    );
    await expect(client.train(onlyValidation, () => undefined)).rejects.toThrow(/no training image/);

    const events: RunEvent[] = [];
    const missing = join(root, 'missing.png');
    const broken = job({ epochs: 1 }, [{ path: missing, label: 0, split: 'train' }]);
    await expect(client.train(broken, (event) => events.push(event))).rejects.toThrow('None of the training images could be decoded');
    expect(events.find((event) => event.kind === 'log' && event.level === 'warn')).toMatchObject({
      message: expect.stringContaining(`Skipped ${missing}`),
    });

    const mixed = job({ epochs: 1 }, [...itemsOf(5), { path: missing, label: 1, split: 'train' }]);
    expect((await client.train(mixed, () => undefined)).status).toBe('completed');
    expect((await client.hello()).name).toBe('wasm'); // the process survived
  });
});

describe('training in this process', () => {
  it('leaves no tensor behind, per epoch and at the end', async () => {
    const { tf, info } = await selectBackend({ force: 'wasm' });
    const before = tf.memory().numTensors;
    const perEpoch: number[] = [];
    const trainJob = job({ epochs: 4, batch_size: 8 }, itemsOf(12));
    trainJob.spec.layers.push(layer({ type: 'Dropout', rate: 0.2 }), layer({ type: 'Dense', units: 8, activation: 'elu' }));
    const result = await runTraining(trainJob, {
      tf,
      backend: info,
      emit: (event) => event.kind === 'epoch' && perEpoch.push(tf.memory().numTensors),
      shouldStop: () => false,
    });
    expect(result.status).toBe('completed');
    expect(perEpoch).toHaveLength(4);
    expect(new Set(perEpoch).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });
});
