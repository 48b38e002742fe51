// What "consistent" means for a project folder after a crash, a full disk or two writers: the
// database passes SQLite's own checks, every image row has its stored file and thumbnail, every
// stored file belongs to an image (or the undo trash), no temporary file is left, and every
// export under its final name is whole. Returns the problems found, in plain words; none is good.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import Database from 'better-sqlite3';
import yauzl from 'yauzl';
import { TEMPORARY_NAME } from '../../main/core/files/atomic';
import { projectPaths } from '../../main/core/projects/project-paths';
import { ImageStore } from '../../main/core/dataset/image-store';

/** Every file under `dir`, relative to it ('' when the folder is missing). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1));
}

/** Reads every entry of a zip; rejects when the zip is cut short or damaged. */
export function readWholeZip(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, validateEntrySizes: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      let count = 0;
      zip.on('error', reject);
      zip.on('end', () => resolve(count));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error('no stream'));
          stream.on('error', reject);
          stream.on('end', () => {
            count++;
            zip.readEntry();
          });
          stream.resume();
        });
      });
      zip.readEntry();
    });
  });
}

/** Problems of one finished export (a model folder, a dataset folder, a zip or a .capa archive). */
async function exportProblems(path: string): Promise<string[]> {
  try {
    if (statSync(path).isDirectory()) {
      const files = readdirSync(path);
      if (files.includes('model.json')) {
        const model = JSON.parse(readFileSync(join(path, 'model.json'), 'utf8')) as { weightsManifest?: { paths: string[] }[] };
        for (const group of model.weightsManifest ?? []) {
          for (const weights of group.paths) if (!existsSync(join(path, weights))) return [`export ${path} lacks ${weights}`];
        }
      }
      if (files.includes('metadata.json')) JSON.parse(readFileSync(join(path, 'metadata.json'), 'utf8'));
      if (!files.includes('metadata.json') && !files.includes('dataset.csv'))
        return [`export ${path} has neither metadata.json nor dataset.csv`];
      return [];
    }
    if (/\.(zip|capa)$/.test(path)) await readWholeZip(path);
    return [];
  } catch (error) {
    return [`export ${path} is not whole: ${error instanceof Error ? error.message : String(error)}`];
  }
}

/** Checks the project folder `dir` (its writer must be gone); returns the problems found. */
export async function projectProblems(dir: string): Promise<string[]> {
  const problems: string[] = [];
  const paths = projectPaths(dir);
  const db = new Database(paths.database);
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);
    const foreign = db.pragma('foreign_key_check') as unknown[];
    if (foreign.length > 0) problems.push(`foreign_key_check: ${JSON.stringify(foreign.slice(0, 3))}`);
    const rows = db.prepare('SELECT hash, ext FROM images UNION SELECT hash, ext FROM trash_images').all() as {
      hash: string;
      ext: string;
    }[];
    const store = new ImageStore(dir);
    const wanted = new Set<string>();
    for (const { hash, ext } of rows) {
      for (const file of [store.imagePath(hash, ext), store.thumbnailPath(hash)]) {
        wanted.add(file);
        if (!existsSync(file)) problems.push(`listed but missing: ${file.slice(dir.length + 1)}`);
      }
    }
    for (const folder of [paths.store, paths.thumbnails]) {
      for (const file of filesUnder(folder)) {
        if (!wanted.has(join(folder, file))) problems.push(`stored but not listed: ${relative(dir, join(folder, file))}`);
      }
    }
  } finally {
    db.close();
  }
  // Cleanup on open removes every unfinished write, wherever it was (runs/ and exports/ included).
  for (const path of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (TEMPORARY_NAME.test(basename(path))) problems.push(`temporary file left: ${path}`);
  }
  for (const name of existsSync(paths.exports) ? readdirSync(paths.exports) : []) {
    if (!TEMPORARY_NAME.test(name)) problems.push(...(await exportProblems(join(paths.exports, name))));
  }
  return problems;
}
