// The one gate for every file the core or a host opens from a project or the data folder: the
// real path (symlinks resolved) must lie inside the real root, and the thing found there must be
// a regular file. A symlink in store/ or exports/ pointing at ~/.ssh, a FIFO that would block the
// reader forever, or a device are all refused here, before anything is opened for reading.
// It also names the values that may become part of a stored file's path: a database row (our own,
// or one inside an imported archive) is checked here before it is joined to a folder.
import { constants, realpathSync, statSync } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { CapaError } from '../../../common/messages/errors';
import { said } from '../../../common/messages/said';

/** A stored file is named by the SHA-256 of its bytes: 64 lowercase hex digits. */
const STORE_HASH = /^[0-9a-f]{64}$/;
/** The extensions the image store writes (see import-files.ts ACCEPTED_FORMATS). */
export const STORE_EXTENSIONS: ReadonlySet<string> = new Set(['jpg', 'png', 'webp', 'gif', 'tif']);
/** A run id as the run repository makes them: letters, digits, '-' and '_', never a path. */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

export const isStoreHash = (hash: unknown): hash is string => typeof hash === 'string' && STORE_HASH.test(hash);
export const isStoreExtension = (ext: unknown): ext is string => typeof ext === 'string' && STORE_EXTENSIONS.has(ext);
export const isRunId = (id: unknown): id is string => typeof id === 'string' && RUN_ID.test(id);

/** Throws unless `hash` and `ext` can name a stored file (a hostile database holds '../..' there). */
export function assertStoredName(hash: unknown, ext: unknown): void {
  if (!isStoreHash(hash) || !isStoreExtension(ext)) {
    throw new CapaError(
      'database-corrupt',
      said('errors.hostile.storedName', { value: `${String(hash).slice(0, 80)}.${String(ext).slice(0, 20)}` }),
    );
  }
}

/** Whether `path` (already real) lies strictly inside `root` (already real). */
export function liesInside(path: string, root: string): boolean {
  const rest = relative(root, path);
  return rest !== '' && !rest.startsWith('..') && !isAbsolute(rest);
}

/** The real path of `file` when it is a regular file inside the real path of `root`; null otherwise (missing, outside, a FIFO, a folder). */
export async function containedFile(file: string, root: string): Promise<string | null> {
  try {
    const [real, realRoot] = await Promise.all([realpath(file), realpath(root)]);
    if (!liesInside(real, realRoot)) return null;
    return (await stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}

/** The same check, for the synchronous callers. */
export function containedFileSync(file: string, root: string): string | null {
  try {
    const real = realpathSync(file);
    if (!liesInside(real, realpathSync(root))) return null;
    return statSync(real).isFile() ? real : null;
  } catch {
    return null;
  }
}

/** What a thing that is not a regular file is. */
export type FileKind = 'fifo' | 'socket' | 'device' | 'folder' | 'other';

/** What kind of thing a non-regular file is, for the sentence that refuses it. */
function kindOf(info: {
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isDirectory(): boolean;
}): FileKind {
  if (info.isFIFO()) return 'fifo';
  if (info.isSocket()) return 'socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'device';
  if (info.isDirectory()) return 'folder';
  return 'other';
}

/** The sentence refusing a thing that is not a regular file (a FIFO, a socket, a device). */
export const notRegularFile = (kind: FileKind) => said(`errors.hostile.notRegular.${kind}`);

/**
 * Reads a file the person pointed at (an import), refusing anything that is not a regular file.
 * It opens without blocking (O_NONBLOCK: a FIFO opens at once instead of waiting for a writer)
 * and checks the opened descriptor's type, so a file swapped for a FIFO in between is refused too.
 */
export async function readRegularFile(path: string): Promise<Buffer> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new CapaError('invalid-argument', notRegularFile(kindOf(info)));
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

export { kindOf as fileKind };
