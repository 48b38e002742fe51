// The pixel cache as the app uses it: runs started through the service find it in the project's
// folder, keyed by the store's hashes, so the second run of a project decodes no image.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../preload/contract';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import type { CapaService } from '../../main/core/service/service-types';
import { PRESETS } from '../../common/model/presets';
import { inputKey } from '../../main/trainer/pixel-cache';
import { writeShapeDataset } from '../helpers/shapes';
import { removeTempDirs, tempDir } from '../helpers/temp';
import { runEnded } from '../helpers/train';
import { projectPaths } from '../../main/core/projects/project-paths';

const INPUT = { width: 16, height: 16, channels: 3, resize: 'squash' } as const;
let service: CapaService;
let dataDir: string;

beforeAll(async () => {
  process.env['CAPA_BACKEND'] = 'wasm';
  dataDir = tempDir();
  service = createCapaService({ dataDir, host: 'browser' });
});

afterAll(async () => {
  await service.close();
  removeTempDirs();
});

/** Starts a run and returns its "Images at ..." log line once it is done. */
async function imagesLog(projectId: string): Promise<string[]> {
  const lines: string[] = [];
  let runId = '';
  const off = service.onRunEvent((event: RunEvent) => {
    if (event.kind === 'log' && event.message.startsWith('Images at')) lines.push(event.message);
  });
  const done = runEnded(service, () => runId);
  runId = (await callOrThrow(service, 'startRun', { projectId })).id;
  await done;
  off();
  expect((await callOrThrow(service, 'getRun', { projectId, runId })).status).toBe('completed');
  return lines;
}

describe('pixel cache through the service', () => {
  it('lives in the project folder and makes the second run decode nothing', async () => {
    const shapes = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 10, size: 24, seed: 8 });
    const project = await callOrThrow(service, 'createProject', { name: 'Cached' });
    await callOrThrow(service, 'importPaths', { projectId: project.id, paths: [shapes] });
    const dataset = await callOrThrow(service, 'getDataset', { projectId: project.id });
    const used = dataset.splitCounts.train + dataset.splitCounts.validation;
    await callOrThrow(service, 'saveSpec', {
      projectId: project.id,
      spec: PRESETS.find((p) => p.id === 'mlp')!.build(INPUT, { epochs: 1, batch_size: 8 }),
    });

    expect(await imagesLog(project.id)).toEqual([`Images at 16x16x3: ${used} decoded; 0 read from the pixel cache.`]);
    expect(await imagesLog(project.id)).toEqual([`Images at 16x16x3: 0 decoded; ${used} read from the pixel cache.`]);
    expect(existsSync(join(projectPaths(join(dataDir, project.id)).pixelCache, inputKey(INPUT)))).toBe(true);
  });
});
