// Background imports through the real service: progress and done events, cancel in the middle
// leaving a consistent project, browser uploads sharing one batch, and export downloads.
import { copyFileSync, readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportEvent } from '../../preload/contract';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import type { CapaService } from '../../main/core/service/service-types';
import { shapeImage, writeShapeDataset } from '../helpers/shapes';
import { removeTempDirs, tempDir } from '../helpers/temp';
import { projectPaths } from '../../main/core/projects/project-paths';
import { temporaryName } from '../../main/core/files/atomic';

let service: CapaService;
let dataDir: string;

beforeAll(() => {
  dataDir = tempDir();
  service = createCapaService({ dataDir, host: 'browser' });
});

afterAll(async () => {
  await service.close();
  removeTempDirs();
});

/** Collects the events of one import until its 'done'. */
function eventsOf(importId: () => string | undefined, onProgress?: (event: ImportEvent) => void) {
  const events: ImportEvent[] = [];
  return {
    events,
    done: new Promise<Extract<ImportEvent, { kind: 'done' }>>((resolve) => {
      const stop = service.onImportEvent((event) => {
        if (event.importId !== importId()) return;
        events.push(event);
        if (event.kind === 'progress') onProgress?.(event);
        else {
          stop();
          resolve(event);
        }
      });
    }),
  };
}

const countFiles = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? countFiles(join(dir, e.name)) : 1), 0);

describe('background import', () => {
  it('reports progress with speed and time left, then a done event with the report', async () => {
    const project = await callOrThrow(service, 'createProject', { name: 'Background' });
    const root = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 10, size: 24 });
    let id: string | undefined;
    const watch = eventsOf(() => id);
    id = (await callOrThrow(service, 'startImport', { projectId: project.id, paths: [root] })).importId;
    const done = await watch.done;
    expect(done).toMatchObject({
      projectId: project.id,
      cancelled: false,
      report: { imported: 30, classesCreated: expect.arrayContaining(['circle']) },
    });
    const progress = watch.events.filter((e) => e.kind === 'progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ done: 30, total: 30, secondsLeft: 0 });
    for (const p of progress) if (p.kind === 'progress') expect(p.imagesPerSecond).toBeGreaterThan(0);
    const view = await callOrThrow(service, 'getDataset', { projectId: project.id });
    expect(view.batches).toEqual([expect.objectContaining({ label: { message: 'shapes' }, imported: 30 })]);
  });

  it('cancels in the middle: what was imported stays, every row has its file and no file lacks its row', async () => {
    const project = await callOrThrow(service, 'createProject', { name: 'Cancelled' });
    const root = await writeShapeDataset(join(tempDir(), 'many'), { perClass: 60, size: 24, seed: 2 });
    let id: string | undefined;
    let cancelling: Promise<unknown> | undefined;
    const watch = eventsOf(
      () => id,
      () => (cancelling ??= callOrThrow(service, 'cancelImport', { projectId: project.id, importId: id! })),
    );
    id = (await callOrThrow(service, 'startImport', { projectId: project.id, paths: [root] })).importId;
    const done = await watch.done;
    await cancelling;
    expect(done.cancelled).toBe(true);
    expect(done.report.imported).toBeGreaterThan(0);
    expect(done.report.imported).toBeLessThan(180);
    const listed = await callOrThrow(service, 'listImages', { projectId: project.id, offset: 0, limit: 1000 });
    expect(listed.total).toBe(done.report.imported);
    const dir = join(dataDir, project.id);
    expect(countFiles(projectPaths(dir).store)).toBe(done.report.imported);
    expect(countFiles(projectPaths(dir).thumbnails)).toBe(done.report.imported);
    const again = await service.call('cancelImport', { projectId: project.id, importId: id });
    expect(again).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('keeps the chunks of one browser drop in one batch, and refuses an unknown batch', async () => {
    const project = await callOrThrow(service, 'createProject', { name: 'Uploads' });
    const file = async (name: string, seed: number) => ({
      relativePath: `drop/cats/${name}`,
      bytes: new Uint8Array(await shapeImage('circle', { seed })),
    });
    const first = await callOrThrow(service, 'importFiles', { projectId: project.id, files: [await file('a.png', 1)], split: 'test' });
    const second = await callOrThrow(service, 'importFiles', {
      projectId: project.id,
      files: [await file('b.png', 2)],
      batchId: first.batchId,
    });
    expect(second.batchId).toBe(first.batchId);
    expect(second.report.imported).toBe(1);
    const view = await callOrThrow(service, 'getDataset', { projectId: project.id });
    expect(view.batches).toEqual([expect.objectContaining({ id: first.batchId, imported: 2, pinnedSplit: 'test' })]);
    expect(view.splitCounts.test).toBe(2);
    const unknown = await service.call('importFiles', { projectId: project.id, files: [await file('c.png', 3)], batchId: 999 });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('offers finished zip exports for download by plain name only', async () => {
    const project = await callOrThrow(service, 'createProject', { name: 'Downloads' });
    await callOrThrow(service, 'importFiles', {
      projectId: project.id,
      files: [{ relativePath: 'x.png', bytes: new Uint8Array(await shapeImage('square', { seed: 5 })) }],
    });
    const result = await callOrThrow(service, 'exportDataset', { projectId: project.id, format: 'zip' });
    expect(result.download).toBe(`/download/${project.id}/${encodeURIComponent(result.files[0]!)}`);
    expect(await service.downloadFile(project.id, result.files[0]!)).toBe(join(result.directory, result.files[0]!));
    expect(await service.downloadFile(project.id, '../project.db')).toBeNull();
    expect(await service.downloadFile(project.id, 'missing.zip')).toBeNull();
    // A zip still being written is not offered, though it sits there under its temporary name.
    const unfinished = temporaryName(join(result.directory, result.files[0]!));
    copyFileSync(join(result.directory, result.files[0]!), unfinished);
    expect(await service.downloadFile(project.id, basename(unfinished))).toBeNull();
    rmSync(unfinished);
    const folder = await callOrThrow(service, 'exportDataset', { projectId: project.id, format: 'folder' });
    expect(folder.download).toBeUndefined();
  });
});
