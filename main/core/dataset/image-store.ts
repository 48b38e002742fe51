// The content-addressed image store of a project: files named by the SHA-256 of their bytes,
// so the originals can move or vanish and the same picture is kept once. Thumbnails are made
// once at import and cached beside it.
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { writeFileAtomically } from '../files/atomic';
import { containedFile, isStoreExtension, isStoreHash } from '../files/contained';
import { projectPaths, type ProjectPaths } from '../projects/project-paths';
import { CapaError } from '../../../common/messages/errors';
import { said } from '../../../common/messages/said';

/** Longest side of a cached thumbnail, in pixels. */
export const THUMBNAIL_SIZE = 160;

export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class ImageStore {
  private readonly paths: ProjectPaths;

  constructor(projectDir: string) {
    this.paths = projectPaths(projectDir);
  }

  /** Path of the stored original. */
  imagePath(hash: string, ext: string): string {
    return this.paths.image(hash, ext);
  }

  /** The real path of the stored original, checked by the containment gate; throws when it is missing, not a regular file, or lies outside the project folder (a planted symlink). */
  async containedImagePath(hash: string, ext: string): Promise<string> {
    const real = await containedFile(this.imagePath(hash, ext), this.paths.dir);
    if (real === null) throw new CapaError('not-found', said('errors.hostile.storedOutside', { file: `${hash}.${ext}` }));
    return real;
  }

  /** Path of the cached thumbnail (WebP). */
  thumbnailPath(hash: string): string {
    return this.paths.thumbnail(hash);
  }

  /** Writes the original and its thumbnail, each under a temporary name first, so a crash never leaves half a file. */
  async put(hash: string, ext: string, bytes: Uint8Array, thumbnail: Uint8Array): Promise<void> {
    await writeFileAtomically(this.imagePath(hash, ext), bytes);
    await writeFileAtomically(this.thumbnailPath(hash), thumbnail);
  }

  async remove(hash: string, ext: string): Promise<void> {
    // A name that could point anywhere else (a hostile database's '../..') is never deleted.
    if (!isStoreHash(hash) || !isStoreExtension(ext)) return;
    await rm(this.imagePath(hash, ext), { force: true });
    await rm(this.thumbnailPath(hash), { force: true });
  }
}
