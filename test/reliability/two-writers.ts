// Two writers on one project: another process holding a write transaction (as the CLI or a
// second window does while it writes), briefly and for longer than the busy timeout, and two app
// instances importing and relabelling at the same time. Writes must wait their turn, the second
// writer must get 'busy' with a sentence when it waits too long, and nothing may be corrupted.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BUSY_TIMEOUT_MS } from '../../main/core/db/database';
import { projectPaths } from '../../main/core/projects/project-paths';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import { projectProblems } from './check';
import { checkAfterKill, copyTemplate, startChild, type Template } from './harness';
import { allImages } from './protocol';
import type { Outcome } from './report';

// Plain better-sqlite3 in another process: BEGIN IMMEDIATE takes the write lock and keeps it.
const HOLDER = `
const Database = require(process.argv[1]);
const db = new Database(process.argv[2]);
db.prepare('BEGIN IMMEDIATE').run();
db.prepare('UPDATE project SET name = name').run();
process.stdout.write('locked\\n');
setTimeout(() => { db.prepare('COMMIT').run(); db.close(); }, Number(process.argv[3]));`;

/** Holds the write lock of `dbFile` for `ms` from another process; resolves once it holds it, with its end. */
function holdWriteLock(dbFile: string, ms: number): Promise<{ released: Promise<void> }> {
  const child = spawn(process.execPath, ['-e', HOLDER, require.resolve('better-sqlite3'), dbFile, String(ms)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const released = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.stdout.once('data', () => resolve({ released }));
    child.once('error', reject);
  });
}

/** A relabel while another process holds the write lock for `holdMs`. */
async function relabelWhileHeld(template: Template, holdMs: number): Promise<Outcome> {
  const dataDir = copyTemplate(template, `held-${holdMs}`);
  const projectId = template.projectId;
  const service = createCapaService({ dataDir, host: 'electron' });
  const waitsLonger = holdMs > BUSY_TIMEOUT_MS;
  const name = waitsLonger
    ? `a write held up ${holdMs / 1000} s (busy timeout ${BUSY_TIMEOUT_MS / 1000} s) is refused with "busy"`
    : `a write held up ${holdMs / 1000} s waits its turn`;
  const problems: string[] = [];
  try {
    const [image] = await allImages(service, projectId);
    const { classes } = await callOrThrow(service, 'getDataset', { projectId });
    const target = classes.find((c) => c.id !== image!.classId)!.id;
    const { released } = await holdWriteLock(projectPaths(join(dataDir, projectId)).database, holdMs);
    const result = await service.call('setImageClass', { projectId, imageIds: [image!.id], classId: target });
    if (waitsLonger) {
      if (result.ok) problems.push('the write went through while another process held the project');
      else if (result.error.code !== 'busy' || !/another Capa window or command/.test(result.error.message))
        problems.push(`expected "busy", got "${result.error.code}": ${result.error.message}`);
      await released;
      const retried = await service.call('setImageClass', { projectId, imageIds: [image!.id], classId: target });
      if (!retried.ok) problems.push(`the same write failed once the project was free: ${retried.error.message}`);
    } else if (!result.ok) {
      problems.push(`the write did not wait its turn: ${result.error.code}: ${result.error.message}`);
    }
    await released;
    const now = (await allImages(service, projectId)).find((i) => i.id === image!.id);
    const lost = now?.classId === target ? 0 : 1;
    problems.push(...(await projectProblems(join(dataDir, projectId))));
    return { name, problems, lost };
  } finally {
    await service.close();
  }
}

/** Opening a project and reading it while another process writes must not wait for the writer. */
async function readWhileHeld(template: Template): Promise<Outcome> {
  const dataDir = copyTemplate(template, 'read-while-held');
  const { released } = await holdWriteLock(projectPaths(join(dataDir, template.projectId)).database, BUSY_TIMEOUT_MS + 2000);
  const service = createCapaService({ dataDir, host: 'electron' });
  try {
    const result = await service.call('getDataset', { projectId: template.projectId });
    const problems = result.ok ? [] : [`opening the project failed while another process wrote: ${result.error.message}`];
    await released;
    return { name: 'opening and reading a project while another process writes', problems, lost: 0 };
  } finally {
    await service.close();
  }
}

/** Two app instances on one project: one imports while the other relabels, both killed after `ms`. */
async function importAndRelabelAtOnce(template: Template, seed: number, ms: number): Promise<Outcome> {
  const dataDir = copyTemplate(template, `two-${seed}`);
  const importer = startChild(template, dataDir, 'import', seed);
  const relabeller = startChild(template, dataDir, 'relabel', seed + 1);
  await Promise.all([importer.ready, relabeller.ready]);
  setTimeout(() => {
    importer.kill();
    relabeller.kill();
  }, ms);
  const lines = (await Promise.all([importer.ended, relabeller.ended])).flat();
  const { problems, lost } = await checkAfterKill(template, dataDir, 'relabel', lines);
  return { name: 'two app instances import and relabel at once', problems, lost };
}

/** Every two-writer trial. */
export async function twoWriterTrials(template: Template, seed: number): Promise<Outcome[]> {
  return [
    await relabelWhileHeld(template, 1000),
    await relabelWhileHeld(template, BUSY_TIMEOUT_MS + 2000),
    await readWhileHeld(template),
    await importAndRelabelAtOnce(template, seed, 2500),
  ];
}
