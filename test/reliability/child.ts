// The process the crash harness kills: the real service (createCapaService) on a copy of a
// prepared project, doing one kind of work in a loop until it is SIGKILLed. It reports what is
// committed on stdout, one JSON line each, AFTER the operation returned and BEFORE starting the
// next one, so the parent knows what must survive the kill.
// Usage: node child.js <dataDir> <projectId> <import|relabel|train|evaluate|export> <seed> <sourceDir>
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import { seededRandom } from '../../common/model/augment';
import { allImages, runDone, type ChildLine, type Scenario } from './protocol';

const [dataDir, projectId, scenario, seedText, sourceDir] = process.argv.slice(2) as [string, string, Scenario, string, string];
const random = seededRandom(Number(seedText));
const service = createCapaService({ dataDir, host: 'browser' });
/**
 * Prints a line and resolves once it is handed to the pipe: a pipe that is full makes Node queue
 * writes in this process, where a kill would lose them while the work went on.
 */
const say = (line: ChildLine) => new Promise<void>((resolve) => process.stdout.write(`${JSON.stringify(line)}\n`, () => resolve()));

async function importLoop(): Promise<void> {
  // Each batch folder holds images no other batch has, so every import adds rows and files.
  for (const batch of readdirSync(sourceDir).sort()) {
    const report = await callOrThrow(service, 'importPaths', { projectId, paths: [join(sourceDir, batch)] });
    await say({ kind: 'imported', count: report.imported });
  }
}

async function relabelLoop(): Promise<void> {
  const images = await allImages(service, projectId);
  const classes = (await callOrThrow(service, 'getDataset', { projectId })).classes.map((c) => c.id);
  for (;;) {
    const picked = Array.from({ length: 1 + Math.floor(random() * 3) }, () => images[Math.floor(random() * images.length)]!.id);
    const imageIds = [...new Set(picked)];
    const classId = random() < 0.15 ? null : classes[Math.floor(random() * classes.length)]!;
    await say({ kind: 'intent', imageIds, classId });
    await callOrThrow(service, 'setImageClass', { projectId, imageIds, classId });
    await say({ kind: 'committed', imageIds, classId });
  }
}

async function trainLoop(): Promise<void> {
  for (;;) {
    let runId: string | undefined;
    const done = runDone(service, () => runId);
    runId = (await callOrThrow(service, 'startRun', { projectId })).id;
    await say({ kind: 'run', runId });
    await done;
  }
}

async function evaluateLoop(): Promise<void> {
  const runId = (await callOrThrow(service, 'listRuns', { projectId })).find((run) => run.status === 'completed')!.id;
  // Every split and weights in turn: each evaluation replaces the stored one of its kind.
  const kinds = [
    ['test', 'best'],
    ['validation', 'best'],
    ['test', 'last'],
    ['validation', 'last'],
  ] as const;
  for (let i = 0; ; i++) {
    const [split, weights] = kinds[i % kinds.length]!;
    const evaluation = await callOrThrow(service, 'evaluateRun', { projectId, runId, split, weights });
    await say({ kind: 'evaluated', runId, split, weights, evaluationId: evaluation.id });
  }
}

async function exportLoop(): Promise<void> {
  const runId = (await callOrThrow(service, 'listRuns', { projectId })).find((run) => run.status === 'completed')!.id;
  // Each reports the name it wrote in the exports folder.
  const writers = [
    async () => basename((await callOrThrow(service, 'exportRun', { projectId, runId, format: 'tfjs' })).directory),
    async () => (await callOrThrow(service, 'exportDataset', { projectId, format: 'zip' })).files[0]!,
    async () => (await callOrThrow(service, 'exportProject', { projectId })).files[0]!,
  ];
  for (let i = 0; ; i++) await say({ kind: 'exported', name: await writers[i % writers.length]!() });
}

const loops: Record<Scenario, () => Promise<void>> = {
  import: importLoop,
  relabel: relabelLoop,
  train: trainLoop,
  evaluate: evaluateLoop,
  export: exportLoop,
};
say({ kind: 'ready' })
  .then(loops[scenario])
  .then(() => say({ kind: 'idle' }))
  .catch(async (error: unknown) => {
    await say({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  });
