// The cleanup step run when a project opens (orphan store files and unfinished temporary files
// go, files the undo trash needs stay, a leftover younger than the grace period stays because
// another process may be writing it), and the checks the crash harness relies on: they must
// find damage when there is some, or the harness could not fail.
import { mkdirSync, rmSync, truncateSync, utimesSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reclaimLeftovers } from '../../main/core/projects/cleanup';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import { ImageStore } from '../../main/core/dataset/image-store';
import { projectProblems } from '../reliability/check';
import { lostLabels } from '../reliability/harness';
import { allImages, type ChildLine } from '../reliability/protocol';
import { writeShapeDataset } from '../helpers/shapes';
import { removeTempDirs, tempDir } from '../helpers/temp';

let dataDir: string;
let projectId: string;
let projectDir: string;
const HOUR_AGO = (Date.now() - 3600_000) / 1000;

/** Writes `file` (making its folder) and dates it `age` ago (seconds since the epoch), or now. */
function plant(file: string, bytes = 'x', time?: number): string {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, bytes);
  if (time !== undefined) utimesSync(file, time, time);
  return file;
}

beforeAll(async () => {
  dataDir = tempDir();
  const shapes = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 3, size: 16, seed: 9 });
  const service = createCapaService({ dataDir, host: 'browser' });
  projectId = (await callOrThrow(service, 'createProject', { name: 'Leftovers' })).id;
  await callOrThrow(service, 'importPaths', { projectId, paths: [shapes] });
  await service.close();
  projectDir = join(dataDir, projectId);
});

afterAll(() => removeTempDirs());

describe('cleanup on open', () => {
  it('removes old orphans and temporary files, keeps young ones and what Undo needs', async () => {
    const service = createCapaService({ dataDir, host: 'browser' });
    const [trashed] = await allImages(service, projectId);
    await callOrThrow(service, 'deleteImages', { projectId, imageIds: [trashed!.id] });
    await service.close();

    const fake = 'ab'.repeat(32);
    const old = [
      plant(join(projectDir, 'store', 'ab', `${fake}.png`), 'x', HOUR_AGO),
      plant(join(projectDir, 'thumbs', 'ab', `${fake}.webp`), 'x', HOUR_AGO),
      plant(join(projectDir, 'store', 'cd', `${'cd'.repeat(32)}.jpg.4242.1700000000000.partial`), 'x', HOUR_AGO),
      plant(join(projectDir, 'exports', 'Leftovers-20260101-000000.zip.partial'), 'x', HOUR_AGO),
      plant(join(projectDir, 'exports', '.model-tfjs.partial-0a1b2c3d', 'model.json'), '{', HOUR_AGO),
    ];
    utimesSync(join(projectDir, 'exports', '.model-tfjs.partial-0a1b2c3d'), HOUR_AGO, HOUR_AGO);
    const young = plant(join(projectDir, 'store', 'ef', `${'ef'.repeat(32)}.png`));

    const reopened = createCapaService({ dataDir, host: 'browser' });
    await callOrThrow(reopened, 'getDataset', { projectId });
    for (const file of old) expect(existsSync(file), file).toBe(false);
    expect(existsSync(join(projectDir, 'exports', '.model-tfjs.partial-0a1b2c3d'))).toBe(false);
    expect(existsSync(young)).toBe(true);
    // The trashed image's file stayed, so Undo brings the picture back whole.
    await callOrThrow(reopened, 'undo', { projectId });
    expect((await allImages(reopened, projectId)).map((image) => image.id)).toContain(trashed!.id);
    await reopened.close();

    // The check sees the young orphan; once the writer is known dead, no grace is needed.
    expect(await projectProblems(projectDir)).toEqual([`stored but not listed: store/ef/${'ef'.repeat(32)}.png`]);
    const db = new Database(join(projectDir, 'project.db'));
    expect(reclaimLeftovers(projectDir, db, { graceMs: 0 })).toEqual({ orphans: 1, partials: 0 });
    db.close();
    expect(await projectProblems(projectDir)).toEqual([]);
  });
});

describe('an export replaced when the app crashed', () => {
  it('comes back under its name when the new one never arrived, and goes when it did', () => {
    const exportsDir = join(projectDir, 'exports');
    const restored = plant(join(exportsDir, '.capa-12345678-tfjs.partial-0a1b2c3d-old', 'metadata.json'), '{}', HOUR_AGO);
    plant(join(exportsDir, 'capa-87654321-onnx', 'metadata.json'), '{"new":true}');
    const stale = plant(join(exportsDir, '.capa-87654321-onnx.partial-11111111-old', 'metadata.json'), '{}', HOUR_AGO);
    utimesSync(join(stale, '..'), HOUR_AGO, HOUR_AGO);
    const db = new Database(join(projectDir, 'project.db'));
    reclaimLeftovers(projectDir, db);
    db.close();
    expect(existsSync(restored)).toBe(false);
    expect(existsSync(join(exportsDir, 'capa-12345678-tfjs', 'metadata.json'))).toBe(true);
    expect(existsSync(join(stale, '..'))).toBe(false);
    expect(existsSync(join(exportsDir, 'capa-87654321-onnx', 'metadata.json'))).toBe(true);
    rmSync(exportsDir, { recursive: true });
  });
});

describe('the consistency check finds damage', () => {
  it('names a listed file that is missing, a cut zip and a model folder without its weights', async () => {
    const db = new Database(join(projectDir, 'project.db'));
    const row = db.prepare('SELECT hash, ext FROM images LIMIT 1').get() as { hash: string; ext: string };
    db.close();
    rmSync(new ImageStore(projectDir).imagePath(row.hash, row.ext));
    const zip = join(projectDir, 'exports', 'cut.zip');
    plant(zip, Buffer.alloc(4096, 1).toString());
    truncateSync(zip, 100);
    plant(join(projectDir, 'exports', 'model-tfjs', 'model.json'), JSON.stringify({ weightsManifest: [{ paths: ['group1-shard1of1.bin'] }] }));
    plant(join(projectDir, 'exports', 'model-tfjs', 'metadata.json'), '{}');
    const problems = await projectProblems(projectDir);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^listed but missing: store\//);
    expect(problems.some((p) => /cut\.zip is not whole/.test(p))).toBe(true);
    expect(problems.some((p) => /model-tfjs lacks group1-shard1of1\.bin/.test(p))).toBe(true);
    expect(readdirSync(join(projectDir, 'exports')).sort()).toEqual(['cut.zip', 'model-tfjs']);
  });

  it('counts a committed label that changed as lost, and lets the label in flight at the kill be either value', () => {
    const lines: ChildLine[] = [
      { kind: 'intent', imageIds: [1], classId: 2 },
      { kind: 'committed', imageIds: [1], classId: 2 },
      { kind: 'intent', imageIds: [2, 3], classId: null },
    ];
    const withCommitted = new Map<number, number | null>([[1, 2], [2, null], [3, 5]]);
    expect(lostLabels(lines, withCommitted)).toEqual({ lost: 0, committed: 1, examples: [] });
    expect(lostLabels(lines, new Map([[1, 7]]))).toEqual({ lost: 1, committed: 1, examples: ['image 1 was committed to class 2, found 7'] });
    expect(lostLabels([...lines.slice(0, 2), { kind: 'intent', imageIds: [1], classId: 4 }], new Map([[1, 4]]))).toEqual({ lost: 0, committed: 1, examples: [] });
  });
});
