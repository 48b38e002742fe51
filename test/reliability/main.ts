// The reliability harness on its own: `npm run build && node out/test/reliability/main.js
// [--kills 20] [--seed N]`. Kills the app 20 times per scenario (as the issue asks), injects the
// other faults, feeds the bad-input corpora, prints every trial and then the table. Exits 1 when
// anything was lost or left inconsistent.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatReport } from './report';
import { runAll } from './run-all';

/** Load items the harness does not measure; `npm run bench -- reliability` does what it can. */
export const LOAD_NOT_MEASURED = [
  {
    load: 'soak and 100,000-image project',
    held: 'not measured here',
    figures: 'run `npm run bench -- reliability` and `npm run bench -- large`',
  },
];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { kills: { type: 'string', default: '20' }, seed: { type: 'string' } } });
  const seed = Number(values.seed ?? Date.now() % 100_000);
  const root = mkdtempSync(join(tmpdir(), 'capa-reliability-'));
  try {
    const { report, problems } = await runAll({
      kills: Number(values.kills),
      seed,
      root,
      load: LOAD_NOT_MEASURED,
      log: (line) => console.log(line),
    });
    console.log(
      `\nReliability (seed ${seed}, load average ${loadavg()
        .map((n) => n.toFixed(1))
        .join(' ')}):\n`,
    );
    console.log(formatReport(report));
    if (problems.length > 0) {
      console.log(`\n${problems.length} problems:\n${problems.join('\n')}`);
      process.exitCode = 1;
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

void main();
