// The whole path through the service, as the UI and the CLI drive it: project, import, spec,
// training in a real training process, prediction, and a TensorFlow.js export loaded back by
// an independent reader (test/helpers/export-reader.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationName, RunEvent } from '../../preload/contract';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import type { CapaService } from '../../main/core/service/service-types';
import { PRESETS } from '../../common/model/presets';
import { loadExport } from '../helpers/export-reader';
import { writeShapeDataset } from '../helpers/shapes';
import { removeTempDirs, tempDir } from '../helpers/temp';
import { runEnded } from '../helpers/train';

let service: CapaService;
let dataDir: string;
let shapes: string;

beforeAll(async () => {
  dataDir = tempDir();
  shapes = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 24, size: 32, seed: 3 });
  service = createCapaService({ dataDir, host: 'browser' });
});

afterAll(async () => {
  await service.close();
  removeTempDirs();
});

describe('from a dropped folder to an exported model', () => {
  it('trains, predicts and exports a model that @tensorflow/tfjs loads with the same predictions', async () => {
    const project = await callOrThrow(service, 'createProject', { name: 'Shapes' });
    const report = await callOrThrow(service, 'importPaths', { projectId: project.id, paths: [shapes] });
    expect(report.imported).toBe(72);

    const spec = PRESETS.find((p) => p.id === 'small-cnn')!.build(
      { width: 32, height: 32, channels: 3, resize: 'squash' },
      { epochs: 3, batch_size: 16 },
    );
    await callOrThrow(service, 'saveSpec', { projectId: project.id, spec });
    const summary = await callOrThrow(service, 'summarizeSpec', { projectId: project.id, spec });
    expect(summary.rows.at(-1)).toMatchObject({ type: 'Dense', outputShape: [3], params: (summary.rows.at(-2)!.outputShape[0]! + 1) * 3 });

    const events: RunEvent[] = [];
    service.onRunEvent((event) => events.push(event));
    let runId: string | undefined;
    const done = runEnded(service, () => runId);
    const run = await callOrThrow(service, 'startRun', { projectId: project.id });
    runId = run.id;
    await done;
    const finished = await callOrThrow(service, 'getRun', { projectId: project.id, runId: run.id });
    expect(finished.status).toBe('completed');
    expect(finished.epochs).toHaveLength(3);
    expect(finished.backend?.name).toBeTruthy();
    expect(events.filter((e) => e.kind === 'epoch')).toHaveLength(3);
    expect(events.some((e) => e.kind === 'progress')).toBe(true);

    const image = join(shapes, 'triangle', 'triangle-5.png');
    const prediction = await callOrThrow(service, 'predict', {
      projectId: project.id,
      runId: run.id,
      bytes: new Uint8Array(readFileSync(image)),
    });
    expect(prediction.probabilities.map((p) => p.className)).toEqual(['circle', 'square', 'triangle']);
    expect(prediction.probabilities.reduce((sum, p) => sum + p.probability, 0)).toBeCloseTo(1, 5);

    const exported = await callOrThrow(service, 'exportRun', { projectId: project.id, runId: run.id, format: 'tfjs' });
    expect(exported.files).toEqual(expect.arrayContaining(['model.json', 'metadata.json']));
    const reader = await loadExport(exported.directory);
    expect(reader.metadata).toMatchObject({
      classNames: ['circle', 'square', 'triangle'],
      input: { width: 32, height: 32, channels: 3 },
      runId: run.id,
    });
    const loaded = await reader.predict(image);
    const served = prediction.probabilities.map((p) => p.probability);
    loaded.forEach((p, i) => expect(Math.abs(p - served[i]!)).toBeLessThan(1e-4));
  });

  it('answers malformed requests with error values that name the problem, never exceptions', async () => {
    const bad: [OperationName, unknown][] = [
      ['createProject', { name: '' }],
      ['createProject', { name: 42 }],
      ['createProject', null],
      ['listImages', { projectId: 'x', offset: -1, limit: 10 }],
      ['importFiles', { projectId: 'x', files: [{ relativePath: '../../etc/passwd', bytes: new Uint8Array([1]) }] }],
      ['getDataset', { projectId: '../../etc' }],
      ['saveSpec', { projectId: 'x', spec: { version: 99 } }],
      ['predict', { projectId: 'x', runId: 'y', bytes: 'not bytes' }],
      ['nope' as OperationName, {}],
    ];
    for (const [name, request] of bad) {
      const result = await service.call(name, request);
      expect(result.ok, `${name} ${JSON.stringify(request)}`).toBe(false);
      if (!result.ok) {
        expect(['invalid-argument', 'not-found', 'invalid-spec']).toContain(result.error.code);
        expect(result.error.message.length).toBeGreaterThan(10);
      }
    }
  });

  it('reports an invalid layer setting next to its field, with the value received', async () => {
    const project = await callOrThrow(service, 'createProject', { name: 'Bad spec' });
    const spec = PRESETS.find((p) => p.id === 'small-cnn')!.build({ width: 8, height: 8, channels: 3, resize: 'squash' });
    const tooBig = {
      ...spec,
      layers: [{ type: 'Conv2D', filters: 4, kernel_size: 9, strides: 1, padding: 'valid', activation: 'relu' }, ...spec.layers.slice(4)],
    };
    const result = await service.call('saveSpec', { projectId: project.id, spec: tooBig });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-spec', issues: [{ path: ['layers', '0', 'kernel_size'] }] } });
    if (!result.ok) {
      // The error counts the problems; each is said next to its field.
      expect(result.error).toMatchObject({
        key: 'errors.model.cannotBuild',
        params: { count: 1 },
        message: 'The model cannot be built: 1 problem, listed with the layer it concerns.',
      });
      expect(result.error.issues![0]!.message).toContain('Kernel 9x9 is larger than the 8x8 input');
    }
    const fractional = { ...spec, layers: [{ type: 'Dense', units: 10.9, activation: 'relu' }] };
    const second = await service.call('saveSpec', { projectId: project.id, spec: fractional });
    expect(second.ok).toBe(false);
    if (!second.ok)
      expect(second.error.issues?.map((issue) => issue.message)).toContain('Expected a positive integer for "units". Received: 10.9');
  });
});
