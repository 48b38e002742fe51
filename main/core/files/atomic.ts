// Atomic writes: a file or a folder is written under a temporary name beside its final one and
// renamed into place, so a reader (or the next start after a crash) sees the old version or the
// new one, never half of one. Every writer in core, trainer, settings and the desktop shell goes
// through here, so every leftover of a write that never finished has one name pattern, which
// cleanup on open (main/core/projects/cleanup.ts) and the reliability harness look for.
// Pure node: the trainer process imports it too (no electron, no SQLite).
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Names of unfinished writes: `<final name>.<8 hex>.partial`, and `<final name>.<8 hex>.aside.partial`
 * for a folder's earlier version moved aside while its replacement takes the name.
 */
export const TEMPORARY_NAME = /\.[0-9a-f]{8}(\.aside)?\.partial$/;

/** A folder moved aside by writeFolderAtomically; group 1 is the final name it came from. */
export const ASIDE_NAME = /^(.+)\.[0-9a-f]{8}\.aside\.partial$/;

/** A fresh temporary sibling of `path` (a file or a folder). */
export function temporaryName(path: string): string {
  return `${path}.${randomBytes(4).toString('hex')}.partial`;
}

/** Where writeFolderAtomically moves `path`'s earlier version while the new one takes its name. */
export function asideName(temporary: string): string {
  return temporary.replace(/\.partial$/, '.aside.partial');
}

/**
 * Writes `file` through a temporary sibling and a rename. `content` is the bytes, or a function
 * that writes the temporary file itself (a stream, a zip).
 */
export async function writeFileAtomically(
  file: string,
  content: Uint8Array | string | ((temporary: string) => Promise<void>),
): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = temporaryName(file);
  try {
    if (typeof content === 'function') await content(temporary);
    else await writeFile(temporary, content);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** writeFileAtomically for the synchronous writers (settings, the window's state on close). */
export function writeFileAtomicallySync(file: string, content: Uint8Array | string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = temporaryName(file);
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Writes the folder `destination`: `fill` writes into a temporary sibling folder, which then takes
 * the final name. An earlier folder of that name is moved aside first and removed after, never
 * deleted before (removing takes a while, and a crash meanwhile would leave neither version);
 * cleanup on open puts an aside folder back when its replacement never arrived.
 */
export async function writeFolderAtomically<T>(destination: string, fill: (temporary: string) => Promise<T>): Promise<T> {
  const temporary = temporaryName(destination);
  await mkdir(temporary, { recursive: true });
  try {
    const result = await fill(temporary);
    const aside = asideName(temporary);
    const replacing = existsSync(destination);
    if (replacing) await rename(destination, aside);
    await rename(temporary, destination);
    if (replacing) await rm(aside, { recursive: true, force: true });
    return result;
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error;
  }
}
