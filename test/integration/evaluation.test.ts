// Evaluating runs through the service: a tiny network really trained on images where a bright
// patch decides the class, then evaluated on its test images with some labels flipped on purpose.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageInfo, RunInfo } from '../../preload/contract';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import type { CapaService } from '../../main/core/service/service-types';
import { PRESETS } from '../../common/model/presets';
import { TINY_SIZE, writeTinyGraphBackbone } from '../helpers/backbone';
import { distanceToBox, peakOf, writePatchDataset, type PatchBox } from '../helpers/patches';
import { removeTempDirs, tempDir } from '../helpers/temp';
import { runEnded, trainProject } from '../helpers/train';

const SIZE = 32;
const INPUT = { width: SIZE, height: SIZE, channels: 3, resize: 'squash' } as const;
let service: CapaService;
let projectId: string;
let boxes: Map<string, PatchBox>;
let images: ImageInfo[];
let classIds: Map<string, number>;

async function train(presetId: string, epochs: number): Promise<RunInfo> {
  const spec = PRESETS.find((p) => p.id === presetId)!.build(INPUT, { epochs, batch_size: 16, learning_rate: 0.003, seed: 5 });
  await callOrThrow(service, 'saveSpec', { projectId, spec });
  return trainProject(service, projectId);
}

const fileOf = (imageId: number) => images.find((image) => image.id === imageId)!.fileName;

beforeAll(async () => {
  // WASM, forced: the test must not depend on which native packages this machine has.
  process.env['CAPA_BACKEND'] = 'wasm';
  const root = join(tempDir(), 'patches');
  boxes = await writePatchDataset(root, { perClass: 60, size: SIZE });
  service = createCapaService({ dataDir: tempDir(), host: 'browser' });
  projectId = (await callOrThrow(service, 'createProject', { name: 'Patches' })).id;
  await callOrThrow(service, 'setSplitShares', { projectId, train: 60, validation: 15, test: 25 });
  await callOrThrow(service, 'importPaths', { projectId, paths: [root] });
  images = (await callOrThrow(service, 'listImages', { projectId, offset: 0, limit: 1000 })).images;
  classIds = new Map((await callOrThrow(service, 'getDataset', { projectId })).classes.map((c) => [c.name, c.id]));
}, 60_000);

afterAll(async () => {
  await service?.close();
  removeTempDirs();
});

describe('evaluating a run', () => {
  let run: RunInfo;
  const flipped: number[] = [];

  it('trains a small CNN that tells the classes apart', async () => {
    run = await train('small-cnn', 8);
    expect(run.status).toBe('completed');
    expect(run.epochs.at(-1)!.valAccuracy).toBeGreaterThan(0.9);
    // Training ends with the run's final evaluation: best weights on the test split, stored.
    const [final] = await callOrThrow(service, 'listEvaluations', { projectId, runId: run.id });
    expect(final).toMatchObject({ split: 'test', weights: 'best', images: images.filter((image) => image.split === 'test').length });
    expect(final!.accuracy).toBeGreaterThan(0.9);
  }, 240_000);

  it('ranks test images whose labels were flipped after training at the top of "likely mislabelled"', async () => {
    const test = images.filter((image) => image.split === 'test');
    // Three of each class get the other class's label, as a careless labeller would.
    for (const [from, to] of [
      ['patch', 'plain'],
      ['plain', 'patch'],
    ] as const) {
      const picked = test
        .filter((image) => image.classId === classIds.get(from))
        .slice(0, 3)
        .map((image) => image.id);
      await callOrThrow(service, 'setImageClass', { projectId, imageIds: picked, classId: classIds.get(to)! });
      flipped.push(...picked);
    }
    const progress = service.call('evaluationProgress', { projectId, runId: run.id });
    const evaluating = callOrThrow(service, 'evaluateRun', { projectId, runId: run.id, split: 'test', weights: 'best' });
    expect((await progress).ok).toBe(true);
    const evaluation = await evaluating;
    expect(evaluation.images).toBe(test.length);
    expect(evaluation.metrics.perClass.map((c) => c.support)).toEqual([test.length / 2, test.length / 2]);
    // The six flipped images are the model's "errors" now; at most one genuine mistake besides.
    expect(evaluation.metrics.accuracy).toBeLessThanOrEqual(1 - 6 / test.length + 1e-9);
    expect(evaluation.metrics.accuracy).toBeGreaterThanOrEqual(1 - 7 / test.length - 1e-9);
    const ranked = await callOrThrow(service, 'evaluatedImages', {
      projectId,
      evaluationId: evaluation.id,
      order: 'disagreement',
      limit: 8,
    });
    expect(ranked.slice(0, 8).map((image) => image.imageId)).toEqual(expect.arrayContaining(flipped));
    expect(ranked[0]!.disagreement).toBeGreaterThan(0.5);
    expect(ranked[0]!.disagreement).toBeGreaterThanOrEqual(ranked[5]!.disagreement);
  }, 120_000);

  it('lists exactly the images of each confusion matrix cell', async () => {
    const [summary] = await callOrThrow(service, 'listEvaluations', { projectId, runId: run.id });
    const evaluation = await callOrThrow(service, 'getEvaluation', { projectId, evaluationId: summary!.id });
    const seen = new Set<number>();
    for (const [a, actual] of evaluation.classNames.entries()) {
      for (const [p, predicted] of evaluation.classNames.entries()) {
        const cell = await callOrThrow(service, 'evaluatedImages', {
          projectId,
          evaluationId: summary!.id,
          actual,
          predicted,
          order: 'id',
          limit: 1000,
        });
        expect(cell).toHaveLength(evaluation.metrics.confusion[a]![p]!);
        for (const image of cell) {
          expect(image).toMatchObject({ label: actual, predicted, currentLabel: actual });
          expect(image.probabilities[p]).toBe(Math.max(...image.probabilities));
          seen.add(image.imageId);
        }
      }
    }
    expect(seen.size).toBe(evaluation.images);
    // The flipped images sit off the diagonal, under the label they were given.
    const offDiagonal = evaluation.mostConfused.reduce((sum, pair) => sum + pair.count, 0);
    expect(offDiagonal).toBeGreaterThanOrEqual(6);
    const wrong = await callOrThrow(service, 'evaluatedImages', {
      projectId,
      evaluationId: summary!.id,
      order: 'disagreement',
      wrongOnly: true,
      limit: 1000,
    });
    expect(wrong).toHaveLength(offDiagonal);
  });

  it('marks the evaluation stale after a relabel, and fresh again after undo', async () => {
    const stale = async () => (await callOrThrow(service, 'listEvaluations', { projectId, runId: run.id }))[0]!.staleness;
    expect(await stale()).toEqual({ stale: false, changed: 0, added: 0 });
    await callOrThrow(service, 'setImageClass', { projectId, imageIds: [flipped[0]!], classId: classIds.get('patch')! });
    expect(await stale()).toEqual({ stale: true, changed: 1, added: 0 });
    await callOrThrow(service, 'undo', { projectId });
    expect(await stale()).toEqual({ stale: false, changed: 0, added: 0 });
    await callOrThrow(service, 'deleteImages', { projectId, imageIds: [flipped[1]!] });
    expect(await stale()).toMatchObject({ stale: true, changed: 1 });
    const [image] = await callOrThrow(service, 'evaluatedImages', {
      projectId,
      evaluationId: (await callOrThrow(service, 'listEvaluations', { projectId, runId: run.id }))[0]!.id,
      order: 'disagreement',
      limit: 1000,
    }).then((all) => all.filter((i) => i.imageId === flipped[1]));
    expect(image).toMatchObject({ fileName: null, currentLabel: undefined });
    await callOrThrow(service, 'undo', { projectId });
  });

  it('explains a patch image with Grad-CAM peaking on the patch', async () => {
    const patchImages = images
      .filter((image) => image.classId === classIds.get('patch') && image.split === 'test' && !flipped.includes(image.id))
      .slice(0, 4);
    for (const image of patchImages) {
      const map = await callOrThrow(service, 'explainImage', {
        projectId,
        runId: run.id,
        imageId: image.id,
        weights: 'best',
        className: 'patch',
      });
      expect(map).toMatchObject({ method: 'grad-cam', className: 'patch', width: 16, height: 16, note: { key: 'runs.explain.gradCam' } });
      expect(map.values).toHaveLength(16 * 16);
      expect(Math.max(...map.values)).toBe(1);
      expect(distanceToBox(peakOf(map, SIZE), boxes.get(fileOf(image.id))!)).toBeLessThanOrEqual(4);
    }
  }, 60_000);

  it('cancels an evaluation and stores nothing', async () => {
    const evaluating = service.call('evaluateRun', { projectId, runId: run.id, split: 'validation', weights: 'last' });
    await callOrThrow(service, 'cancelEvaluation', { projectId, runId: run.id });
    const result = await evaluating;
    expect(result.ok ? 'finished' : result.error.code).toBe('cancelled');
    const splits = (await callOrThrow(service, 'listEvaluations', { projectId, runId: run.id })).map((e) => e.split);
    expect(splits).toEqual(['test']);
    expect(await callOrThrow(service, 'evaluationProgress', { projectId, runId: run.id })).toBeNull();
  });

  it('explains a network without convolution by occlusion, peaking on the patch', async () => {
    const mlp = await train('mlp', 10);
    // A patch anywhere is harder for a network that sees pixels, not shapes; it still learns most.
    expect(mlp.epochs.at(-1)!.valAccuracy).toBeGreaterThan(0.7);
    const patchImages = images.filter((i) => i.classId === classIds.get('patch') && i.split === 'train').slice(0, 4);
    for (const image of patchImages) {
      const map = await callOrThrow(service, 'explainImage', {
        projectId,
        runId: mlp.id,
        imageId: image.id,
        weights: 'best',
        className: 'patch',
      });
      expect(map).toMatchObject({
        method: 'occlusion',
        width: 8,
        height: 8,
        note: { message: expect.stringContaining('no convolution'), key: 'runs.explain.occlusion' },
      });
      expect(map.values).toHaveLength(64);
      expect(distanceToBox(peakOf(map, SIZE), boxes.get(fileOf(image.id))!)).toBeLessThanOrEqual(4);
    }
  }, 240_000);

  it('evaluates a transfer run through its frozen graph backbone, and explains it by occlusion, saying why', async () => {
    const folder = join(tempDir(), 'graph-backbone');
    writeTinyGraphBackbone(folder);
    await callOrThrow(service, 'importBackbone', { path: folder, id: 'tiny-graph' });
    const preset = PRESETS.find((p) => p.id === 'transfer')!.build(INPUT, { epochs: 3, batch_size: 16, seed: 5 });
    const spec = {
      ...preset,
      input: { ...preset.input, width: TINY_SIZE, height: TINY_SIZE },
      backbone: { id: 'tiny-graph', trainable_blocks: 0 },
    };
    await callOrThrow(service, 'saveSpec', { projectId, spec });
    const run = await trainProject(service, projectId);
    const evaluation = await callOrThrow(service, 'evaluateRun', { projectId, runId: run.id, split: 'validation', weights: 'last' });
    expect(evaluation.images).toBe(images.filter((image) => image.split === 'validation').length);
    expect(evaluation.metrics.perClass.reduce((sum, c) => sum + c.support, 0)).toBe(evaluation.images);
    const image = images.find((i) => i.split === 'validation')!;
    const map = await callOrThrow(service, 'explainImage', { projectId, runId: run.id, imageId: image.id, weights: 'last' });
    expect(map).toMatchObject({
      method: 'occlusion',
      width: 8,
      height: 8,
      note: { message: expect.stringContaining('pretrained network works as one sealed block'), key: 'runs.explain.occlusionPretrained' },
    });
    expect(map.values.every((v) => v >= 0 && v <= 1)).toBe(true);
  }, 120_000);

  it('refuses to evaluate a run that is still training', async () => {
    await callOrThrow(service, 'saveSpec', {
      projectId,
      spec: PRESETS.find((p) => p.id === 'mlp')!.build(INPUT, { epochs: 30, batch_size: 8 }),
    });
    const run = await callOrThrow(service, 'startRun', { projectId });
    const done = runEnded(service, () => run.id);
    const refused = await service.call('evaluateRun', { projectId, runId: run.id, split: 'test', weights: 'best' });
    expect(refused.ok ? null : refused.error).toMatchObject({ code: 'conflict', message: expect.stringContaining('still training') });
    await callOrThrow(service, 'stopRun', { projectId, runId: run.id });
    await done;
  }, 120_000);

  it('says what to do when a split has no image or the run has no weights', async () => {
    await callOrThrow(service, 'setSplitShares', { projectId, train: 85, validation: 15, test: 0 });
    const empty = await service.call('evaluateRun', { projectId, runId: run.id, split: 'test', weights: 'best' });
    expect(empty.ok ? null : empty.error).toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('Split settings') });
    const missing = await service.call('getEvaluation', { projectId, evaluationId: 9999 });
    expect(missing.ok ? null : missing.error.code).toBe('not-found');
  });
});
