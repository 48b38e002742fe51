// Transfer learning in the real training process: a tiny backbone made by the test, imported into
// the backbone cache, features computed once and cached on disk, a head trained on them, and
// predictions chained through backbone and head.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../preload/contract';
import { BackboneCache, CACHE_FOLDER } from '../../main/core/backbones/cache';
import { presetById } from '../../common/model/presets';
import type { ModelSpec } from '../../common/model/spec';
import { forkTrainerPort, TrainerClient } from '../../main/core/runs/trainer-client';
import { loadModel } from '../../main/trainer/model-files';
import type { TrainerBackbone, TrainItem, TrainJob } from '../../main/trainer/protocol';
import { TINY_FEATURES, TINY_GRAPH_FEATURES, TINY_SIZE, writeTinyBackbone, writeTinyGraphBackbone } from '../helpers/backbone';
import { SHAPES, writeShapeDataset } from '../helpers/shapes';
import { removeTempDirs, tempDir } from '../helpers/temp';
import { projectPaths } from '../../main/core/projects/project-paths';

const PER_CLASS = 60;
let root: string;
let items: TrainItem[];
let backbone: TrainerBackbone;
let client: TrainerClient;

function transferSpec(): ModelSpec {
  const spec = presetById('transfer')!.build(
    { width: 1, height: 1, channels: 3, resize: 'squash' },
    { epochs: 20, batch_size: 16, learning_rate: 0.03, seed: 7 },
  );
  return { ...spec, input: { ...spec.input, width: TINY_SIZE, height: TINY_SIZE }, backbone: { id: backbone.id, trainable_blocks: 0 } };
}

let runs = 0;
function job(): TrainJob {
  const runId = `transfer-${++runs}`;
  return { runId, spec: transferSpec(), backbone, classNames: [...SHAPES], items, outDir: projectPaths(root).run(runId) };
}

async function train(trainJob: TrainJob): Promise<{ events: RunEvent[]; bestEpoch: number }> {
  const events: RunEvent[] = [];
  const result = await client.train(trainJob, (event) => events.push(event));
  expect(result.status).toBe('completed');
  return { events, bestEpoch: result.bestEpoch };
}

const logs = (events: RunEvent[]) => events.flatMap((event) => (event.kind === 'log' ? [event.message] : []));
const epochs = (events: RunEvent[]) => events.flatMap((event) => (event.kind === 'epoch' ? [event.metrics] : []));

beforeAll(async () => {
  process.env['CAPA_BACKEND'] = 'wasm';
  root = tempDir('capa-transfer-');
  const modelDir = join(root, 'tiny-backbone');
  await writeTinyBackbone(modelDir);
  const cache = new BackboneCache(join(root, CACHE_FOLDER));
  const imported = await cache.importFolder(modelDir, { title: 'Tiny' });
  backbone = await cache.resolve(imported.id);
  await writeShapeDataset(join(root, 'data'), { perClass: PER_CLASS, size: 32, seed: 5 });
  items = SHAPES.flatMap((shape, label) =>
    Array.from({ length: PER_CLASS }, (_, i): TrainItem => ({
      path: join(root, 'data', shape, `${shape}-${i}.png`),
      label,
      split: i % 4 === 0 ? 'validation' : 'train',
    })),
  );
  client = new TrainerClient(forkTrainerPort);
});

afterAll(async () => {
  await client.close();
  removeTempDirs();
});

describe('transfer learning', () => {
  it('computes features once, caches them, trains the head, and repeats exactly from the cache', async () => {
    const first = await train(job());
    const computedLine = logs(first.events).find((line) => line.startsWith(`Features of ${items.length * 0.75} images`))!;
    expect(computedLine).toMatch(new RegExp(`: 0 from the cache, ${items.length * 0.75} computed by the backbone`));
    // The run's log names the engine that computed them.
    expect(logs(first.events)).toContainEqual(expect.stringMatching(/^Features: ONNX Runtime, CPU \(\d+ threads?\)\.$/));
    // One file per distinct image, each holding TINY_FEATURES float32 values.
    const [folder] = readdirSync(backbone.embeddingsDir);
    expect(readdirSync(join(backbone.embeddingsDir, folder!))).toHaveLength(items.length);

    const second = await train(job());
    const cachedLine = logs(second.events).find((line) => line.startsWith(`Features of ${items.length * 0.75} images`))!;
    expect(cachedLine).toMatch(new RegExp(`: ${items.length * 0.75} from the cache, 0 computed by the backbone`));
    // Same seed, same features (read back from disk) -> the same losses, to the last bit.
    expect(epochs(second.events).map((m) => [m.loss, m.valLoss])).toEqual(epochs(first.events).map((m) => [m.loss, m.valLoss]));

    // The head learned more than chance (1/3) from 8 features of a random, frozen backbone.
    const best = epochs(first.events)[first.bestEpoch - 1]!;
    expect(best.valAccuracy!).toBeGreaterThan(0.5);
  });

  it('predicts through backbone and head with exactly the accuracy measured in training', async () => {
    const trainJob = job();
    const { events, bestEpoch } = await train(trainJob);
    const best = epochs(events)[bestEpoch - 1]!;
    const validation = items.filter((item) => item.split === 'validation');
    const rows = await client.predict(
      join(trainJob.outDir, 'best'),
      trainJob.spec.input,
      validation.map((item) => ({ path: item.path })),
      backbone,
    );
    let correct = 0;
    rows.forEach((row, i) => {
      expect(row).toHaveLength(SHAPES.length);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      if (row.indexOf(Math.max(...row)) === validation[i]!.label) correct++;
    });
    expect(correct / validation.length).toBeCloseTo(best.valAccuracy!, 6);
    // Those predictions (features and head) ran in ONNX Runtime, and the trainer says so.
    const engines = await client.inference();
    expect(engines.features?.message).toMatch(/^Features: ONNX Runtime, CPU \(\d+ threads?\)\.$/);
    expect(engines.predictions?.message).toMatch(/^Predictions: ONNX Runtime, CPU \(\d+ threads?\)\.$/);
  });

  it('fine-tunes the last block of a layers backbone: it changes, the first does not, and the saved model predicts alone', async () => {
    const trainJob = job();
    trainJob.spec = { ...trainJob.spec, backbone: { id: backbone.id, trainable_blocks: 1 } };
    const { events, bestEpoch } = await train(trainJob);
    expect(logs(events).some((line) => line.startsWith('Features of'))).toBe(false); // pixels, not cached features

    await tf.setBackend('cpu');
    const original = (await loadModel(tf, backbone.dir)).getWeights().map((w) => Array.from(w.dataSync()));
    const tuned = (await loadModel(tf, join(trainJob.outDir, 'best'))).getWeights().map((w) => Array.from(w.dataSync()));
    // The kernels tell the two convolutions apart by size (3x3x3x16 and 3x3x16x16); trainable weights come first.
    const kernel = (weights: number[][], size: number) => weights.find((w) => w.length === size)!;
    expect(kernel(tuned, 3 * 3 * 3 * 16)).toEqual(kernel(original, 3 * 3 * 3 * 16));
    expect(kernel(tuned, 3 * 3 * 16 * 16)).not.toEqual(kernel(original, 3 * 3 * 16 * 16));

    // best/ holds backbone and head: it predicts from pixels, with the accuracy measured in training.
    const best = epochs(events)[bestEpoch - 1]!;
    const validation = items.filter((item) => item.split === 'validation');
    const rows = await client.predict(
      join(trainJob.outDir, 'best'),
      trainJob.spec.input,
      validation.map((item) => ({ path: item.path })),
    );
    const correct = rows.filter((row, i) => row.indexOf(Math.max(...row)) === validation[i]!.label).length;
    expect(correct / validation.length).toBeCloseTo(best.valAccuracy!, 6);
  });

  it('refuses to fine-tune more blocks than the backbone has', async () => {
    const trainJob = job();
    trainJob.spec = { ...trainJob.spec, backbone: { id: backbone.id, trainable_blocks: 3 } };
    await expect(client.train(trainJob, () => undefined)).rejects.toThrow(/has 2 blocks with weights, so it cannot fine-tune the last 3/);
  });

  it('trains on a graph backbone (as TF Hub serves them) and predicts through it, but will not fine-tune it', async () => {
    const graphDir = join(root, 'tiny-graph');
    writeTinyGraphBackbone(graphDir);
    const cache = new BackboneCache(join(root, CACHE_FOLDER));
    const imported = await cache.importFolder(graphDir, { title: 'Tiny graph' });
    expect(imported).toMatchObject({ format: 'graph', inputSize: TINY_SIZE, features: TINY_GRAPH_FEATURES });
    const graph = await cache.resolve(imported.id);
    const trainJob: TrainJob = { ...job(), backbone: graph };
    trainJob.spec = { ...trainJob.spec, backbone: { id: graph.id, trainable_blocks: 0 } };
    const { events } = await train(trainJob);
    expect(logs(events).find((line) => line.startsWith(`Features of ${items.length * 0.75} images`))).toMatch(
      /: 0 from the cache, \d+ computed/,
    );
    const rows = await client.predict(join(trainJob.outDir, 'best'), trainJob.spec.input, [{ path: items[0]!.path }], graph);
    expect(rows[0]).toHaveLength(SHAPES.length);
    expect(rows[0]!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);

    const tune: TrainJob = {
      ...trainJob,
      runId: 'graph-tune',
      spec: { ...trainJob.spec, backbone: { id: graph.id, trainable_blocks: 1 } },
    };
    await expect(client.train(tune, () => undefined)).rejects.toThrow(/is a graph model; TensorFlow\.js cannot train its weights/);
  });

  it('builds the head for the features the backbone really gives, and says so when its description differs', async () => {
    const wrong: TrainJob = { ...job(), backbone: { ...backbone, features: TINY_FEATURES + 1 } };
    const { events } = await train(wrong);
    expect(logs(events)).toContain(
      `The pretrained network "${backbone.id}" gives ${TINY_FEATURES} features per image, not the ${TINY_FEATURES + 1} its description says; the head is built for ${TINY_FEATURES}.`,
    );
  });
});
