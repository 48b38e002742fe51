// Which file a capa-media:// or app:// request may read: the URL is parsed (security.ts), the
// service names the file, and the real path (symlinks resolved) must still lie inside the root.
import { containedFile } from '../core/files/contained';
import type { CapaService } from '../core/service/service-types';
import { parseMediaUrl } from './security';

/** The real path of `file` when it is a regular file inside the real path of `root`; null otherwise (one check for every host). */
export const fileInside = containedFile;

/** The file a media URL names, inside the data folder, or null (404). */
export async function mediaFileFor(url: string, service: Pick<CapaService, 'mediaFile'>, dataDir: string): Promise<string | null> {
  const media = parseMediaUrl(url);
  if (media === null) return null;
  const file = await service.mediaFile(media.kind, media.projectId, media.imageId);
  return file === null ? null : fileInside(file, dataDir);
}
