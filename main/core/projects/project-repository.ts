// The project's own record (the one row of `project`): its id, name, split seed and shares, and
// the summary the project list shows.
import type { ProjectSummary, Split } from '../../../preload/contract';
import { Repository } from '../db/statements';

export class ProjectRecord extends Repository {
  /** Writes the record of a new project. */
  create(id: string, name: string): void {
    this.sql('INSERT INTO project (id, name, created_at, split_seed) VALUES (?, ?, ?, ?)').run(id, name, new Date().toISOString(), 1337);
  }

  /** The project's id, or undefined when the database holds no record. */
  id(): string | undefined {
    return (this.sql('SELECT id FROM project').get() as { id: string } | undefined)?.id;
  }

  /** Gives the record a new id and name (an archive imported as a new project). */
  setIdentity(id: string, name: string): void {
    this.sql('UPDATE project SET id = ?, name = ?').run(id, name);
  }

  summary(id: string): ProjectSummary {
    const row = this.sql(
      `SELECT name, created_at AS createdAt,
              (SELECT COUNT(*) FROM images) AS imageCount,
              (SELECT COUNT(*) FROM classes) AS classCount
       FROM project`,
    ).get() as { name: string; createdAt: string; imageCount: number; classCount: number };
    return { id, ...row };
  }

  rename(name: string): void {
    this.sql('UPDATE project SET name = ?').run(name);
  }

  splitSeed(): number {
    return (this.sql('SELECT split_seed FROM project').get() as { split_seed: number }).split_seed;
  }

  splitShares(): Record<Split, number> {
    return JSON.parse(this.sql('SELECT split_shares FROM project').pluck().get() as string) as Record<Split, number>;
  }

  setSplitShares(shares: Record<Split, number>): void {
    this.sql('UPDATE project SET split_shares = ?').run(JSON.stringify(shares));
  }

  /** Writes a consistent copy of the whole database into `file` (even while it is in use). */
  snapshotInto(file: string): void {
    this.sql('VACUUM INTO ?').run(file);
  }
}
