// Checkpoints in the real training loop on WASM: a run stopped after an epoch and resumed from its
// checkpoint reproduces, exactly, the run that was never interrupted, for every optimizer and with
// the callbacks' state; checkpoints leak no tensor and a half-written one never replaces a whole one.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EpochMetrics, RunEvent } from '../../preload/contract';
import { PRESETS } from '../../common/model/presets';
import { OPTIMIZERS, type ModelSpec } from '../../common/model/spec';
import { selectBackend } from '../../main/trainer/backends';
import { readCheckpoint } from '../../main/trainer/checkpoint';
import { CHECKPOINT_FILE } from '../../main/core/projects/project-paths';
import { temporaryName } from '../../main/core/files/atomic';
import type { TrainItem } from '../../main/trainer/protocol';
import type { Tf } from '../../main/trainer/tf';
import { runTraining } from '../../main/trainer/train';
import { SHAPES, writeShapeDataset } from '../helpers/shapes';
import { removeTempDirs, tempDir } from '../helpers/temp';

const INPUT = { width: 16, height: 16, channels: 3, resize: 'squash' } as const;
let tf: Tf;
let backend: Awaited<ReturnType<typeof selectBackend>>['info'];
let items: TrainItem[];

beforeAll(async () => {
  ({ tf, info: backend } = await selectBackend({ force: 'wasm' }));
  const root = await writeShapeDataset(join(tempDir(), 'data'), { perClass: 8, size: 16, seed: 4 });
  items = SHAPES.flatMap((shape, label) =>
    Array.from({ length: 8 }, (_, i): TrainItem => ({
      path: join(root, shape, `${shape}-${i}.png`),
      label,
      split: i % 4 === 0 ? 'validation' : 'train',
    })),
  );
});
afterAll(removeTempDirs);

function specOf(training: Partial<ModelSpec['training']>): ModelSpec {
  // Augmentation and dropout draw from seeds per epoch and batch: resuming must reproduce them too.
  const spec = PRESETS.find((p) => p.id === 'small-cnn')!.build(INPUT, { epochs: 4, batch_size: 8, seed: 11, ...training });
  Object.assign(spec.augmentation, { flip: 'horizontal', brightness: 0.1 });
  return spec;
}

/** Trains into `outDir`; with `stopAfter`, a stop is requested once that epoch is reported (it lands in the next epoch). */
async function train(spec: ModelSpec, outDir: string, options: { stopAfter?: number; resume?: boolean } = {}) {
  const events: RunEvent[] = [];
  let stop = false;
  const result = await runTraining(
    { runId: 'run', spec, classNames: [...SHAPES], items, outDir, ...(options.resume ? { resume: true } : {}) },
    {
      tf,
      backend,
      emit: (event) => {
        events.push(event);
        if (event.kind === 'epoch' && event.metrics.epoch === options.stopAfter) stop = true;
      },
      shouldStop: () => stop,
    },
  );
  const epochs = events.flatMap((e) => (e.kind === 'epoch' ? [e.metrics] : []));
  return { result, events, epochs };
}

/** What must match between two runs: everything measured, not wall time. */
const measured = (epochs: EpochMetrics[]) => epochs.map(({ seconds: _seconds, ...rest }) => rest);

describe('resume from checkpoint', () => {
  it.each(OPTIMIZERS)('continues a %s run exactly where it stopped', async (optimizer) => {
    const spec = specOf({ optimizer, momentum: optimizer === 'sgd' || optimizer === 'rmsprop' ? 0.9 : 0 });
    const whole = await train(spec, tempDir());

    const outDir = tempDir();
    const first = await train(spec, outDir, { stopAfter: 2 });
    expect(first.result.status).toBe('stopped');
    expect(first.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect((await readCheckpoint(outDir))?.state.epoch).toBe(2);

    const before = tf.memory().numTensors;
    const resumed = await train(spec, outDir, { resume: true });
    expect(tf.memory().numTensors).toBe(before);
    expect(resumed.result.status).toBe('completed');
    expect(resumed.events.find((e) => e.kind === 'started')).toMatchObject({ resumedFrom: 2 });
    // Epochs 1 and 2 are reported again from the checkpoint, then 3 and 4 are trained.
    expect(resumed.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
    expect(measured(resumed.epochs)).toEqual(measured(whole.epochs));
    expect(resumed.result.bestEpoch).toBe(whole.result.bestEpoch);
    // A completed run cannot resume: its checkpoint (several copies of the weights) is gone.
    expect(existsSync(join(outDir, CHECKPOINT_FILE))).toBe(false);
  });

  it('restores the state of early stopping and learning-rate reduction', async () => {
    const spec = specOf({
      epochs: 6,
      learning_rate: 0.05,
      early_stopping: { monitor: 'val_loss', patience: 3, min_delta: 0, restore_best_weights: true },
      reduce_lr_on_plateau: { monitor: 'loss', factor: 0.5, patience: 1, min_lr: 0 },
    });
    const whole = await train(spec, tempDir());
    const outDir = tempDir();
    await train(spec, outDir, { stopAfter: 3 });
    const state = (await readCheckpoint(outDir))!.state;
    expect(state.earlyStopping).not.toBeNull();
    expect(state.reduceLr).not.toBeNull();
    const resumed = await train(spec, outDir, { resume: true });
    expect(measured(resumed.epochs)).toEqual(measured(whole.epochs));
    expect(resumed.result).toEqual(whole.result);
  });

  it('starts from the beginning when no epoch had finished, and says so', async () => {
    const spec = specOf({ epochs: 2 });
    const whole = await train(spec, tempDir());
    const resumed = await train(spec, tempDir(), { resume: true });
    expect(resumed.events.find((e) => e.kind === 'started')).toMatchObject({ resumedFrom: 0 });
    expect(resumed.events.some((e) => e.kind === 'log' && e.message.includes('starts from the beginning'))).toBe(true);
    expect(measured(resumed.epochs)).toEqual(measured(whole.epochs));
  });

  it('keeps the previous checkpoint when a write was cut short', async () => {
    const spec = specOf({ epochs: 3 });
    const outDir = tempDir();
    await train(spec, outDir, { stopAfter: 1 });
    // What a kill during the next write leaves: a temporary file beside the whole checkpoint.
    writeFileSync(temporaryName(join(outDir, CHECKPOINT_FILE)), Buffer.from([1, 2, 3]));
    expect((await readCheckpoint(outDir))?.state.epoch).toBe(1);
    const resumed = await train(spec, outDir, { resume: true });
    expect(resumed.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(readdirSync(outDir)).not.toContain(CHECKPOINT_FILE);
  });
});
