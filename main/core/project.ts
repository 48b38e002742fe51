// One project: a folder holding its database (project.db), its content-addressed image store
// and its runs. This class owns the SQL; rows become domain types here, at the edge.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { ClassInfo, DatasetView, ImageInfo, ProjectSummary, Split } from '../../preload/contract';
import { openDatabase, type Db } from './db/database';
import { CapaError } from './errors';
import { parseSpec, type ModelSpec } from './spec/spec';
import { DEFAULT_INPUT, PRESETS } from './spec/presets';

/** Share of images per split, assigned from the seed and the image's bytes. */
export const SPLIT_SHARES: Record<Split, number> = { train: 0.7, validation: 0.15, test: 0.15 };

const CLASS_COLORS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4d7c0f', '#9333ea', '#0f766e'];

/** Stable split: depends only on the seed and the image hash, so adding images never moves others. */
export function splitFor(seed: number, hash: string): Split {
  const digest = createHash('sha256').update(`${seed}:${hash}`).digest();
  const u = digest.readUInt32BE(0) / 2 ** 32;
  if (u < SPLIT_SHARES.train) return 'train';
  return u < SPLIT_SHARES.train + SPLIT_SHARES.validation ? 'validation' : 'test';
}

interface ImageRow {
  id: number;
  class_id: number | null;
  split: Split;
  file_name: string;
  width: number;
  height: number;
}

const toImage = (row: ImageRow): ImageInfo => ({
  id: row.id,
  classId: row.class_id,
  split: row.split,
  fileName: row.file_name,
  width: row.width,
  height: row.height,
});

/** A new image as the importer hands it over. */
export interface NewImage {
  hash: string;
  ext: string;
  classId: number | null;
  fileName: string;
  width: number;
  height: number;
  bytes: number;
}

export class Project {
  readonly db: Db;
  readonly id: string;

  private constructor(
    readonly dir: string,
    db: Db,
  ) {
    this.db = db;
    const row = db.prepare('SELECT id FROM project').get() as { id: string } | undefined;
    if (!row) throw new CapaError('database-corrupt', `The project in ${dir} has no project record.`);
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
    const splits = this.db.prepare('SELECT split, COUNT(*) AS n FROM images GROUP BY split').all() as { split: Split; n: number }[];
    const splitCounts: Record<Split, number> = { train: 0, validation: 0, test: 0 };
    for (const { split, n } of splits) splitCounts[split] = n;
    const unlabelled = this.db.prepare('SELECT COUNT(*) AS n FROM images WHERE class_id IS NULL').get() as { n: number };
    return { project: this.summary(), classes: this.classes(), unlabelledCount: unlabelled.n, splitCounts };
  }

  // ---- classes ----

  classes(): ClassInfo[] {
    return this.db
      .prepare(
        `SELECT c.id, c.name, c.color, COUNT(i.id) AS imageCount
         FROM classes c LEFT JOIN images i ON i.class_id = c.id
         GROUP BY c.id ORDER BY c.position, c.id`,
      )
      .all() as ClassInfo[];
  }

  classById(classId: number): ClassInfo {
    const found = this.classes().find((c) => c.id === classId);
    if (!found) throw new CapaError('not-found', `There is no class with id ${classId} in this project.`);
    return found;
  }

  classByName(name: string): ClassInfo | undefined {
    const row = this.db.prepare('SELECT id FROM classes WHERE name = ?').get(name) as { id: number } | undefined;
    return row ? this.classById(row.id) : undefined;
  }

  createClass(name: string): ClassInfo {
    const trimmed = name.trim();
    if (!trimmed) throw new CapaError('invalid-argument', 'A class needs a name.');
    if (this.classByName(trimmed)) throw new CapaError('conflict', `A class named "${trimmed}" already exists.`);
    const { n } = this.db.prepare('SELECT COUNT(*) AS n FROM classes').get() as { n: number };
    const info = this.db
      .prepare('INSERT INTO classes (name, color, position, created_at) VALUES (?, ?, ?, ?)')
      .run(trimmed, CLASS_COLORS[n % CLASS_COLORS.length]!, n, new Date().toISOString());
    return this.classById(Number(info.lastInsertRowid));
  }

  renameClass(classId: number, name: string): ClassInfo {
    this.classById(classId);
    const trimmed = name.trim();
    if (!trimmed) throw new CapaError('invalid-argument', 'A class needs a name.');
    const other = this.classByName(trimmed);
    if (other && other.id !== classId) throw new CapaError('conflict', `A class named "${trimmed}" already exists.`);
    this.db.prepare('UPDATE classes SET name = ? WHERE id = ?').run(trimmed, classId);
    return this.classById(classId);
  }

  /** Deletes a class; its images become unlabelled (the foreign key sets them to NULL). */
  deleteClass(classId: number): void {
    this.classById(classId);
    this.db.prepare('DELETE FROM classes WHERE id = ?').run(classId);
  }

  // ---- images ----

  listImages(classId: number | null | undefined, offset: number, limit: number): { images: ImageInfo[]; total: number } {
    const where = classId === undefined ? '' : classId === null ? 'WHERE class_id IS NULL' : 'WHERE class_id = @classId';
    const params = { classId, offset, limit };
    const rows = this.db
      .prepare(`SELECT id, class_id, split, file_name, width, height FROM images ${where} ORDER BY id LIMIT @limit OFFSET @offset`)
      .all(classId === undefined || classId === null ? { offset, limit } : params) as ImageRow[];
    const { n } = this.db.prepare(`SELECT COUNT(*) AS n FROM images ${where}`).get(classId === undefined || classId === null ? {} : { classId }) as { n: number };
    return { images: rows.map(toImage), total: n };
  }

  /** The class holding an image with these bytes, if the project has it already. */
  findByHash(hash: string): { imageId: number; className: string | null } | undefined {
    const row = this.db
      .prepare('SELECT i.id, c.name FROM images i LEFT JOIN classes c ON c.id = i.class_id WHERE i.hash = ?')
      .get(hash) as { id: number; name: string | null } | undefined;
    return row ? { imageId: row.id, className: row.name } : undefined;
  }

  /** Inserts images in one transaction; returns their ids. */
  addImages(images: readonly NewImage[]): number[] {
    const seed = this.splitSeed();
    const insert = this.db.prepare(
      `INSERT INTO images (hash, ext, class_id, split, file_name, width, height, bytes, imported_at)
       VALUES (@hash, @ext, @classId, @split, @fileName, @width, @height, @bytes, @importedAt)`,
    );
    const importedAt = new Date().toISOString();
    return this.db.transaction(() =>
      images.map((image) => Number(insert.run({ ...image, split: splitFor(seed, image.hash), importedAt }).lastInsertRowid)),
    )();
  }

  /** The stored file of an image (hash and extension), or undefined. */
  imageFile(imageId: number): { hash: string; ext: string } | undefined {
    return this.db.prepare('SELECT hash, ext FROM images WHERE id = ?').get(imageId) as { hash: string; ext: string } | undefined;
  }

  setImageClass(imageIds: readonly number[], classId: number | null): void {
    if (classId !== null) this.classById(classId);
    const update = this.db.prepare('UPDATE images SET class_id = ? WHERE id = ?');
    this.db.transaction(() => {
      for (const id of imageIds) update.run(classId, id);
    })();
  }

  /** Deletes images; returns the hashes that no row refers to any more (their files can go). */
  deleteImages(imageIds: readonly number[]): { hash: string; ext: string }[] {
    const select = this.db.prepare('SELECT hash, ext FROM images WHERE id = ?');
    const remove = this.db.prepare('DELETE FROM images WHERE id = ?');
    return this.db.transaction(() => {
      const gone: { hash: string; ext: string }[] = [];
      for (const id of imageIds) {
        const row = select.get(id) as { hash: string; ext: string } | undefined;
        if (row) {
          remove.run(id);
          gone.push(row);
        }
      }
      return gone;
    })();
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

  /** The project's current spec, or the default preset for a fresh project. */
  spec(): ModelSpec {
    const row = this.db.prepare('SELECT spec FROM project').get() as { spec: string | null };
    if (row.spec) {
      const parsed = parseSpec(JSON.parse(row.spec));
      if (parsed.ok) return parsed.spec;
    }
    return PRESETS[0]!.build(DEFAULT_INPUT);
  }

  saveSpec(spec: ModelSpec): void {
    this.db.prepare('UPDATE project SET spec = ?').run(JSON.stringify(spec));
  }
}
