// Opens a project database: WAL, foreign keys, a busy timeout, and forward-only numbered
// migrations applied in one transaction. A database from a newer Capa is refused, untouched.
import Database from 'better-sqlite3';
import { CapaError } from '../../../common/messages/errors';
import { said } from '../../../common/messages/said';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

/**
 * Milliseconds a writer waits for another (a second window, the CLI) before giving up. Write
 * transactions therefore begin IMMEDIATE (`db.transaction(fn).immediate()`): a deferred one that
 * reads first cannot wait to upgrade to a write, SQLite answers SQLITE_BUSY at once instead.
 */
export const BUSY_TIMEOUT_MS = 5000;

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

export function openDatabase(file: string, options: { readonly?: boolean } = {}): Db {
  let db: Db;
  try {
    db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Reading the version forces SQLite to read the header: a file that is not a database fails here.
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      db.close();
      throw new CapaError('database-too-new', said('errors.database.tooNew', { version, supported: SCHEMA_VERSION }));
    }
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    if (!options.readonly) migrate(db, version);
    return db;
  } catch (error) {
    if (error instanceof CapaError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new CapaError('database-corrupt', said('errors.database.notProject', { file }));
    }
    throw error;
  }
}

function migrate(db: Db, from: number): void {
  if (from === SCHEMA_VERSION) return;
  db.transaction(() => {
    for (let version = from; version < SCHEMA_VERSION; version++) MIGRATIONS[version]!(db);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
