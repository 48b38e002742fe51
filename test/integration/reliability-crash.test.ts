// The crash harness in the default test run: every scenario killed RELIABILITY_KILLS times
// (default 2; `node out/test/reliability/main.js` does 20 each and prints the table). The kill
// moments come from RELIABILITY_SEED (default: the time), printed so a failure can be replayed.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import { copyTemplate, describeTrial, prepareTemplate, runTrial, type Template } from '../reliability/harness';
import { runDone } from '../reliability/protocol';
import { SCENARIOS } from '../reliability/protocol';
import { removeTempDirs, tempDir } from '../helpers/temp';
import { projectPaths } from '../../main/core/projects/project-paths';

const KILLS = Number(process.env['RELIABILITY_KILLS'] ?? 2);
const SEED = Number(process.env['RELIABILITY_SEED'] ?? Date.now() % 100_000);
let template: Template;

beforeAll(async () => {
  console.log(`crash harness seed ${SEED} (replay with RELIABILITY_SEED=${SEED})`);
  template = await prepareTemplate(tempDir('capa-crash-'));
}, 300_000);

afterAll(() => removeTempDirs());

describe('SIGKILL at a random moment, then reopen', () => {
  for (const scenario of SCENARIOS) {
    it(`loses nothing committed and leaves a consistent project: ${scenario}`, { timeout: 600_000 }, async () => {
      for (let i = 0; i < KILLS; i++) {
        const trial = await runTrial(template, scenario, SEED + i);
        console.log(describeTrial(trial));
        expect(trial.problems).toEqual([]);
        expect(trial.lost).toBe(0);
      }
    });
  }
});

describe('a run killed after its last epoch was stored, before it was marked completed', () => {
  it('is interrupted, and Resume finishes it instead of refusing', async () => {
    const dataDir = copyTemplate(template, 'last-epoch');
    const db = new Database(projectPaths(join(dataDir, template.projectId)).database);
    // What the kill leaves: every epoch stored, the status still "running", owned by a dead process.
    db.prepare("UPDATE runs SET status = 'running', owner_pid = 2147483647").run();
    db.close();
    const service = createCapaService({ dataDir, host: 'browser' });
    try {
      const projectId = template.projectId;
      const [run] = await callOrThrow(service, 'listRuns', { projectId });
      expect(run).toMatchObject({ status: 'interrupted' });
      expect(run!.epochs).toHaveLength(run!.spec.training.epochs);
      const done = runDone(service, () => run!.id);
      await callOrThrow(service, 'resumeRun', { projectId, runId: run!.id });
      expect(await done).toMatchObject({ status: 'completed' });
    } finally {
      await service.close();
    }
  });
});
