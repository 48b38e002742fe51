import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, SCHEMA_VERSION } from '../../main/core/db/database';
import { MIGRATIONS } from '../../main/core/db/migrations';
import { CapaError } from '../../main/core/errors';
import { ProjectLibrary } from '../../main/core/library';
import { removeTempDirs, tempDir } from '../helpers/temp';

afterAll(removeTempDirs);

const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('project database', () => {
  it('applies every migration to a new file, in WAL mode with foreign keys on', () => {
    const file = join(tempDir(), 'p.db');
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(['classes', 'images', 'project', 'run_epochs', 'runs']);
    db.close();
  });

  it('migration 1 yields STRICT tables that refuse a wrongly typed value', () => {
    const db = new Database(':memory:');
    MIGRATIONS[0]!(db);
    expect(() => db.prepare("INSERT INTO project (id, name, created_at, split_seed) VALUES ('a', 'b', 'c', 'not a number')").run()).toThrow(/cannot store TEXT/);
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
    expect(second.resolve('Leaves').id).toBe(b.id);
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
