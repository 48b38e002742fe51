// The project's images: listed and filtered, added from an import, moved between classes,
// deleted (to the undo trash), and read for training, export and cleanup.
import type { ImageFilter, ImageInfo, Said, Split } from '../../../preload/contract';
import { said } from '../../../common/messages/said';
import { filterClause, IMAGE_FIELDS, toImage, type ImageRow } from './image-rows';
import { chooseSplit, emptyCounts } from './splits';
import { Repository } from '../db/statements';
import type { Db } from '../db/database';
import type { StoredFile, UndoJournal } from '../projects/undo';
import type { ClassRepository } from './class-repository';
import type { BatchRepository } from './batch-repository';
import type { SplitRepository } from './split-repository';

/** A new image as the importer hands it over. */
export interface NewImage {
  /** SHA-256 of the bytes as dropped. */
  hash: string;
  /** Extension it is stored under. */
  ext: string;
  /** Its class, or null for Unlabelled. */
  classId: number | null;
  /** Name of the file it came from. */
  fileName: string;
  /** Width upright (after EXIF orientation), in pixels. */
  width: number;
  /** Height upright, in pixels. */
  height: number;
  /** Size of the stored file. */
  bytes: number;
  /** Set when the file says which split it belongs to (dataset.csv of an exported tree); placed there, not pinned. */
  split?: Split;
}

export type { StoredFile };

/** The stored files that rows refer to, the undo trash's included: what cleanup must keep. */
export class StoredFileRepository extends Repository {
  /** Every stored file an image or a trashed image refers to. */
  referenced(): StoredFile[] {
    return this.sql('SELECT hash, ext FROM images UNION SELECT hash, ext FROM trash_images').all() as StoredFile[];
  }

  /** Whether an image or a trashed image refers to the bytes `hash`. */
  isReferenced(hash: string): boolean {
    return this.sql('SELECT 1 FROM images WHERE hash = ? UNION SELECT 1 FROM trash_images WHERE hash = ?').get(hash, hash) !== undefined;
  }
}

export class ImageRepository extends Repository {
  constructor(
    db: Db,
    private readonly journal: UndoJournal,
    private readonly classes: ClassRepository,
    private readonly batches: BatchRepository,
    private readonly splits: SplitRepository,
  ) {
    super(db);
  }

  list(filter: ImageFilter, offset: number, limit: number): { images: ImageInfo[]; total: number } {
    const { where, params } = filterClause(filter);
    const rows = this.sql(`SELECT ${IMAGE_FIELDS} FROM images ${where} ORDER BY id LIMIT @limit OFFSET @offset`).all({
      ...params,
      offset,
      limit,
    }) as ImageRow[];
    const { n } = this.sql(`SELECT COUNT(*) AS n FROM images ${where}`).get(params) as { n: number };
    return { images: rows.map(toImage), total: n };
  }

  /** How many images have no class. */
  unlabelledCount(): number {
    return (this.sql('SELECT COUNT(*) AS n FROM images WHERE class_id IS NULL').get() as { n: number }).n;
  }

  /** The class holding an image with these bytes, if the project has it already. */
  findByHash(hash: string): { imageId: number; className: string | null } | undefined {
    const row = this.sql('SELECT i.id, c.name FROM images i LEFT JOIN classes c ON c.id = i.class_id WHERE i.hash = ?').get(hash) as
      { id: number; name: string | null } | undefined;
    return row ? { imageId: row.id, className: row.name } : undefined;
  }

  /**
   * Inserts images of one batch in one transaction; returns their ids. Each goes to the split
   * furthest below its share within its class, unless the batch or the image names a split.
   */
  add(images: readonly NewImage[], batchId: number | null = null): number[] {
    const seed = this.splits.seed();
    const shares = this.splits.shares();
    const pinnedSplit = batchId === null ? null : this.batches.pinnedSplit(batchId);
    const insert = this.sql(
      `INSERT INTO images (hash, ext, class_id, split, file_name, width, height, bytes, imported_at, batch_id, pinned)
       VALUES (@hash, @ext, @classId, @split, @fileName, @width, @height, @bytes, @importedAt, @batchId, @pinned)`,
    );
    const countSplits = this.sql('SELECT split, COUNT(*) AS n FROM images WHERE class_id IS @classId GROUP BY split');
    const importedAt = new Date().toISOString();
    return this.db
      .transaction(() => {
        const counts = new Map<number | null, Record<Split, number>>();
        return images.map((image) => {
          let classCounts = counts.get(image.classId);
          if (!classCounts) {
            classCounts = emptyCounts();
            for (const { split, n } of countSplits.all({ classId: image.classId }) as { split: Split; n: number }[]) classCounts[split] = n;
            counts.set(image.classId, classCounts);
          }
          const fixed = pinnedSplit ?? image.split ?? null;
          const split = fixed ?? chooseSplit(classCounts, shares, seed, image.hash);
          classCounts[split] += 1;
          const { split: _given, ...row } = image;
          void _given;
          return Number(insert.run({ ...row, split, importedAt, batchId, pinned: pinnedSplit ? 1 : 0 }).lastInsertRowid);
        });
      })
      .immediate();
  }

  /** The stored file of an image (hash and extension), or undefined. */
  file(imageId: number): StoredFile | undefined {
    return this.sql('SELECT hash, ext FROM images WHERE id = ?').get(imageId) as StoredFile | undefined;
  }

  /** Moves images to a class (or Unlabelled). Undoable; returns the files the previous undo kept. */
  setClass(imageIds: readonly number[], classId: number | null): StoredFile[] {
    const target = classId === null ? null : this.classes.get(classId);
    const moved = (count: number) =>
      target ? said('data.undo.move', { count, name: target.name }) : said('data.undo.moveUnlabelled', { count });
    return this.setClasses(
      imageIds.map((imageId) => ({ imageId, classId })),
      moved,
    );
  }

  /** Gives each image its own class (or Unlabelled), as one undoable action named by `describe(count moved)`. */
  setClasses(labels: readonly { imageId: number; classId: number | null }[], describe: (moved: number) => Said): StoredFile[] {
    for (const classId of new Set(labels.map((l) => l.classId))) if (classId !== null) this.classes.get(classId);
    const select = this.sql('SELECT class_id FROM images WHERE id = ?').pluck();
    const update = this.sql('UPDATE images SET class_id = ? WHERE id = ?');
    return this.db
      .transaction(() => {
        const moves: [number, number | null][] = [];
        const changed: { imageId: number; classId: number | null }[] = [];
        for (const label of labels) {
          const previous = select.get(label.imageId) as number | null | undefined;
          if (previous !== undefined && previous !== label.classId) {
            moves.push([label.imageId, previous]);
            changed.push(label);
          }
        }
        // Moving images to where they already are changes nothing, so the last real action stays undoable.
        if (moves.length === 0) return [];
        const purged = this.journal.begin(describe(moves.length), { classes: [], moves, trash: false });
        for (const { imageId, classId } of changed) update.run(classId, imageId);
        return purged;
      })
      .immediate();
  }

  /** Deletes images (to the trash, undoable); returns the files the previous undo kept, to remove. */
  delete(imageIds: readonly number[]): StoredFile[] {
    return this.db
      .transaction(() => {
        const purged = this.journal.begin(said('data.undo.deleteImages', { count: imageIds.length }), {
          classes: [],
          moves: [],
          trash: true,
        });
        this.db.exec('CREATE TEMP TABLE IF NOT EXISTS doomed (id INTEGER PRIMARY KEY)');
        this.sql('DELETE FROM temp.doomed').run();
        const add = this.sql('INSERT OR IGNORE INTO temp.doomed (id) VALUES (?)');
        for (const id of imageIds) add.run(id);
        this.journal.trashImages('id IN (SELECT id FROM temp.doomed)', {});
        return purged;
      })
      .immediate();
  }

  /** Every labelled picture's stored name, split and size in pixels, in import order (the data-set profile). */
  labelledSizes(): { hash: string; ext: string; split: Split; width: number; height: number }[] {
    return this.sql('SELECT hash, ext, split, width, height FROM images WHERE class_id IS NOT NULL ORDER BY id').all() as {
      hash: string;
      ext: string;
      split: Split;
      width: number;
      height: number;
    }[];
  }

  /** Labelled images for training: every class with at least one image, in class order. */
  labelled(): { classNames: string[]; images: { hash: string; ext: string; classIndex: number; split: Split }[] } {
    const classes = this.classes.list().filter((c) => c.imageCount > 0);
    const index = new Map(classes.map((c, i) => [c.id, i]));
    const rows = this.sql('SELECT hash, ext, class_id, split FROM images WHERE class_id IS NOT NULL ORDER BY id').all() as {
      hash: string;
      ext: string;
      class_id: number;
      split: Split;
    }[];
    return {
      classNames: classes.map((c) => c.name),
      images: rows.map((r) => ({ hash: r.hash, ext: r.ext, classIndex: index.get(r.class_id)!, split: r.split })),
    };
  }

  /** Every image with what a data-set export writes of it, in import order. */
  forExport(): { hash: string; ext: string; class_id: number | null; split: Split; file_name: string }[] {
    return this.sql('SELECT hash, ext, class_id, split, file_name FROM images ORDER BY id').all() as {
      hash: string;
      ext: string;
      class_id: number | null;
      split: Split;
      file_name: string;
    }[];
  }
}
