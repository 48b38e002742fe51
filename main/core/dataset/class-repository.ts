// The project's classes: listed with their counts per split, created, renamed, recoloured,
// deleted and merged (the last two undoable through the journal).
import type { ClassInfo, Split } from '../../../preload/contract';
import { CapaError } from '../../../common/messages/errors';
import { said } from '../../../common/messages/said';
import { emptyCounts } from './splits';
import { Repository } from '../db/statements';
import type { Db } from '../db/database';
import type { ClassRow, StoredFile, UndoJournal } from '../projects/undo';

const CLASS_COLORS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4d7c0f', '#9333ea', '#0f766e'];

export class ClassRepository extends Repository {
  constructor(
    db: Db,
    private readonly journal: UndoJournal,
  ) {
    super(db);
  }

  list(): ClassInfo[] {
    const rows = this.sql('SELECT id, name, color FROM classes ORDER BY position, id').all() as {
      id: number;
      name: string;
      color: string;
    }[];
    const counts = this.sql(
      'SELECT class_id, split, COUNT(*) AS n FROM images WHERE class_id IS NOT NULL GROUP BY class_id, split',
    ).all() as {
      class_id: number;
      split: Split;
      n: number;
    }[];
    const byClass = new Map(rows.map((r) => [r.id, emptyCounts()]));
    for (const { class_id, split, n } of counts) byClass.get(class_id)![split] = n;
    return rows.map((r) => {
      const splitCounts = byClass.get(r.id)!;
      return { ...r, imageCount: splitCounts.train + splitCounts.validation + splitCounts.test, splitCounts };
    });
  }

  get(classId: number): ClassInfo {
    const found = this.list().find((c) => c.id === classId);
    if (!found) throw new CapaError('not-found', said('data.project.noClass', { id: classId }));
    return found;
  }

  byName(name: string): ClassInfo | undefined {
    const row = this.sql('SELECT id FROM classes WHERE name = ?').get(name) as { id: number } | undefined;
    return row ? this.get(row.id) : undefined;
  }

  create(name: string): ClassInfo {
    const trimmed = name.trim();
    if (!trimmed) throw new CapaError('invalid-argument', said('data.project.className'));
    if (this.byName(trimmed)) throw new CapaError('conflict', said('data.project.classExists', { name: trimmed }));
    const { n, next } = this.sql('SELECT COUNT(*) AS n, COALESCE(MAX(position) + 1, 0) AS next FROM classes').get() as {
      n: number;
      next: number;
    };
    const info = this.sql('INSERT INTO classes (name, color, position, created_at) VALUES (?, ?, ?, ?)').run(
      trimmed,
      CLASS_COLORS[n % CLASS_COLORS.length]!,
      next,
      new Date().toISOString(),
    );
    return this.get(Number(info.lastInsertRowid));
  }

  rename(classId: number, name: string): ClassInfo {
    this.get(classId);
    const trimmed = name.trim();
    if (!trimmed) throw new CapaError('invalid-argument', said('data.project.className'));
    const other = this.byName(trimmed);
    if (other && other.id !== classId) throw new CapaError('conflict', said('data.project.classExists', { name: trimmed }));
    this.sql('UPDATE classes SET name = ? WHERE id = ?').run(trimmed, classId);
    return this.get(classId);
  }

  recolor(classId: number, color: string): ClassInfo {
    this.get(classId);
    this.sql('UPDATE classes SET color = ? WHERE id = ?').run(color, classId);
    return this.get(classId);
  }

  private row(classId: number): ClassRow {
    this.get(classId);
    return this.sql('SELECT id, name, color, position, created_at FROM classes WHERE id = ?').get(classId) as ClassRow;
  }

  private imageIdsOf(classId: number): number[] {
    return this.sql('SELECT id FROM images WHERE class_id = ? ORDER BY id').pluck().all(classId) as number[];
  }

  /**
   * Deletes a class, with its images or moving them to Unlabelled. Undoable; returns the stored
   * files the previous undo kept, to remove once this has committed.
   */
  delete(classId: number, withImages: boolean): StoredFile[] {
    const cls = this.row(classId);
    const ids = this.imageIdsOf(classId);
    return this.db
      .transaction(() => {
        const description = withImages
          ? said('data.undo.deleteClassWithImages', { name: cls.name, count: ids.length })
          : said('data.undo.deleteClass', { name: cls.name });
        const purged = this.journal.begin(description, {
          classes: [cls],
          moves: withImages ? [] : ids.map((id) => [id, classId]),
          trash: withImages,
        });
        if (withImages) this.journal.trashImages('class_id = @classId', { classId });
        this.sql('DELETE FROM classes WHERE id = ?').run(classId);
        return purged;
      })
      .immediate();
  }

  /** Moves every image of `sourceId` into `targetId` and deletes the source class. Undoable. */
  merge(sourceId: number, targetId: number): { target: ClassInfo; purged: StoredFile[] } {
    if (sourceId === targetId) throw new CapaError('invalid-argument', said('data.project.mergeSame'));
    const source = this.row(sourceId);
    const target = this.get(targetId);
    const ids = this.imageIdsOf(sourceId);
    const purged = this.db
      .transaction(() => {
        const files = this.journal.begin(said('data.undo.merge', { source: source.name, target: target.name }), {
          classes: [source],
          moves: ids.map((id) => [id, sourceId]),
          trash: false,
        });
        this.sql('UPDATE images SET class_id = ? WHERE class_id = ?').run(targetId, sourceId);
        this.sql('DELETE FROM classes WHERE id = ?').run(sourceId);
        return files;
      })
      .immediate();
    return { target: this.get(targetId), purged };
  }
}
