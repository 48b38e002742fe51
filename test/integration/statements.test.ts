// Statements prepared once per connection (main/core/db/statements.ts), on a real SQLite file.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/core/db/database';
import { statement } from '../../main/core/db/statements';
import { Project } from '../../main/core/projects/project';
import { removeTempDirs, tempDir } from '../helpers/temp';

afterAll(() => removeTempDirs());

describe('prepared statements', () => {
  it('are prepared once per connection, each connection its own, and come back unplucked', () => {
    const file = join(tempDir(), 'project.db');
    const a = openDatabase(file);
    const b = openDatabase(file);
    const sql = 'SELECT COUNT(*) AS n FROM classes';
    expect(statement(a, sql)).toBe(statement(a, sql));
    expect(statement(b, sql)).not.toBe(statement(a, sql));
    expect(statement(a, sql).pluck().get()).toBe(0);
    expect(statement(a, sql).get()).toEqual({ n: 0 });
    a.close();
    b.close();
  });

  it('serve the repositories reached from a project', () => {
    const project = Project.create(tempDir(), 'p1', 'Birds');
    const robin = project.classes.create('robin');
    expect(project.classes.byName('robin')).toEqual(robin);
    expect(project.classes.list().map((c) => c.name)).toEqual(['robin']);
    expect(project.splits.shares()).toEqual(project.dataset().splitShares);
    expect(project.runs.list()).toEqual([]);
    project.close();
  });
});
