// A whole project as one .capa file: a zip holding manifest.json (every file with its size and
// SHA-256), a consistent snapshot of project.db, the image store, the thumbnails and the runs.
// Importing checks every entry's name and hash before anything becomes a project, so a damaged
// or hostile archive is refused with a reason and nothing existing is touched.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Database from 'better-sqlite3';
import yauzl from 'yauzl';
import type { ExportResult, MessageParams, ProjectSummary } from '../../../preload/contract';
import { stampedName, writeZip, type ZipSource } from '../dataset/export';
import { CapaError } from '../../../common/messages/errors';
import type { ProjectLibrary } from './library';
import { said } from '../../../common/messages/said';
import type { Project } from './project';
import { CONTENT_FOLDERS, DATABASE_FILE } from './project-paths';
import { ProjectRecord } from './project-repository';
import { temporaryName, TEMPORARY_NAME } from '../files/atomic';

export const ARCHIVE_FORMAT = 'capa-project';
export const ARCHIVE_VERSION = 1;
/** Folders of a project that travel in its archive (exports stay behind: they can be made again). */
const MANIFEST = 'manifest.json';
const DATABASE = DATABASE_FILE;

interface Manifest {
  format: string;
  version: number;
  name: string;
  /** Relative path (with "/") to size and SHA-256 of every file but the manifest. */
  files: Record<string, { size: number; sha256: string }>;
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function listFiles(root: string, dir: string, into: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await listFiles(root, path, into);
    else if (entry.isFile() && !TEMPORARY_NAME.test(entry.name)) into.push(relative(root, path).split(sep).join('/'));
  }
}

/** Writes `<project>/exports/<name>-<time>.capa`. */
export async function exportProjectArchive(project: Project): Promise<ExportResult> {
  const directory = project.paths.exports;
  await mkdir(directory, { recursive: true });
  const fileName = `${stampedName(project.summary().name)}.capa`;
  const snapshot = temporaryName(join(directory, `${fileName}.db`));
  try {
    // VACUUM INTO writes a consistent copy even while the app keeps using the database.
    project.record.snapshotInto(snapshot);
    const files: string[] = [];
    for (const folder of CONTENT_FOLDERS) await listFiles(project.dir, join(project.dir, folder), files);
    const manifest: Manifest = { format: ARCHIVE_FORMAT, version: ARCHIVE_VERSION, name: project.summary().name, files: {} };
    manifest.files[DATABASE] = { size: (await stat(snapshot)).size, sha256: await sha256File(snapshot) };
    const entries: ZipSource[] = [{ path: DATABASE, source: snapshot, compress: true }];
    for (const file of files) {
      const source = join(project.dir, ...file.split('/'));
      manifest.files[file] = { size: (await stat(source)).size, sha256: await sha256File(source) };
      entries.push({ path: file, source, compress: !file.startsWith('store/') && !file.startsWith('thumbs/') });
    }
    entries.unshift({ path: MANIFEST, bytes: Buffer.from(JSON.stringify(manifest, null, 1)), compress: true });
    await writeZip(join(directory, fileName), entries);
  } finally {
    await rm(snapshot, { force: true });
  }
  return { directory, files: [fileName] };
}

/** Why an archive is refused: each a sentence of the core catalogue (data.archive.refused.*). */
type Refusal = 'outside' | 'twice' | 'unreadable' | 'noManifest' | 'manifestDamaged' | 'notArchive' | 'newer' | 'lacks' | 'checksum' | 'unlisted' | 'databaseDamaged';

const refuse = (path: string, why: Refusal, params: MessageParams = {}) =>
  new CapaError('invalid-argument', said(`data.archive.refused.${why}`, { path, ...params }));

/** Whether an entry name stays inside the target folder and belongs in a project archive. */
export function safeEntryName(name: string): boolean {
  if (name.includes('\\') || name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return false;
  const normal = posix.normalize(name);
  if (normal !== name || normal.split('/').includes('..')) return false;
  return name === MANIFEST || name === DATABASE || CONTENT_FOLDERS.some((f) => name.startsWith(`${f}/`));
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, validateEntrySizes: true, decodeStrings: true }, (error, zip) => (error ? reject(error) : resolve(zip))),
  );
}

/** Extracts every entry into `target`, hashing as it writes; returns the hashes and sizes seen. */
async function extract(path: string, target: string): Promise<Map<string, { size: number; sha256: string }>> {
  const zip = await openZip(path);
  const seen = new Map<string, { size: number; sha256: string }>();
  await new Promise<void>((resolve, reject) => {
    const fail = (error: unknown) => {
      zip.close();
      reject(error);
    };
    zip.on('error', fail);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName.endsWith('/')) return zip.readEntry();
      if (!safeEntryName(entry.fileName)) return fail(refuse(path, 'outside', { entry: entry.fileName }));
      if (seen.has(entry.fileName)) return fail(refuse(path, 'twice', { entry: entry.fileName }));
      zip.openReadStream(entry, (error, stream) => {
        if (error) return fail(error);
        const hash = createHash('sha256');
        let size = 0;
        const tap = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            hash.update(chunk);
            size += chunk.length;
            done(null, chunk);
          },
        });
        const file = join(target, ...entry.fileName.split('/'));
        mkdir(join(file, '..'), { recursive: true })
          .then(() => pipeline(stream, tap, createWriteStream(file)))
          .then(() => {
            seen.set(entry.fileName, { size, sha256: hash.digest('hex') });
            zip.readEntry();
          }, fail);
      });
    });
    zip.readEntry();
  });
  return seen;
}

/** Creates a new project (new id) from a .capa archive; refuses a damaged or unsafe one. */
export async function importProjectArchive(library: ProjectLibrary, path: string): Promise<ProjectSummary> {
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) throw new CapaError('not-found', said('data.archive.noFile', { path }));
  const staging = join(library.dataDir, `.importing-${randomUUID()}`);
  try {
    let seen: Map<string, { size: number; sha256: string }>;
    try {
      seen = await extract(path, staging);
    } catch (error) {
      if (error instanceof CapaError) throw error;
      throw refuse(path, 'unreadable', { detail: error instanceof Error ? error.message : String(error) });
    }
    const manifestFile = seen.get(MANIFEST) ? join(staging, MANIFEST) : null;
    if (!manifestFile) throw refuse(path, 'noManifest');
    let manifest: Manifest;
    try {
      manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as Manifest;
    } catch {
      throw refuse(path, 'manifestDamaged');
    }
    if (manifest.format !== ARCHIVE_FORMAT || typeof manifest.files !== 'object') throw refuse(path, 'notArchive');
    if (manifest.version > ARCHIVE_VERSION) throw refuse(path, 'newer', { version: manifest.version });
    for (const [file, expected] of Object.entries(manifest.files)) {
      const got = seen.get(file);
      if (!got) throw refuse(path, 'lacks', { file });
      if (got.size !== expected.size || got.sha256 !== expected.sha256) throw refuse(path, 'checksum', { file });
    }
    for (const file of seen.keys()) if (file !== MANIFEST && !manifest.files[file]) throw refuse(path, 'unlisted', { file });
    await rm(join(staging, MANIFEST));
    const id = randomUUID();
    // The copy gets its own id, so importing next to the original never mixes the two.
    const db = new Database(join(staging, DATABASE));
    try {
      const names = new Set(library.list().map((p) => p.name));
      let name = manifest.name;
      while (names.has(name)) name = `${name} (imported)`;
      new ProjectRecord(db).setIdentity(id, name);
    } catch {
      throw refuse(path, 'databaseDamaged');
    } finally {
      db.close();
    }
    await rename(staging, join(library.dataDir, id));
    try {
      return library.get(id).summary();
    } catch (error) {
      await library.delete(id).catch(() => rm(join(library.dataDir, id), { recursive: true, force: true }));
      throw error;
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

