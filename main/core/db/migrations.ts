// Forward-only migrations: entry i takes the schema from version i to i + 1. Never edit a
// shipped entry; append a new one.
import type Database from 'better-sqlite3';

export const MIGRATIONS: readonly ((db: Database.Database) => void)[] = [
  (db) =>
    db.exec(`
      CREATE TABLE project (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        split_seed INTEGER NOT NULL,
        spec TEXT
      ) STRICT;

      CREATE TABLE classes (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        color TEXT NOT NULL,
        position INTEGER NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE images (
        id INTEGER PRIMARY KEY,
        hash TEXT NOT NULL UNIQUE,
        ext TEXT NOT NULL,
        class_id INTEGER REFERENCES classes(id) ON DELETE SET NULL,
        split TEXT NOT NULL CHECK (split IN ('train', 'validation', 'test')),
        file_name TEXT NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        imported_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX images_by_class ON images(class_id, id);

      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'stopped', 'failed', 'interrupted')),
        spec TEXT NOT NULL,
        class_names TEXT NOT NULL,
        backend TEXT,
        created_at TEXT NOT NULL,
        finished_at TEXT,
        error TEXT,
        best_epoch INTEGER
      ) STRICT;

      CREATE TABLE run_epochs (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        epoch INTEGER NOT NULL,
        loss REAL NOT NULL,
        accuracy REAL NOT NULL,
        val_loss REAL,
        val_accuracy REAL,
        seconds REAL NOT NULL,
        PRIMARY KEY (run_id, epoch)
      ) STRICT;
    `),
  // Which process trains a run, so that opening a project (the CLI, a second window) marks
  // only runs of dead processes as interrupted, never one another process is training.
  (db) => db.exec('ALTER TABLE runs ADD COLUMN owner_pid INTEGER'),
  // Named model specs per project (store, duplicate, select). `project.spec` stays the spec that
  // trains; `project.spec_id` says which named spec it is. An existing spec becomes "Model 1".
  (db) =>
    db.exec(`
      CREATE TABLE specs (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        spec TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      ALTER TABLE project ADD COLUMN spec_id INTEGER REFERENCES specs(id) ON DELETE SET NULL;
      INSERT INTO specs (name, spec, created_at, updated_at)
        SELECT 'Model 1', spec, strftime('%Y-%m-%dT%H:%M:%fZ'), strftime('%Y-%m-%dT%H:%M:%fZ') FROM project WHERE spec IS NOT NULL;
      UPDATE project SET spec_id = (SELECT id FROM specs WHERE name = 'Model 1') WHERE spec IS NOT NULL;
    `),
  // Datasets at scale: import batches (with an optional pinned split), pinned images, split
  // shares per project, indexes for the grid's filters, and the trash and journal of undo.
  (db) =>
    db.exec(`
      CREATE TABLE import_batches (
        id INTEGER PRIMARY KEY,
        label TEXT NOT NULL,
        created_at TEXT NOT NULL,
        pinned_split TEXT CHECK (pinned_split IN ('train', 'validation', 'test'))
      ) STRICT;
      ALTER TABLE images ADD COLUMN batch_id INTEGER REFERENCES import_batches(id) ON DELETE SET NULL;
      ALTER TABLE images ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX images_by_batch ON images(batch_id, id);
      CREATE INDEX images_by_split ON images(split, id);
      CREATE INDEX images_by_class_split ON images(class_id, split);
      ALTER TABLE project ADD COLUMN split_shares TEXT NOT NULL DEFAULT '{"train":70,"validation":15,"test":15}';
      CREATE TABLE trash_images (
        id INTEGER PRIMARY KEY,
        hash TEXT NOT NULL,
        ext TEXT NOT NULL,
        class_id INTEGER,
        split TEXT NOT NULL,
        file_name TEXT NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        imported_at TEXT NOT NULL,
        batch_id INTEGER,
        pinned INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE undo_journal (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        description TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
    `),
  // The runs table: a name a person can change (existing runs become "Run 1", "Run 2", ... in
  // the order they were made), a star, and training time summed over every attempt (resumes).
  (db) =>
    db.exec(`
      ALTER TABLE runs ADD COLUMN name TEXT NOT NULL DEFAULT '';
      ALTER TABLE runs ADD COLUMN starred INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE runs ADD COLUMN duration_seconds REAL NOT NULL DEFAULT 0;
      UPDATE runs SET name = 'Run ' || (
        SELECT COUNT(*) FROM runs AS earlier
        WHERE earlier.created_at < runs.created_at OR (earlier.created_at = runs.created_at AND earlier.rowid <= runs.rowid)
      );
      UPDATE runs SET duration_seconds = COALESCE((SELECT SUM(seconds) FROM run_epochs WHERE run_id = runs.id), 0);
    `),
  // Migration 6: evaluations of a run per split and weights. The
  // metrics are JSON; per image the ids, labels and probabilities are packed arrays (4 bytes a
  // value), so 10,000 images of 10 classes take about 0.5 MB; the fingerprint is the data set state
  // (image id, label, split) they were computed on, to tell when an evaluation is stale.
  (db) =>
    db.exec(`
      CREATE TABLE evaluations (
        id INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        split TEXT NOT NULL CHECK (split IN ('validation', 'test')),
        weights TEXT NOT NULL CHECK (weights IN ('best', 'last')),
        created_at TEXT NOT NULL,
        metrics TEXT NOT NULL,
        skipped INTEGER NOT NULL,
        image_ids BLOB NOT NULL,
        labels BLOB NOT NULL,
        probabilities BLOB NOT NULL,
        fingerprint TEXT NOT NULL,
        UNIQUE (run_id, split, weights)
      ) STRICT;
    `),
  // Migration 7: the time a run was estimated to take before it started (JSON: seconds, pictures,
  // epochs, pictures/s, engine), kept beside duration_seconds so the estimate is checked afterwards.
  (db) => db.exec('ALTER TABLE runs ADD COLUMN estimate TEXT'),
];
