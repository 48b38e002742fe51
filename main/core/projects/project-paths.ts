// Every path inside a project folder, in one place. A project folder holds:
//   project.db             the SQLite database (classes, images, splits, specs, runs, undo)
//   store/<ab>/<hash>.<ext> the imported originals, named by the SHA-256 of their bytes
//   thumbs/<ab>/<hash>.webp their thumbnails
//   cache/pixels/          the trainer's preprocessed pixels (safe to delete at any time)
//   runs/<id>/             one run: best/ and last/ weights (TensorFlow.js layers), checkpoint.bin
//   exports/               exported models, data sets and project archives
// Pure node:path: the trainer process imports it too (no electron, no SQLite). The embeddings
// cache lives with the backbones, in the data folder, not in a project.
import { join } from 'node:path';
import { CapaError } from '../../../common/messages/errors';
import { said } from '../../../common/messages/said';
import { assertStoredName, isRunId } from '../files/contained';

/** The database's file name inside a project folder. */
export const DATABASE_FILE = 'project.db';
/** Folders of a project that an archive carries (what a project is, beside its database). */
export const CONTENT_FOLDERS = ['store', 'thumbs', 'runs'] as const;

/** Which weights of a run: the best epoch's or the last one's. */
export type RunWeights = 'best' | 'last';

/** The checkpoint's file name inside a run's folder. */
export const CHECKPOINT_FILE = 'checkpoint.bin';

/** Paths inside one run's folder (`runs/<id>`); the trainer gets only this folder. */
export const runFolderPaths = (runFolder: string) => ({
  /** The weights of `which` epoch, a TensorFlow.js layers model folder. */
  weights: (which: RunWeights): string => join(runFolder, which),
  /** The checkpoint that a stopped or interrupted run resumes from. */
  checkpoint: join(runFolder, CHECKPOINT_FILE),
});

function runFolder(dir: string, runId: string): string {
  if (!isRunId(runId)) throw new CapaError('database-corrupt', said('errors.hostile.storedName', { value: String(runId).slice(0, 80) }));
  return join(dir, 'runs', runId);
}

/** Paths inside the project folder `dir`. */
export function projectPaths(dir: string) {
  return {
    dir,
    database: join(dir, DATABASE_FILE),
    store: join(dir, 'store'),
    /** A stored original. A hash or extension read from a database is checked before it becomes part of a path. */
    image: (hash: string, ext: string): string => {
      assertStoredName(hash, ext);
      return join(dir, 'store', hash.slice(0, 2), `${hash}.${ext}`);
    },
    thumbnails: join(dir, 'thumbs'),
    /** A stored thumbnail (WebP), its hash checked as the original's. */
    thumbnail: (hash: string): string => {
      assertStoredName(hash, 'webp');
      return join(dir, 'thumbs', hash.slice(0, 2), `${hash}.webp`);
    },
    cache: join(dir, 'cache'),
    /** The trainer's preprocessed pixels (main/trainer/pixel-cache.ts). */
    pixelCache: join(dir, 'cache', 'pixels'),
    runs: join(dir, 'runs'),
    /** One run's folder; a run id that could name a path (an imported database's '../..') is refused. */
    run: (runId: string): string => runFolder(dir, runId),
    /** A run's weights. */
    weights: (runId: string, which: RunWeights): string => runFolderPaths(runFolder(dir, runId)).weights(which),
    exports: join(dir, 'exports'),
  };
}

/** The project folder's paths, as projectPaths returns them. */
export type ProjectPaths = ReturnType<typeof projectPaths>;
