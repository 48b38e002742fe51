// The cleanup step run when a project opens (orphan store files and unfinished temporary files
// go, files the undo trash needs stay, a leftover younger than the grace period stays because
// another process may be writing it), and the checks the crash harness relies on: they must
// find damage when there is some, or the harness could not fail.
import { mkdirSync, rmSync, truncateSync, utimesSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reclaimLeftovers } from '../../main/core/projects/cleanup';
import { TEMPORARY_NAME } from '../../main/core/files/atomic';
import { projectPaths } from '../../main/core/projects/project-paths';
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
      plant(projectPaths(projectDir).image(fake, 'png'), 'x', HOUR_AGO),
      plant(projectPaths(projectDir).thumbnail(fake), 'x', HOUR_AGO),
      plant(join(projectPaths(projectDir).store, 'cd', `${'cd'.repeat(32)}.jpg.0a1b2c3d.partial`), 'x', HOUR_AGO),
      plant(join(projectPaths(projectDir).exports, 'Leftovers-20260101-000000.zip.0a1b2c3d.partial'), 'x', HOUR_AGO),
      plant(join(projectPaths(projectDir).exports, 'model-tfjs.0a1b2c3d.partial', 'model.json'), '{', HOUR_AGO),
      plant(join(projectPaths(projectDir).runs, 'run-x', 'checkpoint.bin.0a1b2c3d.partial'), 'x', HOUR_AGO),
      plant(join(projectPaths(projectDir).pixelCache, '8x8x3-squash-v1', 'ab', `${fake}.px.0a1b2c3d.partial`), 'x', HOUR_AGO),
    ];
    utimesSync(join(projectPaths(projectDir).exports, 'model-tfjs.0a1b2c3d.partial'), HOUR_AGO, HOUR_AGO);
    const young = plant(projectPaths(projectDir).image('ef'.repeat(32), 'png'));

    const reopened = createCapaService({ dataDir, host: 'browser' });
    await callOrThrow(reopened, 'getDataset', { projectId });
    for (const file of old) expect(existsSync(file), file).toBe(false);
    expect(existsSync(join(projectPaths(projectDir).exports, 'model-tfjs.0a1b2c3d.partial'))).toBe(false);
    expect(existsSync(young)).toBe(true);
    // The trashed image's file stayed, so Undo brings the picture back whole.
    await callOrThrow(reopened, 'undo', { projectId });
    expect((await allImages(reopened, projectId)).map((image) => image.id)).toContain(trashed!.id);
    await reopened.close();

    // The check sees the young orphan; once the writer is known dead, no grace is needed.
    expect(await projectProblems(projectDir)).toEqual([`stored but not listed: store/ef/${'ef'.repeat(32)}.png`]);
    const db = new Database(projectPaths(projectDir).database);
    expect(reclaimLeftovers(projectDir, db, { graceMs: 0 })).toEqual({ orphans: 1, partials: 0 });
    db.close();
    expect(await projectProblems(projectDir)).toEqual([]);
  });
});

describe('a trainer killed while writing weights', () => {
  it('leaves a temporary file in runs/ that the next open removes', async () => {
    const weights = join(projectPaths(projectDir).weights('run-killed', 'best'), 'weights.bin');
    const writer = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'reliability', 'killed-writer.ts'), weights], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [temporary] = await Promise.race([
      once(writer.stdout, 'data') as Promise<Buffer[]>,
      once(writer, 'exit').then(() => [Buffer.from('')]),
    ]);
    writer.kill('SIGKILL');
    await once(writer, 'exit');
    const left = temporary!.toString('utf8').trim();
    expect(left).toMatch(TEMPORARY_NAME);
    expect(existsSync(left)).toBe(true);
    expect(existsSync(weights)).toBe(false);
    expect(await projectProblems(projectDir)).toEqual([`temporary file left: ${relative(projectDir, left)}`]);
    // Past the grace period (no writer can still be at it), the next open takes it away.
    utimesSync(left, HOUR_AGO, HOUR_AGO);
    const service = createCapaService({ dataDir, host: 'browser' });
    await callOrThrow(service, 'getDataset', { projectId });
    await service.close();
    expect(existsSync(left)).toBe(false);
    expect(await projectProblems(projectDir)).toEqual([]);
    rmSync(projectPaths(projectDir).runs, { recursive: true });
  });
});

describe('an export replaced when the app crashed', () => {
  it('comes back under its name when the new one never arrived, and goes when it did', () => {
    const exportsDir = projectPaths(projectDir).exports;
    const restored = plant(join(exportsDir, 'capa-12345678-tfjs.0a1b2c3d.aside.partial', 'metadata.json'), '{}', HOUR_AGO);
    plant(join(exportsDir, 'capa-87654321-onnx', 'metadata.json'), '{"new":true}');
    const stale = plant(join(exportsDir, 'capa-87654321-onnx.11111111.aside.partial', 'metadata.json'), '{}', HOUR_AGO);
    utimesSync(join(stale, '..'), HOUR_AGO, HOUR_AGO);
    const db = new Database(projectPaths(projectDir).database);
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
    const db = new Database(projectPaths(projectDir).database);
    const row = db.prepare('SELECT hash, ext FROM images LIMIT 1').get() as { hash: string; ext: string };
    db.close();
    rmSync(new ImageStore(projectDir).imagePath(row.hash, row.ext));
    const zip = join(projectPaths(projectDir).exports, 'cut.zip');
    plant(zip, Buffer.alloc(4096, 1).toString());
    truncateSync(zip, 100);
    plant(
      join(projectPaths(projectDir).exports, 'model-tfjs', 'model.json'),
      JSON.stringify({ weightsManifest: [{ paths: ['group1-shard1of1.bin'] }] }),
    );
    plant(join(projectPaths(projectDir).exports, 'model-tfjs', 'metadata.json'), '{}');
    const problems = await projectProblems(projectDir);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^listed but missing: store\//);
    expect(problems.some((p) => /cut\.zip is not whole/.test(p))).toBe(true);
    expect(problems.some((p) => /model-tfjs lacks group1-shard1of1\.bin/.test(p))).toBe(true);
    expect(readdirSync(projectPaths(projectDir).exports).sort()).toEqual(['cut.zip', 'model-tfjs']);
  });

  it('counts a committed label that changed as lost, and lets the label in flight at the kill be either value', () => {
    const lines: ChildLine[] = [
      { kind: 'intent', imageIds: [1], classId: 2 },
      { kind: 'committed', imageIds: [1], classId: 2 },
      { kind: 'intent', imageIds: [2, 3], classId: null },
    ];
    const withCommitted = new Map<number, number | null>([
      [1, 2],
      [2, null],
      [3, 5],
    ]);
    expect(lostLabels(lines, withCommitted)).toEqual({ lost: 0, committed: 1, examples: [] });
    expect(lostLabels(lines, new Map([[1, 7]]))).toEqual({
      lost: 1,
      committed: 1,
      examples: ['image 1 was committed to class 2, found 7'],
    });
    expect(lostLabels([...lines.slice(0, 2), { kind: 'intent', imageIds: [1], classId: 4 }], new Map([[1, 4]]))).toEqual({
      lost: 0,
      committed: 1,
      examples: [],
    });
  });
});
