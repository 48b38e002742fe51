// Transfer-learning benchmark: the head trained on 1,000 images through the tiny test backbone,
// first with no cached features (every image decoded and run through the backbone) and then again
// with every feature vector read from the on-disk cache. Runs the real training process.
import { join } from 'node:path';
import type { RunEvent } from '../../preload/contract';
import { BackboneCache, CACHE_FOLDER } from '../../main/core/backbones/cache';
import { presetById } from '../../main/core/spec/presets';
import { forkTrainerPort, TrainerClient } from '../../main/core/trainer-client';
import type { TrainItem } from '../../main/trainer/protocol';
import { TINY_SIZE, writeTinyBackbone } from '../helpers/backbone';
import { SHAPES, writeShapeDataset } from '../helpers/shapes';

const PER_CLASS = 334; // 1,002 images

export async function transferBench(root: string): Promise<void> {
  console.log(`\nTransfer learning: head (Dropout + Dense softmax) on ${PER_CLASS * SHAPES.length} images of 32x32 through the tiny test backbone (${TINY_SIZE}x${TINY_SIZE} input), 10 epochs, batch 32:`);
  const modelDir = join(root, 'tiny-backbone');
  await writeTinyBackbone(modelDir);
  const cache = new BackboneCache(join(root, CACHE_FOLDER));
  const backbone = await cache.resolve((await cache.importFolder(modelDir, { title: 'Tiny' })).id);
  await writeShapeDataset(join(root, 'transfer-data'), { perClass: PER_CLASS, size: 32, seed: 11 });
  const items = SHAPES.flatMap((shape, label) =>
    Array.from({ length: PER_CLASS }, (_, i): TrainItem => ({ path: join(root, 'transfer-data', shape, `${shape}-${i}.png`), label, split: i % 5 === 0 ? 'validation' : 'train' })),
  );
  const preset = presetById('transfer')!.build({ width: 1, height: 1, channels: 3, resize: 'squash' }, { epochs: 10, batch_size: 32, seed: 1 });
  const spec = { ...preset, input: { ...preset.input, width: TINY_SIZE, height: TINY_SIZE }, backbone: { id: backbone.id, trainable_blocks: 0 } };
  const client = new TrainerClient(forkTrainerPort);
  try {
    await client.hello();
    for (const label of ['features computed', 'features cached']) {
      const runId = label.replace(' ', '-');
      let featureSeconds = 0;
      let epochSeconds = 0;
      const started = performance.now();
      await client.train({ runId, spec, backbone, classNames: [...SHAPES], items, outDir: join(root, 'transfer-runs', runId) }, (event: RunEvent) => {
        if (event.kind === 'log' && event.message.startsWith('Features of')) featureSeconds += Number(/\(([\d.]+) s\)/.exec(event.message)?.[1] ?? 0);
        if (event.kind === 'epoch') epochSeconds += event.metrics.seconds;
      });
      const total = (performance.now() - started) / 1000;
      console.log(`  ${label}: ${total.toFixed(2)} s from request to done (features ${featureSeconds.toFixed(2)} s, 10 epochs of the head ${epochSeconds.toFixed(2)} s)`);
    }
  } finally {
    await client.close();
  }
}
