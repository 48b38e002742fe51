// A whole project as one .capa file: a zip holding manifest.json (every file with its size and
// SHA-256), a consistent snapshot of project.db, the image store, the thumbnails and the runs.
// Importing checks every entry's name and hash before anything becomes a project, so a damaged
// or hostile archive is refused with a reason and nothing existing is touched.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, statfs } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Database from 'better-sqlite3';
import yauzl from 'yauzl';
import type { ExportResult, MessageParams, ProjectSummary } from '../../../preload/contract';
import { claimExportName, writeZip, type ZipSource } from '../dataset/export';
import { CapaError } from '../../../common/messages/errors';
import { said } from '../../../common/messages/said';
import type { Project } from './project';
import { isRunId, isStoreExtension, isStoreHash } from '../files/contained';
import { projectName, type ProjectLibrary } from './library';
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
  const claim = claimExportName(directory, project.summary().name, '.capa');
  const fileName = claim.name;
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
    claim.release();
    await rm(snapshot, { force: true });
  }
  return { directory, files: [fileName] };
}

/** Why an archive is refused: each a sentence of the core catalogue (data.archive.refused.*). */
type Refusal =
  | 'outside'
  | 'twice'
  | 'unreadable'
  | 'noManifest'
  | 'manifestDamaged'
  | 'notArchive'
  | 'newer'
  | 'lacks'
  | 'checksum'
  | 'unlisted'
  | 'databaseDamaged';

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
    yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, decodeStrings: true }, (error, zip) =>
      error ? reject(error) : resolve(zip),
    ),
  );
}

/** Largest manifest.json read into memory (a real one lists every file in a few hundred bytes each). */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
/** Space left free on the disk after an import, so a big archive never fills the disk to its last byte. */
const SPARE_BYTES = 64 * 1024 * 1024;

/** A refusal of the hostile-input group (errors.hostile.archive.*). */
const hostile = (path: string, why: 'link' | 'bomb' | 'noSpace' | 'name' | 'storedName', params: MessageParams = {}) =>
  new CapaError('invalid-argument', said(`errors.hostile.archive.${why}`, { path, ...params }));

/** Every entry of the zip's central directory (nothing is read or written yet), names checked. */
function listEntries(path: string, zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  const entries: yauzl.Entry[] = [];
  const names = new Set<string>();
  return new Promise((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => resolve(entries));
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName.endsWith('/')) return zip.readEntry();
      if (!safeEntryName(entry.fileName)) return reject(refuse(path, 'outside', { entry: entry.fileName }));
      if (names.has(entry.fileName)) return reject(refuse(path, 'twice', { entry: entry.fileName }));
      // Unix file types travel in the upper half of the external attributes: only regular files belong in a project.
      const type = (entry.externalFileAttributes >>> 16) & 0o170000;
      if (type !== 0 && type !== 0o100000) return reject(hostile(path, 'link', { entry: entry.fileName }));
      names.add(entry.fileName);
      entries.push(entry);
      zip.readEntry();
    });
    zip.readEntry();
  });
}

/**
 * Streams one entry into `file` (or into memory when `file` is null), hashing as it goes; stops at
 * the first byte past `limit`, so an entry that lies about its size never fills the disk.
 */
function streamEntry(
  path: string,
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  limit: number,
  file: string | null,
): Promise<{ size: number; sha256: string; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error) return reject(error);
      const hash = createHash('sha256');
      const chunks: Buffer[] = [];
      let size = 0;
      const tap = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          if (size > limit) return done(hostile(path, 'bomb', { entry: entry.fileName, size: limit }));
          hash.update(chunk);
          if (file === null) chunks.push(chunk);
          done(null, file === null ? undefined : chunk);
        },
      });
      const written =
        file === null
          ? pipeline(stream, tap, async function* (source: AsyncIterable<unknown>) {
              for await (const _ of source) void _;
            })
          : mkdir(join(file, '..'), { recursive: true }).then(() => pipeline(stream, tap, createWriteStream(file, { flags: 'wx' })));
      written.then(() => resolve({ size, sha256: hash.digest('hex'), bytes: Buffer.concat(chunks) }), reject);
    });
  });
}

/** The free space of the disk holding `dir`, in bytes (Infinity where it cannot be told). */
async function freeBytes(dir: string): Promise<number> {
  try {
    const info = await statfs(dir);
    return Number(info.bavail) * Number(info.bsize);
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** Every value of the archive's database that becomes part of a path, checked before the project opens. */
function checkStoredNames(path: string, db: Database.Database): void {
  const files = db.prepare('SELECT hash, ext FROM images UNION ALL SELECT hash, ext FROM trash_images').all() as {
    hash: unknown;
    ext: unknown;
  }[];
  for (const { hash, ext } of files) {
    if (!isStoreHash(hash) || !isStoreExtension(ext))
      throw hostile(path, 'storedName', { value: `${String(hash).slice(0, 80)}.${String(ext).slice(0, 20)}` });
  }
  for (const id of db.prepare('SELECT id FROM runs').pluck().all()) {
    if (!isRunId(id)) throw hostile(path, 'storedName', { value: String(id).slice(0, 80) });
  }
}

/** Extracts the archive into `target`: manifest first, then only the files it lists, each within its listed size and hash. */
async function extract(path: string, target: string, freeSpace: number): Promise<Manifest> {
  const zip = await openZip(path);
  try {
    const entries = await listEntries(path, zip);
    const declared = entries.reduce((sum, entry) => sum + entry.uncompressedSize, 0);
    if (declared > freeSpace - SPARE_BYTES) throw hostile(path, 'noSpace', { size: declared });
    const manifestEntry = entries.find((entry) => entry.fileName === MANIFEST);
    if (!manifestEntry) throw refuse(path, 'noManifest');
    const read = await streamEntry(path, zip, manifestEntry, MAX_MANIFEST_BYTES, null);
    let manifest: Manifest;
    try {
      manifest = JSON.parse(read.bytes.toString('utf8')) as Manifest;
    } catch {
      throw refuse(path, 'manifestDamaged');
    }
    if (
      typeof manifest !== 'object' ||
      manifest === null ||
      manifest.format !== ARCHIVE_FORMAT ||
      typeof manifest.files !== 'object' ||
      manifest.files === null
    )
      throw refuse(path, 'notArchive');
    if (manifest.version > ARCHIVE_VERSION) throw refuse(path, 'newer', { version: manifest.version });
    const present = new Set(entries.map((entry) => entry.fileName));
    for (const file of Object.keys(manifest.files)) if (!present.has(file)) throw refuse(path, 'lacks', { file });
    for (const entry of entries)
      if (entry.fileName !== MANIFEST && !Object.hasOwn(manifest.files, entry.fileName))
        throw refuse(path, 'unlisted', { file: entry.fileName });
    // Nothing is written past what the manifest promised: the total was checked against free space above.
    let total = 0;
    for (const entry of entries) {
      if (entry.fileName === MANIFEST) continue;
      const expected = manifest.files[entry.fileName]!;
      const size = Number(expected?.size);
      if (!Number.isSafeInteger(size) || size < 0) throw refuse(path, 'checksum', { file: entry.fileName });
      total += size;
      if (total > freeSpace - SPARE_BYTES) throw hostile(path, 'noSpace', { size: total });
      const got = await streamEntry(path, zip, entry, size, join(target, ...entry.fileName.split('/')));
      if (got.size !== size || got.sha256 !== expected.sha256) throw refuse(path, 'checksum', { file: entry.fileName });
    }
    return manifest;
  } finally {
    zip.close();
  }
}

/** Creates a new project (new id) from a .capa archive; refuses a damaged or unsafe one. */
export async function importProjectArchive(library: ProjectLibrary, path: string): Promise<ProjectSummary> {
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) throw new CapaError('not-found', said('data.archive.noFile', { path }));
  const staging = join(library.dataDir, `.importing-${randomUUID()}`);
  try {
    let manifest: Manifest;
    try {
      await mkdir(staging);
      manifest = await extract(path, staging, await freeBytes(library.dataDir));
    } catch (error) {
      if (error instanceof CapaError) throw error;
      throw refuse(path, 'unreadable', { detail: error instanceof Error ? error.message : String(error) });
    }
    // The name obeys the same rule as one typed into Capa.
    let name: string;
    try {
      name = projectName(manifest.name);
    } catch {
      throw hostile(path, 'name');
    }
    const id = randomUUID();
    // The copy gets its own id, so importing next to the original never mixes the two.
    let db: Database.Database;
    try {
      db = new Database(join(staging, DATABASE), { fileMustExist: true });
    } catch {
      throw refuse(path, 'databaseDamaged');
    }
    try {
      try {
        checkStoredNames(path, db);
      } catch (error) {
        if (error instanceof CapaError) throw error;
        throw refuse(path, 'databaseDamaged');
      }
      const names = new Set(library.list().map((p) => p.name));
      while (names.has(name)) name = `${name} (imported)`;
      try {
        new ProjectRecord(db).setIdentity(id, name);
      } catch {
        throw refuse(path, 'databaseDamaged');
      }
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
