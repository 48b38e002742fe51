// Looking inside transfer-learning runs: with a frozen backbone the view lists the head's layers
// (the backbone named, shown as one block) fed by the backbone's features; fine-tuned, the saved
// model holds both. Either way the last layer's values are the run's prediction for the picture.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectSummary } from '../../preload/contract';
import { runEnded } from '../helpers/train';
import type { ModelSpec } from '../../common/model/spec';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import type { CapaService } from '../../main/core/service/service-types';
import { presetById } from '../../common/model/presets';
import { mirrorTinyBackbone, TINY_FEATURES, TINY_SIZE, type ModelServer } from '../helpers/backbone';
import { writeShapeDataset } from '../helpers/shapes';
import { removeTempDirs, tempDir } from '../helpers/temp';

let service: CapaService;
let server: ModelServer;
let shapes: string;
let project: ProjectSummary;

beforeAll(async () => {
  const dataDir = tempDir();
  server = await mirrorTinyBackbone(dataDir, join(tempDir(), 'tiny'));
  shapes = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 8, size: 32, seed: 4 });
  service = createCapaService({ dataDir, host: 'browser' });
  project = await callOrThrow(service, 'createProject', { name: 'Shapes' });
  await callOrThrow(service, 'importPaths', { projectId: project.id, paths: [shapes] });
  await callOrThrow(service, 'downloadBackbone', { id: 'tiny' });
}, 120_000);

afterAll(async () => {
  await service.close();
  await server.close();
  removeTempDirs();
});

async function train(trainableBlocks: number): Promise<string> {
  const preset = presetById('transfer')!.build({ width: 1, height: 1, channels: 3, resize: 'squash' }, { epochs: 2, batch_size: 8 });
  const spec: ModelSpec = {
    ...preset,
    input: { ...preset.input, width: TINY_SIZE, height: TINY_SIZE },
    backbone: { id: 'tiny', trainable_blocks: trainableBlocks },
  };
  await callOrThrow(service, 'saveSpec', { projectId: project.id, spec });
  let runId: string | undefined;
  const done = runEnded(service, () => runId);
  const run = await callOrThrow(service, 'startRun', { projectId: project.id });
  runId = run.id;
  expect(await done).toMatchObject({ runId: run.id, status: 'completed' });
  return run.id;
}

describe('looking inside a transfer-learning run', () => {
  const bytes = () => new Uint8Array(readFileSync(join(shapes, 'square', 'square-2.png')));

  it.each([
    ['a frozen backbone', 0],
    ['a fine-tuned backbone', 1],
  ])('with %s names the backbone and ends with the prediction', async (_name, blocks) => {
    const runId = await train(blocks);
    const view = await callOrThrow(service, 'activations', { projectId: project.id, runId, image: { bytes: bytes() } });
    expect(view.backbone).toBe('tiny');
    expect(view.classNames).toEqual(['circle', 'square', 'triangle']);
    const prediction = await callOrThrow(service, 'predict', { projectId: project.id, runId, bytes: bytes() });
    const output = view.layers.at(-1)!;
    if (output.kind !== 'vector') throw new Error('the output layer gives a vector');
    output.values.forEach((v, i) => expect(v).toBeCloseTo(prediction.probabilities[i]!.probability, 4));
    if (blocks === 0) {
      // The head sees each feature vector as a 1 x 1 picture, flattened first.
      expect(view.layers[0]).toMatchObject({ kind: 'vector', type: 'Flatten', shape: [TINY_FEATURES] });
    }
  });
});
