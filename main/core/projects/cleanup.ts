// Reclaims what a crash can leave in a project folder. The importer writes an image's files
// before its row (so a kill never leaves a row without its file), so a kill in between leaves
// stored files nothing refers to; an atomic write (main/core/files/atomic.ts: the store, exports,
// archives, a trainer writing weights or a checkpoint into runs/, the pixel cache) killed midway
// leaves a temporary file or folder that was never renamed, in any folder of the project. Both
// are removed when a project is opened. Only leftovers older than
// a grace period go: another process (the CLI beside the app) may be writing them right now.
import { existsSync, readdirSync, renameSync, rmSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/database';
import { ImageStore } from '../dataset/image-store';
import { StoredFileRepository } from '../dataset/image-repository';
import { ASIDE_NAME, TEMPORARY_NAME } from '../files/atomic';
import { projectPaths } from './project-paths';

/** How old a leftover must be before it is removed on open (another process may still be writing it). */
export const CLEANUP_GRACE_MS = 10 * 60_000;

/** What a cleanup removed. */
export interface CleanupReport {
  /** Stored originals and thumbnails no image (nor the undo trash) refers to. */
  orphans: number;
  /** Temporary files and folders of writes that never finished. */
  partials: number;
}

/** When a leftover counts as abandoned. */
export interface CleanupOptions {
  /** Leftovers changed less than this many milliseconds ago are kept; default CLEANUP_GRACE_MS. */
  graceMs?: number;
  /** The current time, in milliseconds since the epoch (for tests). */
  now?: number;
}

function entries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return []; // a folder not made yet holds nothing to reclaim
  }
}

/** Removes `path` when it was last changed before `cutoff`; true when removed. */
function removeIfOlder(path: string, cutoff: number): boolean {
  try {
    if (statSync(path).mtimeMs > cutoff) return false;
    rmSync(path, { recursive: true, force: true });
    return true;
  } catch {
    return false; // gone already, or not ours to remove: never fatal to opening a project
  }
}

/** Removes orphan store files and unfinished temporary files of the project in `dir`. */
export function reclaimLeftovers(dir: string, db: Db, options: CleanupOptions = {}): CleanupReport {
  const cutoff = (options.now ?? Date.now()) - (options.graceMs ?? CLEANUP_GRACE_MS);
  const report: CleanupReport = { orphans: 0, partials: 0 };
  // Trashed images keep their files so that Undo can bring them back.
  const rows = new StoredFileRepository(db).referenced();
  const originals = new Set(rows.map((row) => `${row.hash}.${row.ext}`));
  const thumbnails = new Set(rows.map((row) => `${row.hash}.webp`));
  const paths = projectPaths(dir);
  const sweep = (folder: string, wanted: ReadonlySet<string>) => {
    for (const shard of entries(folder)) {
      if (!shard.isDirectory()) continue;
      for (const file of entries(join(folder, shard.name))) {
        if (!TEMPORARY_NAME.test(file.name) && !wanted.has(file.name))
          report.orphans += removeIfOlder(join(folder, shard.name, file.name), cutoff) ? 1 : 0;
      }
    }
  };
  sweep(paths.store, originals);
  sweep(paths.thumbnails, thumbnails);
  // Unfinished writes, anywhere in the folder. A folder moved aside whose replacement never
  // arrived (a crash between two renames) takes its name back.
  const unfinished = (folder: string) => {
    for (const entry of entries(folder)) {
      const path = join(folder, entry.name);
      const aside = ASIDE_NAME.exec(entry.name);
      if (aside && !existsSync(join(folder, aside[1]!))) renameSync(path, join(folder, aside[1]!));
      else if (TEMPORARY_NAME.test(entry.name)) report.partials += removeIfOlder(path, cutoff) ? 1 : 0;
      else if (entry.isDirectory()) unfinished(path);
    }
  };
  unfinished(dir);
  return report;
}

/**
 * Removes the stored files of images whose rows were never committed (an import chunk that
 * failed, e.g. on a full disk), unless an image or the undo trash refers to them, so a failed
 * import gives its space back at once instead of at the next open.
 */
export async function removeUncommitted(dir: string, db: Db, files: readonly { hash: string; ext: string }[]): Promise<void> {
  const referenced = new StoredFileRepository(db);
  const store = new ImageStore(dir);
  for (const { hash, ext } of files) if (!referenced.isReferenced(hash)) await store.remove(hash, ext);
}
