// Resume with a pretrained network: a head trained on cached features, and a fine-tuned
// backbone, each stopped after an epoch and resumed, equal the runs never interrupted.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EpochMetrics, RunEvent } from '../../preload/contract';
import { BackboneCache, CACHE_FOLDER } from '../../main/core/backbones/cache';
import { presetById } from '../../common/model/presets';
import type { ModelSpec } from '../../common/model/spec';
import { selectBackend } from '../../main/trainer/backends';
import type { TrainerBackbone, TrainItem } from '../../main/trainer/protocol';
import type { Tf } from '../../main/trainer/tf';
import { runTransferTraining } from '../../main/trainer/transfer';
import { TINY_SIZE, writeTinyBackbone } from '../helpers/backbone';
import { SHAPES, writeShapeDataset } from '../helpers/shapes';
import { removeTempDirs, tempDir } from '../helpers/temp';

let tf: Tf;
let backend: Awaited<ReturnType<typeof selectBackend>>['info'];
let backbone: TrainerBackbone;
let items: TrainItem[];

beforeAll(async () => {
  ({ tf, info: backend } = await selectBackend({ force: 'wasm' }));
  const root = tempDir();
  await writeTinyBackbone(join(root, 'tiny'));
  const cache = new BackboneCache(join(root, CACHE_FOLDER));
  backbone = await cache.resolve((await cache.importFolder(join(root, 'tiny'), { title: 'Tiny' })).id);
  const data = await writeShapeDataset(join(root, 'data'), { perClass: 10, size: 24, seed: 6 });
  items = SHAPES.flatMap((shape, label) =>
    Array.from({ length: 10 }, (_, i): TrainItem => ({
      path: join(data, shape, `${shape}-${i}.png`),
      label,
      split: i % 5 === 0 ? 'validation' : 'train',
    })),
  );
});
afterAll(removeTempDirs);

function specOf(trainableBlocks: number): ModelSpec {
  const spec = presetById('transfer')!.build(
    { width: 1, height: 1, channels: 3, resize: 'squash' },
    { epochs: 4, batch_size: 8, learning_rate: 0.01, seed: 9 },
  );
  return {
    ...spec,
    input: { ...spec.input, width: TINY_SIZE, height: TINY_SIZE },
    backbone: { id: backbone.id, trainable_blocks: trainableBlocks },
  };
}

async function train(spec: ModelSpec, outDir: string, options: { stopAfter?: number; resume?: boolean } = {}): Promise<EpochMetrics[]> {
  const epochs: EpochMetrics[] = [];
  let stop = false;
  await runTransferTraining(
    { runId: 'run', spec, backbone, classNames: [...SHAPES], items, outDir, ...(options.resume ? { resume: true } : {}) },
    backbone,
    {
      tf,
      backend,
      emit: (event: RunEvent) => {
        if (event.kind !== 'epoch') return;
        epochs.push(event.metrics);
        if (event.metrics.epoch === options.stopAfter) stop = true;
      },
      shouldStop: () => stop,
    },
  );
  return epochs;
}

const measured = (epochs: EpochMetrics[]) => epochs.map(({ seconds: _seconds, ...rest }) => rest);

describe('resume with a pretrained network', () => {
  it.each([
    ['a head on cached features', 0],
    ['a fine-tuned backbone', 1],
  ])('continues %s exactly', async (_what, blocks) => {
    const spec = specOf(blocks);
    const whole = await train(spec, tempDir());
    const outDir = tempDir();
    expect((await train(spec, outDir, { stopAfter: 2 })).map((e) => e.epoch)).toEqual([1, 2]);
    const resumed = await train(spec, outDir, { resume: true });
    expect(measured(resumed)).toEqual(measured(whole));
  });
});
