// `npm run bench -- reliability`: the soak (10 runs back to back on 5,000 images through the real
// service, resident memory of the main process and of the training process after each run), then
// the whole reliability harness (RELIABILITY_KILLS kills per scenario, default 20), and one table.
// The 100,000-image project is its own section (test/bench/large.ts, `npm run bench -- large`).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import { presetById } from '../../common/model/presets';
import { colourImage } from '../helpers/colours';
import { runDone } from '../reliability/protocol';
import { formatReport, type LoadRow } from '../reliability/report';
import { runAll } from '../reliability/run-all';

const SOAK_IMAGES = Number(process.env['CAPA_SOAK_IMAGES'] ?? 5000);
const SOAK_RUNS = 10;
/** Growth from the first run to the last above which memory does not count as flat. */
const FLAT = 0.15;

/** Resident memory of a process in MiB (Linux /proc). */
function residentMiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/** This process's children (the training process is the only one the service starts). */
function children(): number[] {
  return readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
}

/** Trains SOAK_RUNS runs back to back on SOAK_IMAGES pictures; returns the load row. */
async function soak(root: string): Promise<LoadRow> {
  const load = `${SOAK_RUNS} runs back to back on ${SOAK_IMAGES.toLocaleString('en-US')} images (Small CNN 16x16, 1 epoch each)`;
  const pictures = join(root, 'soak-pictures');
  for (const colour of ['red', 'blue'] as const) {
    mkdirSync(join(pictures, colour), { recursive: true });
    for (let i = 0; i < SOAK_IMAGES / 2; i++)
      writeFileSync(join(pictures, colour, `${i}.png`), await colourImage(colour, (colour === 'red' ? 0 : 1_000_000) + i));
  }
  const service = createCapaService({ dataDir: join(root, 'soak'), host: 'electron' });
  try {
    const projectId = (await callOrThrow(service, 'createProject', { name: 'Soak' })).id;
    await callOrThrow(service, 'importPaths', { projectId, paths: [pictures] });
    await callOrThrow(service, 'saveSpec', {
      projectId,
      spec: presetById('small-cnn')!.build({ width: 16, height: 16, channels: 3, resize: 'squash' }, { epochs: 1, batch_size: 64 }),
    });
    const main: number[] = [];
    const trainer: number[] = [];
    const started = performance.now();
    for (let n = 0; n < SOAK_RUNS; n++) {
      let runId: string | undefined;
      const done = runDone(service, () => runId);
      runId = (await callOrThrow(service, 'startRun', { projectId })).id;
      const { status } = await done;
      if (status !== 'completed') return { load, held: 'no', figures: `run ${n + 1} ended ${status}` };
      main.push(residentMiB(process.pid));
      trainer.push(Math.max(...children().map(residentMiB)));
      console.log(`  soak run ${n + 1}: main ${main.at(-1)!.toFixed(0)} MiB, training process ${trainer.at(-1)!.toFixed(0)} MiB`);
    }
    // The first run warms caches (pixel cache, compiled kernels): growth is measured from it.
    const growth = (series: number[]) => series.at(-1)! / series[0]! - 1;
    const flat = growth(main) < FLAT && growth(trainer) < FLAT;
    const figures = `main ${main[0]!.toFixed(0)} -> ${main.at(-1)!.toFixed(0)} MiB, training process ${trainer[0]!.toFixed(0)} -> ${trainer.at(-1)!.toFixed(0)} MiB (resident, after run 1 and run ${SOAK_RUNS}); ${((performance.now() - started) / 1000).toFixed(0)} s`;
    return { load, held: flat ? 'yes (flat)' : 'no (grows)', figures };
  } finally {
    await service.close();
  }
}

export async function reliabilityBench(root: string): Promise<void> {
  console.log('\n== Reliability ==');
  const load = [
    await soak(root),
    {
      load: 'a 100,000-image project (import, open, scroll, search, split, export)',
      held: 'see the large section',
      figures: '`npm run bench -- large` prints each time and the peak memory',
    },
  ];
  const seed = Number(process.env['RELIABILITY_SEED'] ?? Date.now() % 100_000);
  const { report, problems } = await runAll({
    kills: Number(process.env['RELIABILITY_KILLS'] ?? 20),
    seed,
    root: join(root, 'reliability'),
    load,
    log: (line) => console.log(`  ${line}`),
  });
  console.log(
    `\nReliability (seed ${seed}, load average ${loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')}):\n`,
  );
  console.log(formatReport(report));
  if (problems.length > 0) console.log(`\n${problems.length} problems:\n${problems.join('\n')}`);
}
