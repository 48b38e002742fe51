// Hostile folders and project files, generated here: FIFOs (direct, through a symlink, and a folder
// of symlinks to FIFOs through the browser host), symlink loops, a hard link to a file outside,
// symlinks planted in store/ and exports/, a database row naming a path outside, an empty project
// exported as a folder, and two exports in the same second. A canary outside the data folder is
// never read into an answer or an export, and is never changed or deleted; the host keeps answering.
import { execFileSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHost, type BrowserHost } from '../../main/server/host';
import { exportDataset } from '../../main/core/dataset/export';
import { entriesFromPaths, importEntries } from '../../main/core/dataset/import-files';
import { ProjectLibrary } from '../../main/core/projects/library';
import { writeShapeDataset } from '../helpers/shapes';
import { httpGet, plantCanary, type Canary } from '../helpers/hostile';
import { removeTempDirs, tempDir } from '../helpers/temp';

let host: BrowserHost;
let port: number;
let canary: Canary;
let dataDir: string;

const call = (op: string, request: unknown) =>
  host.service.call(op as never, request as never) as Promise<{ ok: boolean; value?: any; error?: any }>;

/** GET `path` from the host under test. */
const get = (path: string) => httpGet(port, path);

const mkfifo = (path: string) => execFileSync('mkfifo', [path]);

/** Every file's bytes under `dir`, joined, to look for the canary in an export. */
function allBytes(dir: string): string {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'latin1'))
    .join('');
}

async function newProject(name: string, images = 2): Promise<string> {
  const created = await call('createProject', { name });
  const projectId = created.value.id as string;
  if (images > 0) {
    const root = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: images, size: 16, shapes: ['circle'] });
    expect(await call('importPaths', { projectId, paths: [root] })).toMatchObject({ ok: true });
  }
  return projectId;
}

beforeAll(async () => {
  canary = plantCanary(tempDir('capa-outside-'));
  dataDir = tempDir('capa-data-');
  host = await startBrowserHost({ dataDir, log: () => undefined });
  port = Number(new URL(host.url).port);
});
afterAll(async () => {
  await host.close();
  removeTempDirs();
});

describe('hostile folders to import', () => {
  it('refuses a FIFO, a symlink to one, and a folder of symlinks to FIFOs without opening them; the host keeps answering', async () => {
    const projectId = await newProject('Pipes', 0);
    const dir = tempDir('capa-pipes-');
    mkfifo(join(dir, 'pipe.png'));
    symlinkSync(join(dir, 'pipe.png'), join(dir, 'link.png'));
    const folder = join(dir, 'links');
    mkdirSync(folder);
    for (let i = 0; i < 20; i++) {
      mkfifo(join(dir, `p${i}`));
      symlinkSync(join(dir, `p${i}`), join(folder, `f${i}.jpg`));
    }
    const imported = call('importPaths', { projectId, paths: [join(dir, 'pipe.png'), join(dir, 'link.png'), folder] });
    // While it runs (it must not block), the host still serves pages.
    expect((await get('/')).status).toBe(200);
    const result = await imported;
    expect(result.ok).toBe(true);
    expect(result.value.imported).toBe(0);
    expect(result.value.rejected).toHaveLength(22);
    for (const rejected of result.value.rejected)
      expect(rejected).toMatchObject({ reason: 'unreadable', key: 'errors.hostile.notRegular.fifo' });
  });

  it('walks two symlink loops once, naming each "a link loop"', async () => {
    const projectId = await newProject('Loops', 0);
    const root = await writeShapeDataset(join(tempDir('capa-loops-'), 'tree'), { perClass: 1, size: 16, shapes: ['circle', 'square'] });
    symlinkSync('..', join(root, 'circle', 'up'));
    symlinkSync(root, join(root, 'square', 'back'));
    symlinkSync('self', join(root, 'self'));
    const result = await call('importPaths', { projectId, paths: [root] });
    expect(result.ok).toBe(true);
    expect(result.value.imported).toBe(2);
    const loops = result.value.rejected.filter((r: { key?: string }) => r.key === 'errors.hostile.linkLoop');
    expect(loops.map((r: { file: string }) => r.file).sort()).toEqual(['tree/circle/up', 'tree/self', 'tree/square/back']);
    expect(result.value.rejected).toHaveLength(3);
    expect(result.value.rejected[0].message).toMatch(/link loop/);
  });

  it('reads a hard link to a file outside only as a picture: the canary is refused and never echoed', async () => {
    const projectId = await newProject('Hard links', 0);
    const dir = tempDir('capa-hard-');
    linkSync(canary.file, join(dir, 'canary.png'));
    const result = await call('importPaths', { projectId, paths: [dir] });
    expect(result.value.rejected).toHaveLength(1);
    expect(JSON.stringify(result)).not.toContain(canary.content);
    canary.assertUnchanged();
  });
});

describe('hostile files inside a project folder', () => {
  it('never serves or exports a stored picture replaced by a symlink out of the data folder', async () => {
    const projectId = await newProject('Planted');
    const store = join(dataDir, projectId, 'store');
    const [shard] = readdirSync(store);
    const [file] = readdirSync(join(store, shard!));
    rmSync(join(store, shard!, file!));
    symlinkSync(canary.file, join(store, shard!, file!));
    const served = await Promise.all([1, 2].map((id) => get(`/media/image/${projectId}/${id}`)));
    expect(served.map((r) => r.status).sort()).toEqual([200, 404]);
    for (const reply of served) expect(reply.body).not.toContain(canary.content);
    for (const format of ['folder', 'zip'] as const) {
      const result = await call('exportDataset', { projectId, format });
      expect(result).toMatchObject({ ok: false, error: { code: 'not-found', key: 'errors.hostile.storedOutside' } });
    }
    const exports = join(dataDir, projectId, 'exports');
    expect(allBytes(exports)).not.toContain(canary.content);
    canary.assertUnchanged();
  });

  it('never downloads a symlink planted in exports/', async () => {
    const projectId = await newProject('Downloads', 0);
    const exports = join(dataDir, projectId, 'exports');
    mkdirSync(exports, { recursive: true });
    symlinkSync(canary.file, join(exports, 'leak.zip'));
    mkdirSync(join(exports, 'folder.zip'));
    for (const name of ['leak.zip', 'folder.zip']) {
      const reply = await get(`/download/${projectId}/${name}`);
      expect(reply.status).toBe(404);
      expect(reply.body).not.toContain(canary.content);
    }
  });

  it('never reads, serves or deletes a file outside through a database row naming it', async () => {
    const projectId = await newProject('Rows');
    const library = new ProjectLibrary(dataDir);
    const project = library.get(projectId);
    const climb = `${'../'.repeat(24)}${canary.file.slice(1).replace(/\.txt$/, '')}`;
    project.db.prepare("UPDATE images SET hash = ?, ext = 'txt' WHERE id = 1").run(climb);
    library.close();
    const served = await get(`/media/image/${projectId}/1`);
    expect(served.status).toBe(404);
    expect(served.body).not.toContain(canary.content);
    expect(await call('exportDataset', { projectId, format: 'folder' })).toMatchObject({
      ok: false,
      error: { code: 'database-corrupt', key: 'errors.hostile.storedName' },
    });
    // Delete it, then delete again so the first goes out of the undo trash and its files are removed.
    expect(await call('deleteImages', { projectId, imageIds: [1] })).toMatchObject({ ok: true });
    expect(await call('deleteImages', { projectId, imageIds: [2] })).toMatchObject({ ok: true });
    expect(existsSync(canary.file)).toBe(true);
    canary.assertUnchanged();
  });
});

describe('exports', () => {
  it('exports an empty project as a folder holding only dataset.csv', async () => {
    const projectId = await newProject('Empty', 0);
    const result = await call('exportDataset', { projectId, format: 'folder' });
    expect(result).toMatchObject({ ok: true });
    expect(readdirSync(join(result.value.directory, result.value.files[0]))).toEqual(['dataset.csv']);
  });

  it('never lets two exports in the same second overwrite each other', async () => {
    const library = new ProjectLibrary(tempDir('capa-twice-'));
    const project = library.create('Twice');
    await importEntries(
      project,
      await entriesFromPaths([await writeShapeDataset(join(tempDir(), 's'), { perClass: 1, size: 16, shapes: ['circle'] })]),
    );
    const results = await Promise.all([
      exportDataset(project, 'zip'),
      exportDataset(project, 'zip'),
      exportDataset(project, 'folder'),
      exportDataset(project, 'folder'),
    ]);
    const names = results.map((r) => r.files[0]!);
    expect(new Set(names).size).toBe(4);
    const exports = join(project.dir, 'exports');
    expect(readdirSync(exports).sort()).toEqual([...names].sort());
    library.close();
  });

  it('cuts names over 255 bytes: a class of 100 emoji and reserved Windows names export', async () => {
    const library = new ProjectLibrary(tempDir('capa-long-'));
    const project = library.create('😀'.repeat(100));
    const root = join(tempDir(), 'CON');
    await writeShapeDataset(root, { perClass: 1, size: 16, shapes: ['circle'] });
    await importEntries(project, await entriesFromPaths([root]));
    project.classes.rename(project.classes.list()[0]!.id, '🐈'.repeat(100));
    for (const format of ['folder', 'zip'] as const) {
      const result = await exportDataset(project, format);
      const top = join(result.directory, result.files[0]!);
      expect(Buffer.byteLength(result.files[0]!)).toBeLessThanOrEqual(255);
      if (format === 'folder')
        for (const entry of readdirSync(top, { recursive: true }) as string[])
          for (const part of relative(top, join(top, entry)).split('/')) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(255);
    }
    library.close();
  });
});
