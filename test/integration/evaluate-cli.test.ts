// `capa evaluate` of the built CLI (npm test builds first): a Small CNN trained on two classes,
// evaluated on the test and validation splits; the printed table and matrix agree with the
// evaluation the service stored.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import { cliFor } from '../helpers/cli';
import { writePatchDataset } from '../helpers/patches';
import { removeTempDirs, tempDir } from '../helpers/temp';

afterAll(removeTempDirs);

const dataDir = tempDir();
const capa = cliFor(dataDir, { ...process.env, CAPA_BACKEND: 'wasm' });

describe('capa evaluate', () => {
  it('prints the metrics table and the confusion matrix of the newest finished run', async () => {
    const root = join(tempDir(), 'patches');
    await writePatchDataset(root, { perClass: 20, size: 16 });
    expect((await capa('create', 'Patches')).code).toBe(0);
    expect((await capa('import', 'Patches', root)).stdout).toContain('Imported 40 images');
    expect(await capa('evaluate', 'Patches')).toMatchObject({ code: 1, stderr: expect.stringContaining('no run with saved weights') });
    expect((await capa('train', 'Patches', '--preset', 'small-cnn', '--size', '16', '--epochs', '2')).code).toBe(0);

    const test = await capa('evaluate', 'Patches');
    expect(test.code).toBe(0);
    // The engine the predictions ran on, after the report.
    expect(test.stdout).toMatch(/^Predictions: ONNX Runtime, CPU \(\d+ threads?\)\.$/m);
    const service = createCapaService({ dataDir, host: 'browser' });
    try {
      const projectId = (await callOrThrow(service, 'listProjects', {}))[0]!.id;
      const [run] = await callOrThrow(service, 'listRuns', { projectId });
      const [stored] = await callOrThrow(service, 'listEvaluations', { projectId, runId: run!.id });
      const evaluation = await callOrThrow(service, 'getEvaluation', { projectId, evaluationId: stored!.id });
      expect(evaluation).toMatchObject({ split: 'test', weights: 'best', classNames: ['patch', 'plain'] });
      const lines = test.stdout.split('\n');
      expect(lines).toContain(`Test split, best weights: ${evaluation.images} images`);
      expect(test.stdout).toContain(`accuracy: ${evaluation.metrics.accuracy.toFixed(4)}  loss: ${evaluation.metrics.loss.toFixed(4)}`);
      expect(
        lines
          .find((line) => line.startsWith('patch '))!
          .split(/\s+/)
          .slice(1),
      ).toEqual([
        ...['precision', 'recall', 'f1'].map((k) => evaluation.metrics.perClass[0]![k as 'precision'].toFixed(4)),
        String(evaluation.metrics.perClass[0]!.support),
      ]);
      const matrixRows = lines.slice(lines.indexOf('Confusion matrix (rows: label, columns: prediction)') + 2);
      expect(matrixRows.slice(0, 2).map((line) => line.trim().split(/\s+/).slice(1).map(Number))).toEqual(evaluation.metrics.confusion);
    } finally {
      await service.close();
    }

    expect((await capa('evaluate', 'Patches', '--split', 'validation', '--weights', 'last')).stdout).toContain(
      'Validation split, last weights',
    );
    expect(await capa('evaluate', 'Patches', '--split', 'train')).toMatchObject({ code: 1, stderr: expect.stringContaining('split') });
  }, 120_000);
});
