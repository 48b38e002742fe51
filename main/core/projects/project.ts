// One project: a folder holding its database (project.db), its content-addressed image store
// and its runs. The SQL lives in repositories reached from the project (project.classes,
// project.images, project.batches, project.splits, project.specs, project.runs,
// project.evaluations, project.journal), each preparing its statements once per connection;
// rows become domain types there, at the edge.
import type { DatasetView, ProjectSummary, UndoableAction } from '../../../preload/contract';
import { datasetWarnings } from '../dataset/warnings';
import { openDatabase, type Db } from '../db/database';
import { CapaError } from '../../../common/messages/errors';
import { said } from '../../../common/messages/said';
import { emptyCounts } from '../dataset/splits';
import { UndoJournal } from './undo';
import { projectPaths, type ProjectPaths } from './project-paths';
import { ProjectRecord } from './project-repository';
import { ClassRepository } from '../dataset/class-repository';
import { ImageRepository, StoredFileRepository } from '../dataset/image-repository';
import { BatchRepository } from '../dataset/batch-repository';
import { SplitRepository } from '../dataset/split-repository';
import { NamedSpecs } from '../model/named-specs';
import { RunRepository } from '../runs/repository';
import { EvaluationStore } from '../evaluation/store';

export type { NewImage, StoredFile } from '../dataset/image-repository';

export class Project {
  readonly db: Db;
  readonly id: string;
  /** Every path inside the project's folder. */
  readonly paths: ProjectPaths;
  /** The project's own record (name, split seed and shares). */
  readonly record: ProjectRecord;
  /** Undo of the last destructive action. */
  readonly journal: UndoJournal;
  readonly classes: ClassRepository;
  readonly images: ImageRepository;
  /** The stored files that rows refer to (for cleanup). */
  readonly storedFiles: StoredFileRepository;
  readonly batches: BatchRepository;
  readonly splits: SplitRepository;
  /** The current spec and the named ones. */
  readonly specs: NamedSpecs;
  readonly runs: RunRepository;
  readonly evaluations: EvaluationStore;

  private constructor(
    readonly dir: string,
    db: Db,
  ) {
    this.db = db;
    this.paths = projectPaths(dir);
    this.record = new ProjectRecord(db);
    const id = this.record.id();
    if (id === undefined) throw new CapaError('database-corrupt', said('data.project.noRecord', { dir }));
    this.id = id;
    this.journal = new UndoJournal(db);
    this.classes = new ClassRepository(db, this.journal);
    this.batches = new BatchRepository(db);
    this.splits = new SplitRepository(db, this.record);
    this.images = new ImageRepository(db, this.journal, this.classes, this.batches, this.splits);
    this.storedFiles = new StoredFileRepository(db);
    this.specs = new NamedSpecs(db);
    this.runs = new RunRepository(db, id);
    this.evaluations = new EvaluationStore(db);
  }

  static databaseFile(dir: string): string {
    return projectPaths(dir).database;
  }

  /** Creates the database of a new project in an existing empty folder. */
  static create(dir: string, id: string, name: string): Project {
    const db = openDatabase(Project.databaseFile(dir));
    new ProjectRecord(db).create(id, name);
    return new Project(dir, db);
  }

  static open(dir: string): Project {
    return new Project(dir, openDatabase(Project.databaseFile(dir)));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  summary(): ProjectSummary {
    return this.record.summary(this.id);
  }

  rename(name: string): ProjectSummary {
    this.record.rename(name);
    return this.summary();
  }

  /** What the Data screen shows of the project. */
  dataset(): DatasetView {
    const classes = this.classes.list();
    const splitCounts = emptyCounts();
    for (const { split, n } of this.splits.counts()) splitCounts[split] = n;
    return {
      project: this.summary(),
      classes,
      unlabelledCount: this.images.unlabelledCount(),
      splitCounts,
      warnings: datasetWarnings(classes),
      batches: this.batches.list(),
      undo: this.journal.current(),
      splitShares: this.splits.shares(),
    };
  }

  /** Undoes the last destructive action. */
  undo(): UndoableAction {
    return this.journal.undo();
  }
}
