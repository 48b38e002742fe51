// What "consistent" means for a project folder after a crash, a full disk or two writers: the
// database passes SQLite's own checks, every image row has its stored file and thumbnail, every
// stored file belongs to an image (or the undo trash), no temporary file is left, and every
// export under its final name is whole. Returns the problems found, in plain words; none is good.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import yauzl from 'yauzl';
import { PARTIAL_NAME } from '../../main/core/projects/cleanup';
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
      if (!files.includes('metadata.json') && !files.includes('dataset.csv')) return [`export ${path} has neither metadata.json nor dataset.csv`];
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
  const db = new Database(join(dir, 'project.db'));
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);
    const foreign = db.pragma('foreign_key_check') as unknown[];
    if (foreign.length > 0) problems.push(`foreign_key_check: ${JSON.stringify(foreign.slice(0, 3))}`);
    const rows = db.prepare('SELECT hash, ext FROM images UNION SELECT hash, ext FROM trash_images').all() as { hash: string; ext: string }[];
    const store = new ImageStore(dir);
    const wanted = new Set<string>();
    for (const { hash, ext } of rows) {
      for (const file of [store.imagePath(hash, ext), store.thumbnailPath(hash)]) {
        wanted.add(file);
        if (!existsSync(file)) problems.push(`listed but missing: ${file.slice(dir.length + 1)}`);
      }
    }
    for (const folder of ['store', 'thumbs']) {
      for (const file of filesUnder(join(dir, folder))) {
        if (!wanted.has(join(dir, folder, file))) problems.push(`stored but not listed: ${folder}/${file}`);
      }
    }
  } finally {
    db.close();
  }
  const exportsDir = join(dir, 'exports');
  for (const name of existsSync(exportsDir) ? readdirSync(exportsDir) : []) {
    if (PARTIAL_NAME.test(name)) problems.push(`temporary export left: exports/${name}`);
    else problems.push(...(await exportProblems(join(exportsDir, name))));
  }
  for (const name of readdirSync(dir)) if (PARTIAL_NAME.test(name)) problems.push(`temporary file left: ${name}`);
  return problems;
}
