// Transfer learning through the service, as the model screen drives it: list backbones, download
// one from a loopback server with progress events, summarise and save a transfer spec, train,
// and predict through backbone + head.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackboneEvent, RunEvent } from '../../preload/contract';
import { runEnded } from '../helpers/train';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import type { CapaService } from '../../main/core/service/service-types';
import { presetById } from '../../common/model/presets';
import { PHOTO_SIZE } from '../../common/model/auto-plan';
import { mirrorTinyBackbone, TINY_FEATURES, TINY_SIZE, writeTinyBackbone, type ModelServer } from '../helpers/backbone';
import { writeShapeDataset } from '../helpers/shapes';
import { removeTempDirs, tempDir } from '../helpers/temp';

let service: CapaService;
let server: ModelServer;
let shapes: string;

beforeAll(async () => {
  process.env['CAPA_BACKEND'] = 'wasm';
  const dataDir = tempDir();
  server = await mirrorTinyBackbone(dataDir, join(tempDir(), 'tiny'));
  shapes = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 20, size: 32, seed: 9 });
  service = createCapaService({ dataDir, host: 'browser' });
});

afterAll(async () => {
  await service.close();
  await server.close();
  removeTempDirs();
});

describe('transfer learning through the service', () => {
  it('downloads the backbone with events, refuses to train before, trains after, and predicts', async () => {
    const project = await callOrThrow(service, 'createProject', { name: 'Shapes' });
    await callOrThrow(service, 'importPaths', { projectId: project.id, paths: [shapes] });
    const preset = presetById('transfer')!.build({ width: 1, height: 1, channels: 3, resize: 'squash' }, { epochs: 3, batch_size: 8 });
    const spec = {
      ...preset,
      input: { ...preset.input, width: TINY_SIZE, height: TINY_SIZE },
      backbone: { id: 'tiny', trainable_blocks: 0 },
    };

    const listed = await callOrThrow(service, 'listBackbones', {});
    expect(listed.find((b) => b.id === 'mobilenet-v2-1.0-224')).toMatchObject({ state: 'absent', features: 1280, inputSize: 224 });
    expect(listed.find((b) => b.id === 'tiny')).toMatchObject({ state: 'absent', features: TINY_FEATURES });

    // The summary knows the backbone before it is downloaded; training needs its files.
    const summary = await callOrThrow(service, 'summarizeSpec', { projectId: project.id, spec });
    expect(summary.issues).toEqual([]);
    expect(summary.rows[0]).toMatchObject({ name: 'tiny', type: 'Functional', outputShape: [TINY_FEATURES] });
    await callOrThrow(service, 'saveSpec', { projectId: project.id, spec });
    const early = await service.call('startRun', { projectId: project.id });
    expect(early).toMatchObject({
      ok: false,
      error: {
        code: 'not-found',
        message: expect.stringMatching(
          /^Tiny test backbone tiny is not on this computer yet\. Download Tiny test backbone tiny \(1 kB\) on the Model screen first/,
        ),
      },
    });

    // The tiny backbone is a layers model, whose blocks can be fine-tuned; TF Hub's MobileNets are graph models.
    const fineTune = await callOrThrow(service, 'summarizeSpec', {
      projectId: project.id,
      spec: { ...spec, backbone: { id: 'tiny', trainable_blocks: 2 } },
    });
    expect(fineTune.issues).toEqual([]);
    const graph = { ...preset, backbone: { id: 'mobilenet-v2-1.0-224', trainable_blocks: 2 } };
    const graphTune = await callOrThrow(service, 'summarizeSpec', { projectId: project.id, spec: graph });
    expect(graphTune.issues).toEqual([
      {
        path: ['backbone', 'trainable_blocks'],
        message: expect.stringMatching(
          /^MobileNet V2 1\.0 · 224 px is a TensorFlow\.js graph model, whose weights cannot be trained, so its last 2 blocks cannot be fine-tuned\./,
        ),
        key: 'model.backbones.graphCannotFineTune',
        params: { title: 'MobileNet V2 1.0 · 224 px', count: 2 },
      },
    ]);

    const events: BackboneEvent[] = [];
    service.onBackboneEvent((event) => events.push(event));
    const downloaded = await callOrThrow(service, 'downloadBackbone', { id: 'tiny' });
    expect(downloaded).toMatchObject({ state: 'ready', verified: true });
    expect(events.some((e) => e.kind === 'progress')).toBe(true);
    expect(events.at(-1)).toMatchObject({ id: 'tiny', kind: 'done' });
    expect((await callOrThrow(service, 'listBackbones', {})).find((b) => b.id === 'tiny')!.state).toBe('ready');

    const runEvents: RunEvent[] = [];
    service.onRunEvent((event) => runEvents.push(event));
    let runId: string | undefined;
    const done = runEnded(service, () => runId);
    const run = await callOrThrow(service, 'startRun', { projectId: project.id });
    runId = run.id;
    await done;
    expect(runEvents.at(-1)).toMatchObject({ kind: 'done', status: 'completed' });
    expect(runEvents.some((e) => e.kind === 'log' && /^Features of \d+ images: 0 from the cache/.test(e.message))).toBe(true);

    const bytes = new Uint8Array(readFileSync(join(shapes, 'square', 'square-3.png')));
    const prediction = await callOrThrow(service, 'predict', { projectId: project.id, runId: run.id, bytes });
    expect(prediction.probabilities.map((p) => p.className)).toEqual(['circle', 'square', 'triangle']);
    expect(prediction.probabilities.reduce((sum, p) => sum + p.probability, 0)).toBeCloseTo(1, 5);

    // Fine-tuned, the run saves backbone and head as one model, and predict uses it alone.
    await callOrThrow(service, 'saveSpec', { projectId: project.id, spec: { ...spec, backbone: { id: 'tiny', trainable_blocks: 1 } } });
    let tunedId: string | undefined;
    const tunedDone = runEnded(service, () => tunedId);
    const tuned = await callOrThrow(service, 'startRun', { projectId: project.id });
    tunedId = tuned.id;
    expect(await tunedDone).toMatchObject({ runId: tuned.id, status: 'completed' });
    const tunedPrediction = await callOrThrow(service, 'predict', { projectId: project.id, runId: tuned.id, bytes });
    expect(tunedPrediction.probabilities.reduce((sum, p) => sum + p.probability, 0)).toBeCloseTo(1, 5);
  });

  it('gives a fresh project Auto: from scratch with the download suggested while offline, transfer learning once the backbone is there', async () => {
    // A data folder of its own: the default backbone must be absent here, whatever the other tests import.
    const fresh = createCapaService({ dataDir: tempDir(), host: 'browser' });
    try {
      const photos = await writeShapeDataset(join(tempDir(), 'photos'), { perClass: 8, size: PHOTO_SIZE, seed: 4 });
      const project = await callOrThrow(fresh, 'createProject', { name: 'Default' });
      await callOrThrow(fresh, 'importPaths', { projectId: project.id, paths: [photos] });
      const plan = await callOrThrow(fresh, 'planModel', { projectId: project.id });
      expect(plan.spec.preset).toBe('auto');
      expect(plan.spec.backbone).toBeUndefined();
      expect(plan.reasons.map((r) => r.key)).toContain('model.auto.reason.offline');
      expect(plan.suggestDownload).toEqual({ id: 'mobilenet-v2-1.0-224', title: 'MobileNet V2 1.0 · 224 px' });
      // The spec the model screen shows is the plan's.
      expect(await callOrThrow(fresh, 'getSpec', { projectId: project.id })).toEqual(plan.spec);

      // Offline, training does not refuse: it trains the plan from scratch, with its estimate stored.
      const offlineDone = new Promise<RunEvent>((resolve) => fresh.onRunEvent((event) => event.kind === 'done' && resolve(event)));
      const offlineRun = await callOrThrow(fresh, 'startRun', { projectId: project.id });
      expect(offlineRun.spec).toMatchObject({ preset: 'auto', input: { width: 64, channels: 3 } });
      expect(offlineRun.estimate).toMatchObject({ pictures: plan.estimate.pictures, source: 'guess' });
      expect(await offlineDone).toMatchObject({ runId: offlineRun.id, status: 'completed' });

      // A spec saved before keeps its preset: Auto applies only where none was ever saved.
      const other = await callOrThrow(fresh, 'createProject', { name: 'Saved' });
      await callOrThrow(fresh, 'saveSpec', {
        projectId: other.id,
        spec: presetById('small-cnn')!.build({ width: 32, height: 32, channels: 3, resize: 'squash' }),
      });
      expect(await callOrThrow(fresh, 'getSpec', { projectId: other.id })).toMatchObject({ preset: 'small-cnn', input: { width: 32 } });

      // A tiny stand-in for the 224 px MobileNet, imported in its place as an offline computer would.
      const folder = join(tempDir(), 'tiny-224');
      await writeTinyBackbone(folder, 224);
      await callOrThrow(fresh, 'importBackbone', { path: folder, id: 'mobilenet-v2-1.0-224' });
      // What was imported is a layers model, so it is now listed (and fine-tunable) as one.
      expect((await callOrThrow(fresh, 'listBackbones', {})).find((b) => b.id === 'mobilenet-v2-1.0-224')).toMatchObject({
        state: 'ready',
        source: 'import',
        format: 'layers',
      });
      const transfer = await callOrThrow(fresh, 'planModel', { projectId: project.id });
      expect(transfer.reasons.map((r) => r.key)).toContain('model.auto.reason.transfer');
      expect(transfer.suggestDownload).toBeNull();
      let runId: string | undefined;
      const done = runEnded(fresh, () => runId);
      const run = await callOrThrow(fresh, 'startRun', { projectId: project.id });
      runId = run.id;
      expect(run.spec).toMatchObject({ preset: 'auto', backbone: { id: 'mobilenet-v2-1.0-224' }, input: { width: 224, height: 224 } });
      expect(await done).toMatchObject({ runId: run.id, status: 'completed', error: null });
    } finally {
      await fresh.close();
    }
  });

  it('imports a backbone from a folder that does not exist with a clear error value', async () => {
    const result = await service.call('importBackbone', { path: join(tempDir(), 'missing') });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: expect.stringMatching(/There is no model\.json in .*missing/) },
    });
  });
});
