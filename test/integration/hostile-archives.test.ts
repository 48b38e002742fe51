// A corpus of hostile .capa archives, generated here from a real project (never committed as
// binaries): traversal in entry names and in the database's hashes, extensions and run ids,
// link entries, a bomb that lies about its size, lying manifests, and long UTF-8 names. Each is
// refused with a sentence or imported safely, against the real browser host; a canary file
// outside the data folder is never read into an answer and stays unchanged; the host answers.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { ZipFile } from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHost, type BrowserHost } from '../../main/server/host';
import { entriesFromPaths, importEntries } from '../../main/core/dataset/import-files';
import { ProjectLibrary } from '../../main/core/projects/library';
import type { Project } from '../../main/core/projects/project';
import { writeShapeDataset } from '../helpers/shapes';
import { httpGet, plantCanary, type Canary } from '../helpers/hostile';
import { removeTempDirs, tempDir } from '../helpers/temp';

interface Extra {
  path: string;
  bytes: Buffer;
  /** Unix mode of the entry (a symlink is 0o120777). */
  mode?: number;
}

interface Craft {
  /** SQL run on the archive's copy of project.db. */
  sql?: string;
  /** The manifest's project name. */
  name?: unknown;
  extra?: Extra[];
  /** Changes the manifest after it is computed (a lying manifest). */
  manifest?: (manifest: {
    format: string;
    version: number;
    name: unknown;
    files: Record<string, { size: number; sha256: string }>;
  }) => void;
  /** Replaces the manifest's bytes. */
  manifestBytes?: Buffer;
  /** Renames entries inside the finished zip bytes (same length), for names yazl would refuse. */
  patch?: [string, string];
}

let source: Project;
let sourceDir: string;
let host: BrowserHost;
let port: number;
let canary: Canary;
let craftDir: string;

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function filesUnder(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(root, join(dir, entry.name)) : [relative(root, join(dir, entry.name)).split('\\').join('/')],
  );
}

let crafted = 0;
/** Writes a .capa made from the source project, changed as `craft` says; returns its path. */
async function craft(options: Craft = {}): Promise<string> {
  const n = crafted++;
  const dbFile = join(craftDir, `db-${n}.sqlite`);
  source.db.prepare('VACUUM INTO ?').run(dbFile);
  if (options.sql) {
    const db = new Database(dbFile);
    db.exec(options.sql);
    db.close();
  }
  const entries: Extra[] = [{ path: 'project.db', bytes: readFileSync(dbFile) }];
  for (const folder of ['store', 'thumbs'])
    for (const file of filesUnder(join(sourceDir, folder)))
      entries.push({ path: `${folder}/${file}`, bytes: readFileSync(join(sourceDir, folder, file)) });
  entries.push(...(options.extra ?? []));
  const manifest = {
    format: 'capa-project',
    version: 1,
    name: 'name' in options ? options.name : 'Crafted',
    files: {} as Record<string, { size: number; sha256: string }>,
  };
  for (const entry of entries) manifest.files[entry.path] = { size: entry.bytes.length, sha256: sha(entry.bytes) };
  options.manifest?.(manifest);
  const zip = new ZipFile();
  zip.addBuffer(options.manifestBytes ?? Buffer.from(JSON.stringify(manifest)), 'manifest.json');
  for (const entry of entries) zip.addBuffer(entry.bytes, entry.path, { compress: true, ...(entry.mode ? { mode: entry.mode } : {}) });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  let bytes = Buffer.concat(chunks);
  if (options.patch) {
    const [from, to] = options.patch;
    for (let i = bytes.indexOf(from); i >= 0; i = bytes.indexOf(from, i + 1)) bytes.write(to, i);
  }
  const file = join(craftDir, `crafted-${n}.capa`);
  writeFileSync(file, bytes);
  return file;
}

/** GET `path` from the host under test. */
const get = (path: string) => httpGet(port, path);

const call = (op: string, request: unknown) =>
  host.service.call(op as never, request as never) as Promise<{ ok: boolean; value?: any; error?: any }>;

/** Imports `file` through the service; checks the safety properties that hold for every case; returns the result. */
async function importChecked(file: string) {
  const before = (await call('listProjects', {})).value.length;
  const result = await call('importProject', { path: file });
  expect(JSON.stringify(result)).not.toContain(canary.content);
  canary.assertUnchanged();
  expect(readdirSync(dataDir()).filter((name) => name.startsWith('.importing-'))).toEqual([]);
  expect((await get('/')).status).toBe(200);
  if (!result.ok) expect((await call('listProjects', {})).value).toHaveLength(before);
  return result;
}

let hostData: string;
const dataDir = () => hostData;

/** From a file in `<data>/<project>/store/<ab>/`, the climb to the canary, as a stored name would write it. */
const climb = () => `${'../'.repeat(24)}${canary.file.slice(1).replace(/\.txt$/, '')}`;

beforeAll(async () => {
  const outside = tempDir('capa-outside-');
  canary = plantCanary(outside);
  craftDir = tempDir('capa-craft-');
  const library = new ProjectLibrary(tempDir('capa-source-'));
  source = library.create('Source');
  sourceDir = source.dir;
  await importEntries(source, await entriesFromPaths([await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 2, size: 16 })]));
  hostData = tempDir('capa-data-');
  host = await startBrowserHost({ dataDir: hostData, log: () => undefined });
  port = Number(new URL(host.url).port);
});
afterAll(async () => {
  await host.close();
  removeTempDirs();
});

/** Refused archives: name, how it is made, and the sentence's key. */
// Entry names climbing out are refused by yauzl itself ("invalid relative path") or by safeEntryName.
const REFUSED: [string, () => Promise<string>, string | RegExp][] = [
  [
    'a hash that climbs out of the store',
    () => craft({ sql: `UPDATE images SET hash = '${climb()}', ext = 'txt' WHERE id = 1` }),
    'errors.hostile.archive.storedName',
  ],
  [
    'an extension that climbs out',
    () => craft({ sql: `UPDATE images SET ext = '/../${climb()}.txt' WHERE id = 1` }),
    'errors.hostile.archive.storedName',
  ],
  [
    "the issue's hash and extension",
    () => craft({ sql: `UPDATE images SET hash = '../../../../../../../../etc/x', ext = '/../passwd' WHERE id = 1` }),
    'errors.hostile.archive.storedName',
  ],
  ['an upper-case hash', () => craft({ sql: `UPDATE images SET hash = upper(hash) WHERE id = 1` }), 'errors.hostile.archive.storedName'],
  [
    'a trashed image climbing out',
    () => craft({ sql: `INSERT INTO trash_images SELECT * FROM images WHERE id = 1; UPDATE trash_images SET hash = '${climb()}'` }),
    'errors.hostile.archive.storedName',
  ],
  [
    'a run id that climbs out',
    () =>
      craft({
        sql: `INSERT INTO runs (id, status, spec, class_names, created_at, name) VALUES ('../../../../x', 'completed', '{}', '[]', '2026-01-01', 'r')`,
      }),
    'errors.hostile.archive.storedName',
  ],
  [
    'an entry name climbing out',
    () => craft({ extra: [{ path: 'store/aa/evil', bytes: Buffer.from('x') }], patch: ['store/aa/evil', 'store/../../e'] }),
    /^data\.archive\.refused\.(outside|unreadable)$/,
  ],
  [
    'an absolute entry name',
    // Same length as the name it replaces: the archive's bytes are patched in place. No real folder of any machine.
    () => craft({ extra: [{ path: 'store/tmp/evil', bytes: Buffer.from('x') }], patch: ['store/tmp/evil', '/capa-evil/aaa'] }),
    /^data\.archive\.refused\.(outside|unreadable)$/,
  ],
  [
    'a symlink entry to the canary',
    () => craft({ extra: [{ path: 'store/aa/link.png', bytes: Buffer.from(canaryPath()), mode: 0o120777 }] }),
    'errors.hostile.archive.link',
  ],
  [
    'a FIFO entry',
    () => craft({ extra: [{ path: 'store/aa/pipe.png', bytes: Buffer.alloc(0), mode: 0o010644 }] }),
    'errors.hostile.archive.link',
  ],
  [
    'a bomb: 64 MiB of zeros listed as 10 bytes',
    () =>
      craft({
        extra: [{ path: 'runs/r/bomb.bin', bytes: Buffer.alloc(64 * 1024 * 1024) }],
        manifest: (m) => (m.files['runs/r/bomb.bin']!.size = 10),
      }),
    'errors.hostile.archive.bomb',
  ],
  [
    'a manifest promising more than the disk holds',
    () => craft({ manifest: (m) => (m.files['project.db']!.size = 2 ** 52) }),
    'errors.hostile.archive.noSpace',
  ],
  ['a manifest name of 10,000 characters', () => craft({ name: 'n'.repeat(10_000) }), 'errors.hostile.archive.name'],
  ['a manifest name of only spaces', () => craft({ name: '     ' }), 'errors.hostile.archive.name'],
  ['a manifest name with a line break', () => craft({ name: 'two\nlines' }), 'errors.hostile.archive.name'],
  ['a manifest name that is not text', () => craft({ name: { toString: 1 } }), 'errors.hostile.archive.name'],
  ['a manifest that is null', () => craft({ manifestBytes: Buffer.from('null') }), 'data.archive.refused.notArchive'],
  [
    'a manifest lacking a file it lists',
    () => craft({ manifest: (m) => (m.files['store/zz/gone.png'] = { size: 1, sha256: '0'.repeat(64) }) }),
    'data.archive.refused.lacks',
  ],
  [
    'a file the manifest does not list',
    () => craft({ extra: [{ path: 'runs/x/extra.bin', bytes: Buffer.from('x') }], manifest: (m) => delete m.files['runs/x/extra.bin'] }),
    'data.archive.refused.unlisted',
  ],
];
const canaryPath = () => canary.file;

describe('hostile .capa archives', () => {
  it.each(REFUSED)('refuses %s with a sentence, reading and writing nothing outside', async (_name, make, key) => {
    const result = await importChecked(await make());
    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({ code: 'invalid-argument', key: typeof key === 'string' ? key : expect.stringMatching(key) });
    expect(result.error.message.length).toBeGreaterThan(40);
  });

  it('imports a project named with 100 emoji or 200 CJK characters, and exports it (project, folder, zip) within 255 bytes a name', async () => {
    for (const name of ['😀'.repeat(100), '猫'.repeat(200)]) {
      const result = await importChecked(await craft({ name }));
      expect(result.ok).toBe(true);
      const projectId = result.value.id as string;
      await call('createClass', { projectId, name: `${'犬'.repeat(199)}` });
      for (const [op, request] of [
        ['exportProject', { projectId }],
        ['exportDataset', { projectId, format: 'folder' }],
        ['exportDataset', { projectId, format: 'zip' }],
      ] as const) {
        const exported = await call(op, request);
        expect(exported, op).toMatchObject({ ok: true });
        for (const file of filesUnder(exported.value.directory))
          for (const part of file.split('/')) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(255);
      }
    }
  });

  it('after all of it the host serves media and nothing of the canary', async () => {
    const projects = (await call('listProjects', {})).value as { id: string }[];
    for (const { id } of projects)
      for (const n of [1, 2, 3]) expect((await get(`/media/image/${id}/${n}`)).body).not.toContain(canary.content);
    canary.assertUnchanged();
  });
});
