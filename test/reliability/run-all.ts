// Everything the reliability table reports, run in one go: the crash harness (kills per
// scenario), the training process killed, a full disk, two writers, and the bad-input corpora.
// Shared by the runner (test/reliability/main.ts) and `npm run bench -- reliability`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import { badCliCorpus, badImagesCorpus, badRequestsCorpus, badSpecsCorpus, type CorpusOutcome } from './bad-inputs';
import { diskFullTrials } from './disk-full';
import { describeTrial, prepareTemplate, runCrashHarness } from './harness';
import { SCENARIOS } from './protocol';
import { faultRow, type LoadRow, type Outcome, type ReliabilityReport } from './report';
import { trainerCrashTrial } from './trainer-crash';
import { twoWriterTrials } from './two-writers';

/** How much to run. */
export interface RunAllOptions {
  /** Kills per crash scenario (the issue asks for 20). */
  kills: number;
  /** Seed of every random choice, printed so a run can be replayed. */
  seed: number;
  /** Where to work (a scratch folder, removed by the caller). */
  root: string;
  /** Load items measured elsewhere (the bench), or what was not measured. */
  load: LoadRow[];
  /** Prints progress. */
  log: (line: string) => void;
}

function logOutcome(log: (line: string) => void, outcome: Outcome): void {
  log(`${outcome.name}: ${outcome.problems.length === 0 ? 'survived' : `PROBLEMS: ${outcome.problems.join('; ')}`}`);
}

/** Runs every fault and corpus; returns the table's content and every problem seen. */
export async function runAll(options: RunAllOptions): Promise<{ report: ReliabilityReport; problems: string[] }> {
  const { log, root, seed } = options;
  log(`reliability seed ${seed}`);
  const template = await prepareTemplate(join(root, 'crash'));
  const report: ReliabilityReport = { faults: [], inputs: [], load: options.load };
  const problems: string[] = [];
  const trials = await runCrashHarness(template, { kills: options.kills, seed, onTrial: (trial) => log(describeTrial(trial)) });
  for (const scenario of SCENARIOS)
    report.faults.push(
      faultRow(
        `SIGKILL of the app during ${scenario}`,
        trials.filter((t) => t.scenario === scenario),
      ),
    );
  const trainer: Outcome[] = [];
  for (const after of [1, 3, 6]) trainer.push(await trainerCrashTrial(template, after));
  report.faults.push(faultRow('SIGKILL of the training process mid-run', trainer));
  const disk = await diskFullTrials(join(root, 'disk'));
  if (disk.skipped) log(`full disk: skipped, ${disk.skipped}`);
  report.faults.push(
    faultRow(disk.skipped ? 'full disk (skipped: mount not permitted)' : 'full disk during import and export', disk.trials),
  );
  const writers = await twoWriterTrials(template, seed);
  report.faults.push(faultRow('two writers on one project', writers));
  for (const outcome of [...trainer, ...disk.trials, ...writers]) logOutcome(log, outcome);

  const dataDir = join(root, 'inputs');
  const scratch = join(root, 'scratch', 'a', 'b');
  mkdirSync(scratch, { recursive: true });
  const service = createCapaService({ dataDir, host: 'browser' });
  try {
    const projectId = (await callOrThrow(service, 'createProject', { name: 'Bad input' })).id;
    const corpora: CorpusOutcome[] = [
      await badImagesCorpus(service, projectId, join(scratch, 'pictures'), seed),
      await badSpecsCorpus(service, projectId, 300, seed),
      await badRequestsCorpus(service, 20, seed),
    ];
    corpora.push(await badCliCorpus(dataDir, scratch, 40, seed));
    for (const corpus of corpora) {
      report.inputs.push(corpus.row);
      problems.push(...corpus.problems);
    }
  } finally {
    await service.close();
  }
  for (const outcome of [...trials, ...trainer, ...disk.trials, ...writers]) problems.push(...outcome.problems);
  return { report, problems };
}
