// The crash harness in the default test run: every scenario killed RELIABILITY_KILLS times
// (default 2; `node out/test/reliability/main.js` does 20 each and prints the table). The kill
// moments come from RELIABILITY_SEED (default: the time), printed so a failure can be replayed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeTrial, prepareTemplate, runTrial, type Template } from '../reliability/harness';
import { SCENARIOS } from '../reliability/protocol';
import { removeTempDirs, tempDir } from '../helpers/temp';

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
