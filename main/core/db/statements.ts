// Statements prepared once per connection: a repository asks for its SQL by text and gets the
// statement this connection prepared the first time, instead of compiling it again on every call.
import type { Statement } from 'better-sqlite3';
import type { Db } from './database';

const cache = new WeakMap<Db, Map<string, Statement>>();

/** The statement for `sql` on `db`, prepared on first use (returning rows as objects, not plucked). */
export function statement(db: Db, sql: string): Statement {
  let statements = cache.get(db);
  if (!statements) cache.set(db, (statements = new Map()));
  let prepared = statements.get(sql);
  if (!prepared) statements.set(sql, (prepared = db.prepare(sql)));
  // A caller may have plucked it (`.pluck()` changes the statement itself): back to whole rows.
  else if (prepared.reader) prepared.pluck(false);
  return prepared;
}

/** The base of every repository: the connection and its prepared statements. */
export abstract class Repository {
  constructor(protected readonly db: Db) {}

  /** The statement for `text`, prepared once on this connection. */
  protected sql(text: string): Statement {
    return statement(this.db, text);
  }
}
