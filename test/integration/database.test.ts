import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, SCHEMA_VERSION } from '../../main/core/db/database';
import { MIGRATIONS } from '../../main/core/db/migrations';
import { CapaError } from '../../common/messages/errors';
import { ProjectLibrary } from '../../main/core/projects/library';
import { DEFAULT_INPUT, PRESETS } from '../../common/model/presets';
import { removeTempDirs, tempDir } from '../helpers/temp';

afterAll(removeTempDirs);

const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('project database', () => {
  it('applies every migration to a new file, in WAL mode with foreign keys on', () => {
    const file = join(tempDir(), 'p.db');
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
      (t) => t.name,
    );
    expect(tables).toEqual([
      'classes',
      'evaluations',
      'images',
      'import_batches',
      'project',
      'run_epochs',
      'runs',
      'specs',
      'trash_images',
      'undo_journal',
    ]);
    db.close();
  });

  it('migration 1 yields STRICT tables that refuse a wrongly typed value', () => {
    const db = new Database(':memory:');
    MIGRATIONS[0]!(db);
    expect(() => db.prepare("INSERT INTO project (id, name, created_at, split_seed) VALUES ('a', 'b', 'c', 'not a number')").run()).toThrow(
      /cannot store TEXT/,
    );
    db.close();
  });

  it('migration 2 adds the owner of a run to a version-1 database that already holds runs', () => {
    const db = new Database(':memory:');
    MIGRATIONS[0]!(db);
    db.prepare("INSERT INTO runs (id, status, spec, class_names, created_at) VALUES ('r', 'running', '{}', '[]', 'now')").run();
    MIGRATIONS[1]!(db);
    expect(db.prepare('SELECT id, owner_pid FROM runs').all()).toEqual([{ id: 'r', owner_pid: null }]);
    db.close();
  });

  it('migration 3 turns an existing spec into the named, selected spec "Model 1"; a project without one gets none', () => {
    for (const spec of ['{"version":1}', null]) {
      const db = new Database(':memory:');
      MIGRATIONS[0]!(db);
      MIGRATIONS[1]!(db);
      db.prepare("INSERT INTO project (id, name, created_at, split_seed, spec) VALUES ('p', 'P', 'now', 1, ?)").run(spec);
      MIGRATIONS[2]!(db);
      const rows = db.prepare('SELECT id, name, spec FROM specs').all() as { id: number; name: string; spec: string }[];
      const selected = (db.prepare('SELECT spec_id FROM project').get() as { spec_id: number | null }).spec_id;
      if (spec) {
        expect(rows).toEqual([{ id: 1, name: 'Model 1', spec }]);
        expect(selected).toBe(1);
      } else {
        expect(rows).toEqual([]);
        expect(selected).toBeNull();
      }
      // Names are unique whatever their case.
      const insert = () => db.prepare("INSERT INTO specs (name, spec, created_at, updated_at) VALUES ('model 1', '{}', 'a', 'b')").run();
      if (spec) expect(insert).toThrow(/UNIQUE/);
      else expect(insert).not.toThrow();
      db.close();
    }
  });

  it('migration 4 leaves existing images unpinned and without a batch, gives shares of 70/15/15, and refuses a bad pinned split', () => {
    const db = new Database(':memory:');
    for (const migration of MIGRATIONS.slice(0, 3)) migration(db);
    db.prepare("INSERT INTO project (id, name, created_at, split_seed) VALUES ('p', 'P', 'now', 1)").run();
    db.prepare(
      "INSERT INTO images (hash, ext, split, file_name, width, height, bytes, imported_at) VALUES ('h', 'png', 'train', 'a.png', 1, 1, 1, 'now')",
    ).run();
    MIGRATIONS[3]!(db);
    expect(db.prepare('SELECT batch_id, pinned FROM images').all()).toEqual([{ batch_id: null, pinned: 0 }]);
    expect(JSON.parse((db.prepare('SELECT split_shares FROM project').get() as { split_shares: string }).split_shares)).toEqual({
      train: 70,
      validation: 15,
      test: 15,
    });
    expect(() => db.prepare("INSERT INTO import_batches (label, created_at, pinned_split) VALUES ('x', 'now', 'holdout')").run()).toThrow(
      /CHECK/,
    );
    expect(() => db.prepare("INSERT INTO undo_journal (id, description, payload, created_at) VALUES (2, 'a', '{}', 'now')").run()).toThrow(
      /CHECK/,
    );
    db.close();
  });

  it('migration 5 names existing runs "Run 1", "Run 2"... in creation order, unstarred, with their epochs\' time as duration', () => {
    const db = new Database(':memory:');
    for (const migration of MIGRATIONS.slice(0, 4)) migration(db);
    const insert = db.prepare("INSERT INTO runs (id, status, spec, class_names, created_at) VALUES (?, 'completed', '{}', '[]', ?)");
    insert.run('late', '2026-02-01T00:00:00.000Z');
    insert.run('early', '2026-01-01T00:00:00.000Z');
    insert.run('tie', '2026-02-01T00:00:00.000Z');
    const epoch = db.prepare('INSERT INTO run_epochs (run_id, epoch, loss, accuracy, seconds) VALUES (?, ?, 1, 0.5, ?)');
    epoch.run('late', 1, 1.5);
    epoch.run('late', 2, 2.25);
    MIGRATIONS[4]!(db);
    expect(db.prepare('SELECT id, name, starred, duration_seconds FROM runs ORDER BY name').all()).toEqual([
      { id: 'early', name: 'Run 1', starred: 0, duration_seconds: 0 },
      { id: 'late', name: 'Run 2', starred: 0, duration_seconds: 3.75 },
      { id: 'tie', name: 'Run 3', starred: 0, duration_seconds: 0 },
    ]);
    expect(() => db.prepare("UPDATE runs SET starred = 'yes'").run()).toThrow(/cannot store TEXT value in INTEGER column/);
    db.close();
  });

  it('migration 6 keeps one evaluation per run, split and weights, refuses an unknown split, and drops them with their run', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    for (const migration of MIGRATIONS) migration(db);
    db.prepare("INSERT INTO runs (id, status, spec, class_names, created_at) VALUES ('r', 'completed', '{}', '[]', 'now')").run();
    const insert = db.prepare(
      "INSERT INTO evaluations (run_id, split, weights, created_at, metrics, skipped, image_ids, labels, probabilities, fingerprint) VALUES ('r', ?, ?, 'now', '{}', 0, x'', x'', x'', 'f')",
    );
    insert.run('test', 'best');
    insert.run('test', 'last');
    expect(() => insert.run('test', 'best')).toThrow(/UNIQUE/);
    expect(() => insert.run('train', 'best')).toThrow(/CHECK/);
    db.prepare("DELETE FROM runs WHERE id = 'r'").run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM evaluations').get()).toEqual({ n: 0 });
    db.close();
  });

  it('upgrades a version-1 project file in place, in one step', () => {
    const file = join(tempDir(), 'old.db');
    const raw = new Database(file);
    MIGRATIONS[0]!(raw);
    raw.pragma('user_version = 1');
    raw.close();
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect((db.prepare('PRAGMA table_info(runs)').all() as { name: string }[]).map((c) => c.name)).toContain('owner_pid');
    db.close();
  });

  it('refuses a database from a newer Capa without changing it', () => {
    const file = join(tempDir(), 'future.db');
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const before = digest(file);
    const error = (() => {
      try {
        openDatabase(file);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(CapaError);
    expect((error as CapaError).code).toBe('database-too-new');
    expect((error as CapaError).message).toMatch(/newer version of Capa .* Update Capa/);
    expect(digest(file)).toBe(before);
  });

  it('refuses a file that is not a database, untouched', () => {
    const file = join(tempDir(), 'notes.db');
    writeFileSync(file, 'These are my notes, not a database. '.repeat(200));
    const before = digest(file);
    expect(() => openDatabase(file)).toThrow(expect.objectContaining({ code: 'database-corrupt' }));
    expect(digest(file)).toBe(before);
  });
});

describe('interrupted runs', () => {
  it("marks runs of a process that is gone as interrupted, and leaves a live process's run alone", () => {
    const library = new ProjectLibrary(tempDir());
    const project = library.create('Runs');
    const runs = project.runs;
    const spec = PRESETS.find((p) => p.id === 'small-cnn')!.build(DEFAULT_INPUT);
    runs.create('mine', spec, ['a', 'b']);
    runs.create('orphan', spec, ['a', 'b']);
    project.db.prepare("UPDATE runs SET status = 'running'").run();
    expect(runs.markInterrupted(() => false)).toBe(2);
    project.db.prepare("UPDATE runs SET status = 'running', owner_pid = 999999999 WHERE id = 'orphan'").run();
    project.db.prepare("UPDATE runs SET status = 'running' WHERE id = 'mine'").run();
    expect(runs.markInterrupted()).toBe(1);
    expect(runs.get('orphan')).toMatchObject({
      status: 'interrupted',
      error: { message: expect.stringContaining('closed or crashed'), key: 'runs.training.appClosed' },
    });
    expect(runs.get('mine').status).toBe('running');
    library.close();
  });
});

describe('project library', () => {
  it('keeps projects across a restart and lists them newest first', () => {
    const dir = tempDir();
    const first = new ProjectLibrary(dir);
    const a = first.create('Cats and dogs');
    const b = first.create('Leaves');
    first.close();
    const second = new ProjectLibrary(dir);
    const names = second.list().map((p) => p.name);
    expect(new Set(names)).toEqual(new Set(['Cats and dogs', 'Leaves']));
    expect(second.get(a.id).summary().name).toBe('Cats and dogs');
    expect(second.get(b.id).summary().name).toBe('Leaves');
    second.close();
  });

  it('refuses ids that are not project ids, so nothing outside the data folder is opened', () => {
    const library = new ProjectLibrary(tempDir());
    for (const id of ['../etc', '/tmp', 'x'.repeat(36), '']) {
      expect(() => library.get(id)).toThrow(expect.objectContaining({ code: 'not-found' }));
    }
    library.close();
  });
});
