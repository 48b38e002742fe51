// Undo of the last destructive action (delete images, move images, merge, delete class). The
// journal keeps one entry; deleted image rows wait in trash_images with their files kept, and
// are purged (rows and then files) when the next destructive action starts.
import type { Said, UndoableAction } from '../../../preload/contract';
import { Repository } from '../db/statements';
import { CapaError } from '../../../common/messages/errors';
import { readSaid, said, storeSaid } from '../../../common/messages/said';

/** A file of the content-addressed store. */
export interface StoredFile {
  /** SHA-256 of the bytes as imported. */
  hash: string;
  /** Extension it is stored under (jpg, png, webp, gif, tif). */
  ext: string;
}

/** A class row as stored, kept so a deleted class comes back with its id, colour and place. */
export interface ClassRow {
  /** Row id, kept so images that pointed at it point at it again. */
  id: number;
  /** Name, unique whatever its case. */
  name: string;
  /** CSS colour of its card. */
  color: string;
  /** Place among the cards. */
  position: number;
  /** ISO 8601 time of creation. */
  created_at: string;
}

/** What undoing puts back: classes to recreate, images to move back, and whether the trash returns. */
export interface UndoPayload {
  /** Classes to recreate. */
  classes: ClassRow[];
  /** [imageId, previous classId]. */
  moves: [number, number | null][];
  /** Whether the trashed images come back. */
  trash: boolean;
}

const IMAGE_COLUMNS = 'hash, ext, class_id, split, file_name, width, height, bytes, imported_at, batch_id, pinned';

export class UndoJournal extends Repository {
  /**
   * Records a destructive action that is about to happen, forgetting the previous one; call it in
   * the action's transaction. Returns the stored files only the forgotten trash kept, to remove
   * once the transaction has committed.
   */
  begin(description: Said, payload: UndoPayload): StoredFile[] {
    const purged = this.sql(
      'SELECT DISTINCT hash, ext FROM trash_images t WHERE NOT EXISTS (SELECT 1 FROM images i WHERE i.hash = t.hash)',
    ).all() as { hash: string; ext: string }[];
    this.sql('DELETE FROM trash_images').run();
    this.sql('INSERT OR REPLACE INTO undo_journal (id, description, payload, created_at) VALUES (1, ?, ?, ?)').run(
      storeSaid(description),
      JSON.stringify(payload),
      new Date().toISOString(),
    );
    return purged;
  }

  /** Moves image rows to the trash (their files stay). */
  trashImages(where: string, params: Record<string, unknown>): void {
    this.sql(`INSERT INTO trash_images (id, ${IMAGE_COLUMNS}) SELECT id, ${IMAGE_COLUMNS} FROM images WHERE ${where}`).run(params);
    this.sql(`DELETE FROM images WHERE ${where}`).run(params);
  }

  /** Hashes of trashed images, so the store keeps their files and the importer does not treat them as gone. */
  isTrashed(hash: string): boolean {
    return this.sql('SELECT 1 FROM trash_images WHERE hash = ?').get(hash) !== undefined;
  }

  /** The action undo would put back, or null; descriptions stored before they were sentences read as plain text. */
  current(): UndoableAction | null {
    const row = this.sql('SELECT description FROM undo_journal WHERE id = 1').get() as { description: string } | undefined;
    return row ? { description: readSaid(row.description) } : null;
  }

  /** Puts back what the last destructive action changed; returns its description. */
  undo(): UndoableAction {
    const row = this.sql('SELECT description, payload FROM undo_journal WHERE id = 1').get() as
      { description: string; payload: string } | undefined;
    if (!row) throw new CapaError('not-found', said('data.undo.nothing'));
    const payload = JSON.parse(row.payload) as UndoPayload;
    this.db
      .transaction(() => {
        for (const cls of payload.classes) {
          const clash = this.sql('SELECT 1 FROM classes WHERE name = ? OR id = ?').get(cls.name, cls.id);
          if (clash) throw new CapaError('conflict', said('data.undo.classExistsAgain', { name: cls.name }));
          this.sql('INSERT INTO classes (id, name, color, position, created_at) VALUES (@id, @name, @color, @position, @created_at)').run(
            cls,
          );
        }
        const move = this.sql('UPDATE images SET class_id = ? WHERE id = ?');
        for (const [imageId, classId] of payload.moves) move.run(classId, imageId);
        if (payload.trash) {
          // An image imported again since its deletion stays as it is; a reused row id gets a new one.
          this.db.exec(`
          INSERT INTO images (id, ${IMAGE_COLUMNS})
          SELECT CASE WHEN EXISTS (SELECT 1 FROM images i WHERE i.id = t.id) THEN NULL ELSE t.id END,
                 hash, ext,
                 CASE WHEN EXISTS (SELECT 1 FROM classes c WHERE c.id = t.class_id) THEN t.class_id ELSE NULL END,
                 split, file_name, width, height, bytes, imported_at,
                 CASE WHEN EXISTS (SELECT 1 FROM import_batches b WHERE b.id = t.batch_id) THEN t.batch_id ELSE NULL END,
                 pinned
          FROM trash_images t WHERE NOT EXISTS (SELECT 1 FROM images i WHERE i.hash = t.hash) ORDER BY t.id`);
          this.sql('DELETE FROM trash_images').run();
        }
        this.sql('DELETE FROM undo_journal').run();
      })
      .immediate();
    return { description: readSaid(row.description) };
  }
}
