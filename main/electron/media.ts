// Which file a capa-media:// or app:// request may read: the URL is parsed (security.ts), the
// service names the file, and the real path (symlinks resolved) must still lie inside the root.
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import type { CapaService } from '../core/service/service-types';
import { parseMediaUrl } from './security';

/** The real path of `file` when it exists and lies inside the real path of `root`; null otherwise. */
export async function fileInside(file: string, root: string): Promise<string | null> {
  try {
    const [realFile, realRoot] = await Promise.all([realpath(file), realpath(root)]);
    const path = relative(realRoot, realFile);
    // A symlink in the store pointing at ~/.ssh resolves outside and is refused here.
    return path !== '' && !path.startsWith('..') && !isAbsolute(path) ? realFile : null;
  } catch {
    return null;
  }
}

/** The file a media URL names, inside the data folder, or null (404). */
export async function mediaFileFor(url: string, service: Pick<CapaService, 'mediaFile'>, dataDir: string): Promise<string | null> {
  const media = parseMediaUrl(url);
  if (media === null) return null;
  const file = await service.mediaFile(media.kind, media.projectId, media.imageId);
  return file === null ? null : fileInside(file, dataDir);
}
