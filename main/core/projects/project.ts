// One project: a folder holding its database (project.db), its content-addressed image store
// and its runs. This class owns the SQL; rows become domain types here, at the edge.
import { join } from 'node:path';
import type { ClassInfo, DatasetView, ImageFilter, ImageInfo, ImportBatch, ProjectSummary, Said, Split, UndoableAction } from '../../../preload/contract';
import { datasetWarnings } from '../dataset/warnings';
import { filterClause, IMAGE_FIELDS, toImage, type ImageRow } from '../dataset/image-rows';
import { openDatabase, type Db } from '../db/database';
import { CapaError } from '../../../common/messages/errors';
import { readSaid, said, storeSaid } from '../../../common/messages/said';
import { chooseSplit, emptyCounts, rebalance, SPLITS, type SplitMember } from '../dataset/splits';
import { UndoJournal, type ClassRow } from './undo';
import { parseSpec, type ModelSpec } from '../../../common/model/spec';
import { DEFAULT_INPUT, DEFAULT_PRESET_ID, presetById } from '../../../common/model/presets';

const CLASS_COLORS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4d7c0f', '#9333ea', '#0f766e'];

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

/** A file of the content-addressed store. */
export interface StoredFile {
  /** SHA-256 of the bytes as imported. */
  hash: string;
  /** Extension it is stored under (jpg, png, webp, gif, tif). */
  ext: string;
}

export class Project {
  readonly db: Db;
  readonly id: string;
  private readonly journal: UndoJournal;

  private constructor(
    readonly dir: string,
    db: Db,
  ) {
    this.db = db;
    this.journal = new UndoJournal(db);
    const row = db.prepare('SELECT id FROM project').get() as { id: string } | undefined;
    if (!row) throw new CapaError('database-corrupt', said('data.project.noRecord', { dir }));
    this.id = row.id;
  }

  static databaseFile(dir: string): string {
    return join(dir, 'project.db');
  }

  /** Creates the database of a new project in an existing empty folder. */
  static create(dir: string, id: string, name: string): Project {
    const db = openDatabase(Project.databaseFile(dir));
    db.prepare('INSERT INTO project (id, name, created_at, split_seed) VALUES (?, ?, ?, ?)').run(id, name, new Date().toISOString(), 1337);
    return new Project(dir, db);
  }

  static open(dir: string): Project {
    return new Project(dir, openDatabase(Project.databaseFile(dir)));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  // ---- project ----

  summary(): ProjectSummary {
    const row = this.db
      .prepare(
        `SELECT name, created_at AS createdAt,
                (SELECT COUNT(*) FROM images) AS imageCount,
                (SELECT COUNT(*) FROM classes) AS classCount
         FROM project`,
      )
      .get() as { name: string; createdAt: string; imageCount: number; classCount: number };
    return { id: this.id, ...row };
  }

  rename(name: string): ProjectSummary {
    this.db.prepare('UPDATE project SET name = ?').run(name);
    return this.summary();
  }

  splitSeed(): number {
    return (this.db.prepare('SELECT split_seed FROM project').get() as { split_seed: number }).split_seed;
  }

  dataset(): DatasetView {
    const classes = this.classes();
    const splitCounts = emptyCounts();
    for (const { split, n } of this.db.prepare('SELECT split, COUNT(*) AS n FROM images GROUP BY split').all() as { split: Split; n: number }[]) {
      splitCounts[split] = n;
    }
    const unlabelled = this.db.prepare('SELECT COUNT(*) AS n FROM images WHERE class_id IS NULL').get() as { n: number };
    return {
      project: this.summary(),
      classes,
      unlabelledCount: unlabelled.n,
      splitCounts,
      warnings: datasetWarnings(classes),
      batches: this.batches(),
      undo: this.journal.current(),
      splitShares: this.splitShares(),
    };
  }

  // ---- classes ----

  classes(): ClassInfo[] {
    const rows = this.db.prepare('SELECT id, name, color FROM classes ORDER BY position, id').all() as { id: number; name: string; color: string }[];
    const counts = this.db.prepare('SELECT class_id, split, COUNT(*) AS n FROM images WHERE class_id IS NOT NULL GROUP BY class_id, split').all() as {
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

  classById(classId: number): ClassInfo {
    const found = this.classes().find((c) => c.id === classId);
    if (!found) throw new CapaError('not-found', said('data.project.noClass', { id: classId }));
    return found;
  }

  classByName(name: string): ClassInfo | undefined {
    const row = this.db.prepare('SELECT id FROM classes WHERE name = ?').get(name) as { id: number } | undefined;
    return row ? this.classById(row.id) : undefined;
  }

  createClass(name: string): ClassInfo {
    const trimmed = name.trim();
    if (!trimmed) throw new CapaError('invalid-argument', said('data.project.className'));
    if (this.classByName(trimmed)) throw new CapaError('conflict', said('data.project.classExists', { name: trimmed }));
    const { n, next } = this.db.prepare('SELECT COUNT(*) AS n, COALESCE(MAX(position) + 1, 0) AS next FROM classes').get() as { n: number; next: number };
    const info = this.db
      .prepare('INSERT INTO classes (name, color, position, created_at) VALUES (?, ?, ?, ?)')
      .run(trimmed, CLASS_COLORS[n % CLASS_COLORS.length]!, next, new Date().toISOString());
    return this.classById(Number(info.lastInsertRowid));
  }

  renameClass(classId: number, name: string): ClassInfo {
    this.classById(classId);
    const trimmed = name.trim();
    if (!trimmed) throw new CapaError('invalid-argument', said('data.project.className'));
    const other = this.classByName(trimmed);
    if (other && other.id !== classId) throw new CapaError('conflict', said('data.project.classExists', { name: trimmed }));
    this.db.prepare('UPDATE classes SET name = ? WHERE id = ?').run(trimmed, classId);
    return this.classById(classId);
  }

  recolorClass(classId: number, color: string): ClassInfo {
    this.classById(classId);
    this.db.prepare('UPDATE classes SET color = ? WHERE id = ?').run(color, classId);
    return this.classById(classId);
  }

  private classRow(classId: number): ClassRow {
    this.classById(classId);
    return this.db.prepare('SELECT id, name, color, position, created_at FROM classes WHERE id = ?').get(classId) as ClassRow;
  }

  /**
   * Deletes a class, with its images or moving them to Unlabelled. Undoable; returns the stored
   * files the previous undo kept, to remove once this has committed.
   */
  deleteClass(classId: number, withImages: boolean): StoredFile[] {
    const cls = this.classRow(classId);
    const ids = this.imageIdsOf(classId);
    return this.db.transaction(() => {
      const description = withImages ? said('data.undo.deleteClassWithImages', { name: cls.name, count: ids.length }) : said('data.undo.deleteClass', { name: cls.name });
      const purged = this.journal.begin(description, {
        classes: [cls],
        moves: withImages ? [] : ids.map((id) => [id, classId]),
        trash: withImages,
      });
      if (withImages) this.journal.trashImages('class_id = @classId', { classId });
      this.db.prepare('DELETE FROM classes WHERE id = ?').run(classId);
      return purged;
    }).immediate();
  }

  /** Moves every image of `sourceId` into `targetId` and deletes the source class. Undoable. */
  mergeClasses(sourceId: number, targetId: number): { target: ClassInfo; purged: StoredFile[] } {
    if (sourceId === targetId) throw new CapaError('invalid-argument', said('data.project.mergeSame'));
    const source = this.classRow(sourceId);
    const target = this.classById(targetId);
    const ids = this.imageIdsOf(sourceId);
    const purged = this.db.transaction(() => {
      const files = this.journal.begin(said('data.undo.merge', { source: source.name, target: target.name }), {
        classes: [source],
        moves: ids.map((id) => [id, sourceId]),
        trash: false,
      });
      this.db.prepare('UPDATE images SET class_id = ? WHERE class_id = ?').run(targetId, sourceId);
      this.db.prepare('DELETE FROM classes WHERE id = ?').run(sourceId);
      return files;
    }).immediate();
    return { target: this.classById(targetId), purged };
  }

  private imageIdsOf(classId: number): number[] {
    return (this.db.prepare('SELECT id FROM images WHERE class_id = ? ORDER BY id').pluck().all(classId) as number[]);
  }

  // ---- images ----

  listImages(filter: ImageFilter, offset: number, limit: number): { images: ImageInfo[]; total: number } {
    const { where, params } = filterClause(filter);
    const rows = this.db
      .prepare(`SELECT ${IMAGE_FIELDS} FROM images ${where} ORDER BY id LIMIT @limit OFFSET @offset`)
      .all({ ...params, offset, limit }) as ImageRow[];
    const { n } = this.db.prepare(`SELECT COUNT(*) AS n FROM images ${where}`).get(params) as { n: number };
    return { images: rows.map(toImage), total: n };
  }

  /** The class holding an image with these bytes, if the project has it already. */
  findByHash(hash: string): { imageId: number; className: string | null } | undefined {
    const row = this.db
      .prepare('SELECT i.id, c.name FROM images i LEFT JOIN classes c ON c.id = i.class_id WHERE i.hash = ?')
      .get(hash) as { id: number; name: string | null } | undefined;
    return row ? { imageId: row.id, className: row.name } : undefined;
  }

  /** Starts an import batch; `pinnedSplit` pins every image it brings in. */
  createBatch(label: Said, pinnedSplit: Split | null = null): number {
    const info = this.db
      .prepare('INSERT INTO import_batches (label, created_at, pinned_split) VALUES (?, ?, ?)')
      .run(storeSaid(label), new Date().toISOString(), pinnedSplit);
    return Number(info.lastInsertRowid);
  }

  /** Import batches that still hold images, newest first. */
  batches(): ImportBatch[] {
    const rows = this.db
      .prepare(
        `SELECT b.id, b.label, b.created_at AS createdAt, COUNT(i.id) AS imported, b.pinned_split AS pinnedSplit
         FROM import_batches b JOIN images i ON i.batch_id = b.id GROUP BY b.id ORDER BY b.id DESC`,
      )
      .all() as (Omit<ImportBatch, 'label'> & { label: string })[];
    // Labels written before they were sentences are plain text, read back as a sentence without a key.
    return rows.map((row) => ({ ...row, label: readSaid(row.label) }));
  }

  /** The split a batch pins its images to (null when none); throws when there is no such batch. */
  batchSplit(batchId: number): Split | null {
    const row = this.db.prepare('SELECT pinned_split FROM import_batches WHERE id = ?').get(batchId) as { pinned_split: Split | null } | undefined;
    if (!row) throw new CapaError('not-found', said('data.project.noBatch', { id: batchId }));
    return row.pinned_split;
  }

  /**
   * Inserts images of one batch in one transaction; returns their ids. Each goes to the split
   * furthest below its share within its class, unless the batch or the image names a split.
   */
  addImages(images: readonly NewImage[], batchId: number | null = null): number[] {
    const seed = this.splitSeed();
    const shares = this.splitShares();
    const pinnedSplit = batchId === null ? null : this.batchSplit(batchId);
    const insert = this.db.prepare(
      `INSERT INTO images (hash, ext, class_id, split, file_name, width, height, bytes, imported_at, batch_id, pinned)
       VALUES (@hash, @ext, @classId, @split, @fileName, @width, @height, @bytes, @importedAt, @batchId, @pinned)`,
    );
    const countSplits = this.db.prepare('SELECT split, COUNT(*) AS n FROM images WHERE class_id IS @classId GROUP BY split');
    const importedAt = new Date().toISOString();
    return this.db.transaction(() => {
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
    }).immediate();
  }

  /** The stored file of an image (hash and extension), or undefined. */
  imageFile(imageId: number): StoredFile | undefined {
    return this.db.prepare('SELECT hash, ext FROM images WHERE id = ?').get(imageId) as StoredFile | undefined;
  }

  /** Moves images to a class (or Unlabelled). Undoable; returns the files the previous undo kept. */
  setImageClass(imageIds: readonly number[], classId: number | null): StoredFile[] {
    const target = classId === null ? null : this.classById(classId);
    const moved = (count: number) => (target ? said('data.undo.move', { count, name: target.name }) : said('data.undo.moveUnlabelled', { count }));
    return this.setImageClasses(imageIds.map((imageId) => ({ imageId, classId })), moved);
  }

  /** Gives each image its own class (or Unlabelled), as one undoable action named by `describe(count moved)`. */
  setImageClasses(labels: readonly { imageId: number; classId: number | null }[], describe: (moved: number) => Said): StoredFile[] {
    for (const classId of new Set(labels.map((l) => l.classId))) if (classId !== null) this.classById(classId);
    const select = this.db.prepare('SELECT class_id FROM images WHERE id = ?').pluck();
    const update = this.db.prepare('UPDATE images SET class_id = ? WHERE id = ?');
    return this.db.transaction(() => {
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
    }).immediate();
  }

  /** Deletes images (to the trash, undoable); returns the files the previous undo kept, to remove. */
  deleteImages(imageIds: readonly number[]): StoredFile[] {
    return this.db.transaction(() => {
      const purged = this.journal.begin(said('data.undo.deleteImages', { count: imageIds.length }), { classes: [], moves: [], trash: true });
      this.db.exec('CREATE TEMP TABLE IF NOT EXISTS doomed (id INTEGER PRIMARY KEY)');
      this.db.exec('DELETE FROM temp.doomed');
      const add = this.db.prepare('INSERT OR IGNORE INTO temp.doomed (id) VALUES (?)');
      for (const id of imageIds) add.run(id);
      this.journal.trashImages('id IN (SELECT id FROM temp.doomed)', {});
      return purged;
    }).immediate();
  }

  /** Undoes the last destructive action. */
  undo(): UndoableAction {
    return this.journal.undo();
  }

  // ---- splits ----

  splitShares(): Record<Split, number> {
    return JSON.parse(this.db.prepare('SELECT split_shares FROM project').pluck().get() as string) as Record<Split, number>;
  }

  /** Sets the split percentages and re-balances the unpinned images of every class (and of Unlabelled). */
  setSplitShares(shares: Record<Split, number>): void {
    if (SPLITS.reduce((s, k) => s + shares[k], 0) !== 100) throw new CapaError('invalid-argument', said('data.project.sharesSum'));
    const seed = this.splitSeed();
    const rows = this.db.prepare('SELECT id, hash, split, pinned, class_id FROM images ORDER BY id').all() as (SplitMember & { class_id: number | null; pinned: boolean })[];
    const byClass = new Map<number | null, SplitMember[]>();
    for (const row of rows) {
      const members = byClass.get(row.class_id) ?? [];
      members.push({ id: row.id, hash: row.hash, split: row.split, pinned: Boolean(row.pinned) });
      byClass.set(row.class_id, members);
    }
    const update = this.db.prepare('UPDATE images SET split = ? WHERE id = ?');
    this.db.transaction(() => {
      this.db.prepare('UPDATE project SET split_shares = ?').run(JSON.stringify(shares));
      for (const members of byClass.values()) for (const [id, split] of rebalance(members, shares, seed)) update.run(split, id);
    }).immediate();
  }

  /** Pins images to a split, or unpins them (null) where they are. */
  pinImages(imageIds: readonly number[], split: Split | null): void {
    const pin = this.db.prepare('UPDATE images SET split = ?, pinned = 1 WHERE id = ?');
    const unpin = this.db.prepare('UPDATE images SET pinned = 0 WHERE id = ?');
    this.db.transaction(() => {
      for (const id of imageIds) split ? pin.run(split, id) : unpin.run(id);
    }).immediate();
  }

  /** Pins every image of a batch (and any it brings in later) to a split, or unpins them. */
  pinBatch(batchId: number, split: Split | null): void {
    this.batchSplit(batchId);
    this.db.transaction(() => {
      this.db.prepare('UPDATE import_batches SET pinned_split = ? WHERE id = ?').run(split, batchId);
      if (split) this.db.prepare('UPDATE images SET split = ?, pinned = 1 WHERE batch_id = ?').run(split, batchId);
      else this.db.prepare('UPDATE images SET pinned = 0 WHERE batch_id = ?').run(batchId);
    }).immediate();
  }

  /** Labelled images for training: every class with at least one image, in class order. */
  labelledImages(): { classNames: string[]; images: { hash: string; ext: string; classIndex: number; split: Split }[] } {
    const classes = this.classes().filter((c) => c.imageCount > 0);
    const index = new Map(classes.map((c, i) => [c.id, i]));
    const rows = this.db.prepare('SELECT hash, ext, class_id, split FROM images WHERE class_id IS NOT NULL ORDER BY id').all() as {
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

  // ---- spec ----

  /** Whether a spec was ever saved (else training and the model screen use Auto's plan: main/core/model/auto.ts). */
  hasSavedSpec(): boolean {
    const row = this.db.prepare('SELECT spec FROM project').get() as { spec: string | null };
    return row.spec !== null && parseSpec(JSON.parse(row.spec)).ok;
  }

  /** The project's current spec, or the default preset where none was ever saved (Auto's plan needs the pictures: main/core/model/auto.ts). */
  spec(): ModelSpec {
    const row = this.db.prepare('SELECT spec FROM project').get() as { spec: string | null };
    if (row.spec) {
      const parsed = parseSpec(JSON.parse(row.spec));
      if (parsed.ok) return parsed.spec;
    }
    return presetById(DEFAULT_PRESET_ID)!.build(DEFAULT_INPUT);
  }

  saveSpec(spec: ModelSpec): void {
    this.db.prepare('UPDATE project SET spec = ?').run(JSON.stringify(spec));
  }
}
