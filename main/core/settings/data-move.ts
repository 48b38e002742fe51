// Moving the data folder: copy every project to the new folder, verify every file byte for byte,
// and only then report success. The old folder is never deleted here: the person removes it once
// they have seen their projects in the new place.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { cp, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { CapaError } from '../../../common/messages/errors';
import { said } from '../../../common/messages/said';
import { projectPaths } from '../projects/project-paths';

/** A project folder is named by its UUID and holds project.db. */
const PROJECT_DIR = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Entries an operating system drops into any folder; they do not make a folder "not empty". */
const SYSTEM_LITTER = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini']);

/** What a verified copy contained. */
export interface CopyTotals {
  /** Project folders copied. */
  projects: number;
  /** Files copied and verified. */
  files: number;
  /** Bytes copied. */
  bytes: number;
}

const isProjectDir = (folder: string, name: string): boolean =>
  PROJECT_DIR.test(name) && existsSync(projectPaths(join(folder, name)).database);

/** The project folders in a data folder. */
export async function projectDirs(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isDirectory() && isProjectDir(folder, entry.name)).map((entry) => entry.name);
}

const inside = (parent: string, child: string): boolean => {
  const path = relative(parent, child);
  return path === '' || (!path.startsWith('..') && !isAbsolute(path));
};

/** Checks the destination and returns it resolved; throws a CapaError a person can act on. */
export async function checkDestination(from: string, rawTo: string, moving: readonly string[]): Promise<string> {
  if (!isAbsolute(rawTo) || rawTo.includes('\0')) {
    throw new CapaError('invalid-argument', said('errors.dataMove.notFullPath', { path: rawTo.slice(0, 200) }));
  }
  const to = resolve(rawTo);
  const source = resolve(from);
  if (inside(source, to) || inside(to, source)) {
    throw new CapaError('invalid-argument', said('errors.dataMove.overlaps', { folder: source }));
  }
  const info = await stat(to).catch(() => null);
  if (info === null) return to;
  if (!info.isDirectory()) throw new CapaError('conflict', said('errors.dataMove.isFile', { folder: to }));
  const entries = (await readdir(to)).filter((name) => !SYSTEM_LITTER.has(name));
  const foreign = entries.filter((name) => !isProjectDir(to, name));
  if (foreign.length > 0) {
    throw new CapaError('conflict', said('errors.dataMove.notEmpty', { folder: to, entry: foreign[0]! }));
  }
  const clash = moving.find((name) => entries.includes(name));
  if (clash !== undefined) throw new CapaError('conflict', said('errors.dataMove.holdsCopy', { folder: to, project: clash }));
  return to;
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every file under a folder, as paths relative to it. */
async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => relative(folder, join(entry.parentPath, entry.name)));
}

/** Copies the named project folders from `from` to `to` and verifies each file; undoes its own copies on failure. */
export async function copyProjects(from: string, to: string, names: readonly string[]): Promise<CopyTotals> {
  await mkdir(to, { recursive: true });
  const made: string[] = [];
  const totals: CopyTotals = { projects: 0, files: 0, bytes: 0 };
  try {
    for (const name of names) {
      const source = join(from, name);
      const target = join(to, name);
      made.push(target);
      await cp(source, target, { recursive: true, errorOnExist: true, force: false, preserveTimestamps: true });
      for (const file of await filesUnder(source)) {
        const [a, b] = [join(source, file), join(target, file)];
        if (!existsSync(b) || statSync(b).size !== statSync(a).size || (await sha256(a)) !== (await sha256(b))) {
          throw new CapaError('io', said('errors.dataMove.copyDiffers', { file, folder: target }));
        }
        totals.files += 1;
        totals.bytes += statSync(a).size;
      }
      totals.projects += 1;
    }
  } catch (error) {
    // Only what this move created is removed; the source is never touched.
    for (const target of made) await rm(target, { recursive: true, force: true });
    throw error;
  }
  return totals;
}
