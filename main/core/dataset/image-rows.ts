// Image rows as the grid sees them: the columns read, their mapping to ImageInfo, and the SQL
// of the grid's filters (each column it uses is indexed, or cheap enough to scan at 50,000 rows).
import type { ImageFilter, ImageInfo, Split } from '../../../preload/contract';

/** A row of the images table as read for the grid (column names as stored). */
export interface ImageRow {
  /** Image id. */
  id: number;
  /** Class, or null for Unlabelled. */
  class_id: number | null;
  /** Its split. */
  split: Split;
  /** Name of the file it came from. */
  file_name: string;
  /** Upright width in pixels. */
  width: number;
  /** Upright height in pixels. */
  height: number;
  /** Size of the stored file. */
  bytes: number;
  /** Import batch, or null. */
  batch_id: number | null;
  /** 1 when its split is pinned. */
  pinned: number;
}

export const IMAGE_FIELDS = 'id, class_id, split, file_name, width, height, bytes, batch_id, pinned';

export const toImage = (row: ImageRow): ImageInfo => ({
  id: row.id,
  classId: row.class_id,
  split: row.split,
  fileName: row.file_name,
  width: row.width,
  height: row.height,
  bytes: row.bytes,
  batchId: row.batch_id,
  pinned: row.pinned === 1,
});

/** The SQL condition and parameters of an image filter; every column it uses is indexed or cheap. */
export function filterClause(filter: ImageFilter): { where: string; params: Record<string, unknown> } {
  const parts: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter.classId === null) parts.push('class_id IS NULL');
  else if (filter.classId !== undefined) (parts.push('class_id = @classId'), (params.classId = filter.classId));
  if (filter.split) (parts.push('split = @split'), (params.split = filter.split));
  if (filter.batchId !== undefined) (parts.push('batch_id = @batchId'), (params.batchId = filter.batchId));
  if (filter.search) {
    // instr on lower() is a plain substring test: no LIKE wildcards to escape in what was typed.
    parts.push('instr(lower(file_name), @search) > 0');
    params.search = filter.search.toLowerCase();
  }
  if (filter.minSide !== undefined) (parts.push('min(width, height) >= @minSide'), (params.minSide = filter.minSide));
  if (filter.maxSide !== undefined) (parts.push('min(width, height) <= @maxSide'), (params.maxSide = filter.maxSide));
  return { where: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}
