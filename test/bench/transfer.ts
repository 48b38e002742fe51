// Transfer-learning benchmark: the head trained on 1,000 images, first with no cached features
// (every image decoded and run through the backbone) and then again with every feature vector
// read from the on-disk cache; through the tiny test backbone, then through a MobileNet V2 with
// random weights (test/bench/mobilenet.ts: the real network's work per image). Real training process.
import { join } from 'node:path';
import type { RunEvent } from '../../preload/contract';
import { BackboneCache, CACHE_FOLDER } from '../../main/core/backbones/cache';
import { presetById } from '../../common/model/presets';
import { forkTrainerPort, TrainerClient } from '../../main/core/runs/trainer-client';
import type { TrainerBackbone, TrainItem } from '../../main/trainer/protocol';
import { TINY_SIZE, writeTinyBackbone } from '../helpers/backbone';
import { SHAPES, writeShapeDataset } from '../helpers/shapes';
import { writeMobileNetV2 } from './mobilenet';

const PER_CLASS = 334; // 1,002 images

/** Trains the head twice (features computed, then cached) and prints both times. */
async function measure(client: TrainerClient, backbone: TrainerBackbone, items: TrainItem[], outDir: string): Promise<void> {
  const preset = presetById('transfer')!.build(
    { width: 1, height: 1, channels: 3, resize: 'squash' },
    { epochs: 10, batch_size: 32, seed: 1 },
  );
  const spec = {
    ...preset,
    input: { ...preset.input, width: backbone.inputSize, height: backbone.inputSize },
    backbone: { id: backbone.id, trainable_blocks: 0 },
  };
  for (const label of ['features computed', 'features cached']) {
    const runId = `${backbone.id}-${label.replace(' ', '-')}`;
    let featureSeconds = 0;
    let epochSeconds = 0;
    const started = performance.now();
    await client.train({ runId, spec, backbone, classNames: [...SHAPES], items, outDir: join(outDir, runId) }, (event: RunEvent) => {
      if (event.kind === 'log' && event.message.startsWith('Features of'))
        featureSeconds += Number(/\(([\d.]+) s\)/.exec(event.message)?.[1] ?? 0);
      if (event.kind === 'epoch') epochSeconds += event.metrics.seconds;
    });
    const total = (performance.now() - started) / 1000;
    const rate = (items.length / Math.max(1e-3, featureSeconds)).toFixed(0);
    // Epoch time includes the validation pass; the rate counts training images only.
    const headRate = ((items.filter((item) => item.split === 'train').length * 10) / Math.max(1e-3, epochSeconds)).toFixed(0);
    console.log(
      `  ${label}: ${total.toFixed(2)} s from request to done (features ${featureSeconds.toFixed(2)} s = ${rate} images/s, 10 epochs of the head ${epochSeconds.toFixed(2)} s = ${headRate} images/s on WASM)`,
    );
  }
}

export async function transferBench(root: string): Promise<void> {
  await writeShapeDataset(join(root, 'transfer-data'), { perClass: PER_CLASS, size: 32, seed: 11 });
  const items = SHAPES.flatMap((shape, label) =>
    Array.from({ length: PER_CLASS }, (_, i): TrainItem => ({
      path: join(root, 'transfer-data', shape, `${shape}-${i}.png`),
      label,
      split: i % 5 === 0 ? 'validation' : 'train',
    })),
  );
  const cache = new BackboneCache(join(root, CACHE_FOLDER));
  const importFrom = async (dir: string, title: string) => cache.resolve((await cache.importFolder(dir, { title })).id);
  await writeTinyBackbone(join(root, 'tiny-backbone'));
  const mobilenetParams = await writeMobileNetV2(join(root, 'mobilenet-v2'));
  const client = new TrainerClient(forkTrainerPort);
  try {
    await client.hello();
    console.log(`\nTransfer learning: head (Dropout + Dense softmax) on ${items.length} images (32x32 PNG), 10 epochs, batch 32.`);
    console.log(`Tiny test backbone (${TINY_SIZE}x${TINY_SIZE} input, 16 features):`);
    await measure(client, await importFrom(join(root, 'tiny-backbone'), 'Tiny'), items, join(root, 'transfer-runs'));
    // A fifth of the images: through a real-size network the first pass takes minutes here.
    const some = items.filter((_, i) => i % 5 === 0);
    console.log(
      `MobileNet V2 1.0 shape, random weights (224x224 input, 1,280 features, ${mobilenetParams.toLocaleString('en-US')} weights), ${some.length} of the images:`,
    );
    await measure(client, await importFrom(join(root, 'mobilenet-v2'), 'MobileNet V2'), some, join(root, 'transfer-runs'));
  } finally {
    await client.close();
  }
}
