// The training settings of spec version 2 acting in the real training loop on WASM, with real
// images: validation source, early stopping, reduce LR on plateau, class weights, augmentation.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EpochMetrics, RunEvent } from '../../preload/contract';
import { DEFAULT_INPUT, PRESETS } from '../../common/model/presets';
import { OPTIMIZERS, trainingSchema, type AugmentationSpec, type ModelSpec } from '../../common/model/spec';
import { selectBackend } from '../../main/trainer/backends';
import { balancedClassWeights, makeBatch } from '../../main/trainer/dataset';
import { buildModel, setLearningRate } from '../../main/trainer/model-builder';
import type { TrainItem } from '../../main/trainer/protocol';
import type { Tf } from '../../main/trainer/tf';
import { runTraining } from '../../main/trainer/train';
import { SHAPES, writeShapeDataset } from '../helpers/shapes';
import { removeTempDirs, tempDir } from '../helpers/temp';

const INPUT = { width: 16, height: 16, channels: 3, resize: 'squash' } as const;
let tf: Tf;
let backend: Awaited<ReturnType<typeof selectBackend>>['info'];
let items: TrainItem[];
let runs = 0;

beforeAll(async () => {
  ({ tf, info: backend } = await selectBackend({ force: 'wasm' }));
  const root = await writeShapeDataset(join(tempDir(), 'data'), { perClass: 8, size: 16, seed: 9 });
  items = SHAPES.flatMap((shape, label) =>
    Array.from({ length: 8 }, (_, i): TrainItem => ({
      path: join(root, shape, `${shape}-${i}.png`),
      label,
      split: i % 4 === 0 ? 'validation' : 'train',
    })),
  );
});
afterAll(removeTempDirs);

async function train(training: Partial<ModelSpec['training']>, augmentation?: Partial<AugmentationSpec>) {
  const spec = PRESETS.find((p) => p.id === 'mlp')!.build(INPUT, { epochs: 4, batch_size: 8, seed: 5, ...training });
  Object.assign(spec.augmentation, augmentation);
  const events: RunEvent[] = [];
  const runId = `run-${++runs}`;
  const result = await runTraining(
    { runId, spec, classNames: [...SHAPES], items, outDir: join(tempDir(), runId) },
    { tf, backend, emit: (e) => events.push(e), shouldStop: () => false },
  );
  const epochs = events.flatMap((e) => (e.kind === 'epoch' ? [e.metrics] : [])) as EpochMetrics[];
  const logs = events.flatMap((e) => (e.kind === 'log' ? [e.message] : []));
  const started = events.find((e) => e.kind === 'started');
  return { result, epochs, logs, started };
}

describe('training options', () => {
  it('trains without validation when the source is "none"', async () => {
    const { epochs, started } = await train({ validation: 'none', epochs: 2 });
    expect(started).toMatchObject({ validationCount: 0, trainCount: 18 });
    expect(epochs.map((e) => e.valLoss)).toEqual([null, null]);
  });

  it('stops early when the watched loss stops improving, and says so', async () => {
    // A learning rate this small cannot improve the loss by min_delta = 1 in an epoch.
    const { epochs, logs, result } = await train({
      epochs: 10,
      learning_rate: 1e-9,
      early_stopping: { monitor: 'loss', patience: 2, min_delta: 1, restore_best_weights: true },
    });
    expect(epochs).toHaveLength(3);
    expect(result).toEqual({ status: 'completed', bestEpoch: 1 });
    expect(logs).toContain('Stopped early after epoch 3: loss did not improve for 2 epochs.');
  });

  it('lowers the learning rate on a plateau', async () => {
    const { logs } = await train({
      epochs: 3,
      learning_rate: 1e-9,
      reduce_lr_on_plateau: { monitor: 'loss', factor: 0.5, patience: 1, min_lr: 0 },
    });
    expect(logs.filter((l) => l.includes('learning rate lowered'))).toEqual([
      'No progress for 1 epoch: learning rate lowered from 1e-9 to 5e-10.',
      'No progress for 1 epoch: learning rate lowered from 5e-10 to 2.5e-10.',
    ]);
  });

  it.each(OPTIMIZERS)('sets the learning rate of %s in place', (optimizer) => {
    const model = buildModel(tf, PRESETS.find((p) => p.id === 'mlp')!.build(INPUT, trainingSchema.parse({ optimizer })), 3);
    setLearningRate(model.optimizer, 0.123);
    expect((model.optimizer as unknown as { learningRate: number }).learningRate).toBe(0.123);
    model.optimizer.dispose();
    model.dispose();
  });

  it('weighs rare classes more with balanced class weights, through the targets', () => {
    const weights = balancedClassWeights(Int32Array.from([0, 0, 0, 1]), 3);
    expect(Array.from(weights)).toEqual([4 / (3 * 3), 4 / (3 * 1), 0].map((w) => Math.fround(w)));
    const split = { pixels: new Float32Array(4 * 2 * 2 * 1), labels: Int32Array.from([0, 0, 0, 1]), count: 4 };
    const { x, y } = makeBatch(tf, split, [0, 3], { ...DEFAULT_INPUT, width: 2, height: 2, channels: 1 }, 3, { classWeights: weights });
    expect(Array.from(y.dataSync())).toEqual([weights[0], 0, 0, 0, weights[1], 0]);
    x.dispose();
    y.dispose();
  });

  it('trains with balanced class weights', async () => {
    const { result } = await train({ epochs: 1, class_weight: 'balanced' });
    expect(result.status).toBe('completed');
  });

  it('augments training batches from the seed: repeatable, and different from no augmentation', async () => {
    const augmentation = { flip: 'horizontal' as const, rotation: 0.1, zoom: 0.1, brightness: 0.2 };
    const first = await train({ epochs: 2 }, augmentation);
    const again = await train({ epochs: 2 }, augmentation);
    const plain = await train({ epochs: 2 });
    const losses = (r: typeof first) => r.epochs.map((e) => e.loss);
    expect(losses(again)).toEqual(losses(first));
    expect(losses(plain)).not.toEqual(losses(first));
  });
});
