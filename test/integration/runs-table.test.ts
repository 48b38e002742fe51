// The runs table through the service and the CLI, on real trained runs: names, rename, star,
// compare (settings flattened and diffed), delete with files, and the refusals a person can meet.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunInfo } from '../../preload/contract';
import { trainProject } from '../helpers/train';
import { flatten } from '../../common/runs/compare';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import type { CapaService } from '../../main/core/service/service-types';
import { PRESETS } from '../../common/model/presets';
import { cliFor } from '../helpers/cli';
import { writeShapeDataset } from '../helpers/shapes';
import { removeTempDirs, tempDir } from '../helpers/temp';
import { projectPaths } from '../../main/core/projects/project-paths';

let service: CapaService;
let dataDir: string;
let projectId: string;
let first: RunInfo;
let second: RunInfo;

async function train(training: { learning_rate: number; epochs: number }): Promise<RunInfo> {
  const spec = PRESETS.find((p) => p.id === 'mlp')!.build(
    { width: 16, height: 16, channels: 3, resize: 'squash' },
    { batch_size: 8, seed: 3, ...training },
  );
  await callOrThrow(service, 'saveSpec', { projectId, spec });
  return trainProject(service, projectId);
}

beforeAll(async () => {
  process.env['CAPA_BACKEND'] = 'wasm';
  dataDir = tempDir();
  const shapes = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 8, size: 16, seed: 2 });
  service = createCapaService({ dataDir, host: 'browser' });
  projectId = (await callOrThrow(service, 'createProject', { name: 'Table' })).id;
  await callOrThrow(service, 'importPaths', { projectId, paths: [shapes] });
  first = await train({ learning_rate: 0.01, epochs: 2 });
  second = await train({ learning_rate: 0.001, epochs: 3 });
});

afterAll(async () => {
  await service.close();
  removeTempDirs();
});

describe('runs table', () => {
  it('names runs in order, and stores what the table shows', () => {
    expect([first.name, second.name]).toEqual(['Run 1', 'Run 2']);
    expect(second).toMatchObject({ status: 'completed', starred: false, bestEpoch: expect.any(Number) });
    expect(second.epochs).toHaveLength(3);
    expect(second.durationSeconds).toBeGreaterThan(0);
  });

  it('renames and stars a run, and refuses an empty name', async () => {
    expect((await callOrThrow(service, 'renameRun', { projectId, runId: first.id, name: '  Fast learner ' })).name).toBe('Fast learner');
    expect((await callOrThrow(service, 'starRun', { projectId, runId: first.id, starred: true })).starred).toBe(true);
    const empty = await service.call('renameRun', { projectId, runId: first.id, name: '  ' });
    expect(empty).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument', message: expect.stringContaining('A name cannot be empty.') },
    });
    expect((await callOrThrow(service, 'getRun', { projectId, runId: first.id })).name).toBe('Fast learner');
  });

  it("compares runs: the settings that differ first, with each run's value", async () => {
    const comparison = await callOrThrow(service, 'compareRuns', { projectId, runIds: [first.id, second.id] });
    expect(comparison.runs.map((r) => r.id)).toEqual([first.id, second.id]);
    const differing = comparison.settings.filter((s) => s.differs);
    expect(differing).toEqual([
      { path: 'training.learning_rate', label: 'Training › learning rate', values: ['0.01', '0.001'], differs: true },
      { path: 'training.epochs', label: 'Training › epochs', values: ['2', '3'], differs: true },
    ]);
    expect(comparison.settings.slice(0, 2)).toEqual(differing);
    expect(comparison.settings.find((s) => s.path === 'training.seed')).toEqual({
      path: 'training.seed',
      label: 'Training › seed',
      values: ['3', '3'],
      differs: false,
    });
    expect(comparison.settings.find((s) => s.path === 'layers.1.units')?.label).toBe('Layer 2 (Dense) › units');
    expect(comparison.settings.find((s) => s.path === 'layers.1.type')?.label).toBe('Layer 2 (Dense)');
    expect(comparison.settings.find((s) => s.path === 'backend')?.values[0]).toMatch(/WebAssembly/);
    const one = await service.call('compareRuns', { projectId, runIds: [first.id, first.id] });
    expect(one).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument', message: 'Choose at least two different runs to compare.' },
    });
  });

  it('flattens lists by index and keeps empty ones as values', () => {
    expect(Object.fromEntries(flatten({ layers: [{ type: 'Dense', units: 8 }], callbacks: [], note: null }))).toEqual({
      'layers.0.type': 'Dense',
      'layers.0.units': '8',
      callbacks: '[]',
      note: 'null',
    });
  });

  it('lists, renames, stars and compares from the command line', async () => {
    const capa = cliFor(dataDir, { ...process.env, CAPA_BACKEND: 'wasm' });
    const listed = await capa('runs', 'Table');
    expect(listed.code).toBe(0);
    const lines = listed.stdout.split('\n');
    expect(lines[0]).toMatch(/^\s*Name\s+Status\s+Best val\. acc\.\s+Final loss\s+Epochs\s+Duration\s+Backend\s+Preset/);
    // Starred first, though newer runs come first otherwise.
    expect(lines[1]).toMatch(/^\*\s+Fast learner\s+completed\s+\d+\.\d%\s+\d\.\d{4}\s+2\/2\s+\d+ s\s+wasm\s+mlp/);
    expect(lines[2]).toMatch(/^\s+Run 2\s+completed/);

    expect(await capa('runs', 'rename', 'Table', second.id.slice(0, 8), 'Slow', 'and', 'steady')).toMatchObject({
      code: 0,
      stdout: 'Renamed "Run 2" to "Slow and steady".',
    });
    expect(await capa('runs', 'unstar', 'Table', 'fast learner')).toMatchObject({ code: 0, stdout: 'Took the star from "Fast learner".' });
    const compared = await capa('runs', 'compare', 'Table', 'Fast learner', 'Slow and steady');
    expect(compared.stdout).toMatch(
      /Setting that differs\s+Fast learner\s+Slow and steady\ntraining\.learning_rate\s+0\.01\s+0\.001\ntraining\.epochs\s+2\s+3/,
    );
    expect(compared.stdout).toMatch(/\d+ other settings are the same in every run\./);
    expect(compared.stdout).toMatch(/\n3\s+\s+\d\.\d{3} \/ \d\.\d{3}$/);
    expect(await capa('runs', 'resume', 'Table', 'Slow and steady')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('cannot be resumed: it has finished'),
    });
    expect(await capa('runs', 'star', 'Table', 'Run 9')).toMatchObject({
      code: 1,
      stderr: 'capa: There is no run "Run 9" in this project. See "capa runs <project>".',
    });
  });

  it('refuses to delete a run while it trains, then deletes it with its files', async () => {
    const runDir = projectPaths(join(dataDir, projectId)).run(first.id);
    expect(existsSync(join(runDir, 'best', 'model.json'))).toBe(true);
    // A run waiting in the queue counts as training: it would start after the delete.
    const spec = PRESETS.find((p) => p.id === 'mlp')!.build(
      { width: 16, height: 16, channels: 3, resize: 'squash' },
      { epochs: 40, batch_size: 8 },
    );
    await callOrThrow(service, 'saveSpec', { projectId, spec });
    const busy = await callOrThrow(service, 'startRun', { projectId });
    const refused = await service.call('deleteRun', { projectId, runId: busy.id });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        message: expect.stringMatching(/^"Run 3" is (training|waiting to train)\. Stop it first, then delete it\.$/),
      },
    });
    await callOrThrow(service, 'stopRun', { projectId, runId: busy.id });

    const capa = cliFor(dataDir, { ...process.env, CAPA_BACKEND: 'wasm' });
    expect(await capa('runs', 'delete', 'Table', first.id)).toMatchObject({ code: 0, stdout: 'Deleted "Fast learner" and its files.' });
    expect(existsSync(runDir)).toBe(false);
    const left = await callOrThrow(service, 'listRuns', { projectId });
    expect(left.map((r) => r.id)).not.toContain(first.id);
    expect(left.map((r) => r.id)).toContain(second.id);
  });
});
