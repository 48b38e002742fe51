// The crash harness: a child process runs the real service on a copy of a prepared project
// (import, relabelling, training, evaluation or export in a loop) and is SIGKILLed at a random moment
// (seeded and printed, so a failure can be replayed). Its process group is killed, so the
// training process dies with it, as it does when the app crashes. Then the project is reopened
// and checked: SQLite's integrity and foreign keys, store and database agree once the cleanup
// step ran, no committed label or import is lost, no run is left running, an interrupted run
// resumes to the end, the last evaluation reported stored reads back whole, no export is
// half-written under its final name.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { RunInfo } from '../../preload/contract';
import { reclaimLeftovers } from '../../main/core/projects/cleanup';
import { projectPaths } from '../../main/core/projects/project-paths';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import type { CapaService } from '../../main/core/service/service-types';
import { seededRandom } from '../../common/model/augment';
import { PRESETS } from '../../common/model/presets';
import { writeShapeDataset } from '../helpers/shapes';
import { projectProblems } from './check';
import { allImages, runDone, SCENARIOS, type ChildLine, type Scenario } from './protocol';

/** A prepared project (images, a spec, one completed run) that every trial copies. */
export interface Template {
  /** Folder the harness works in. */
  root: string;
  /** Data folder holding the prepared project. */
  dataDir: string;
  /** Id of the prepared project. */
  projectId: string;
  /** Folder of batch folders with images the project does not hold yet (for the import scenario). */
  sources: string;
  /** Images the prepared project holds. */
  images: number;
}

/** The outcome of one kill. */
export interface Trial {
  /** What was running. */
  scenario: Scenario;
  /** Seed of the child's work and of the kill moment. */
  seed: number;
  /** Milliseconds after the child was ready when it was killed. */
  killedAfterMs: number;
  /** Committed items (labels, imported images, runs) that did not survive: must be 0. */
  lost: number;
  /** Committed items the parent checked. */
  committed: number;
  /** What was wrong after reopening; empty when the project survived. */
  problems: string[];
}

/** Latest kill moment after the child is ready, per scenario: long enough to land inside the work. */
const KILL_WINDOW_MS: Record<Scenario, number> = { import: 4000, relabel: 1500, train: 6000, evaluate: 2500, export: 3000 };

const INPUT = { width: 16, height: 16, channels: 3, resize: 'squash' } as const;

/** Makes the project every trial starts from, and the images the import scenario adds. */
export async function prepareTemplate(root: string): Promise<Template> {
  process.env['CAPA_BACKEND'] = 'wasm'; // the training processes inherit it: same backend everywhere
  const dataDir = join(root, 'template');
  const shapes = await writeShapeDataset(join(root, 'shapes'), { perClass: 12, size: 16, seed: 3 });
  const sources = join(root, 'sources');
  // About 3 s of importing here: longer than the kill window, so most kills land inside it.
  for (let batch = 0; batch < 16; batch++)
    await writeShapeDataset(join(sources, `batch-${String(batch).padStart(2, '0')}`), { perClass: 20, size: 32, seed: 100 + batch });
  const service = createCapaService({ dataDir, host: 'browser' });
  try {
    const projectId = (await callOrThrow(service, 'createProject', { name: 'Crash' })).id;
    const report = await callOrThrow(service, 'importPaths', { projectId, paths: [shapes] });
    const spec = PRESETS.find((p) => p.id === 'small-cnn')!.build(INPUT, { epochs: 12, batch_size: 8, seed: 7 });
    await callOrThrow(service, 'saveSpec', { projectId, spec });
    let runId: string | undefined;
    const done = runDone(service, () => runId);
    runId = (await callOrThrow(service, 'startRun', { projectId })).id;
    if ((await done).status !== 'completed') throw new Error('The template run did not complete.');
    return { root, dataDir, projectId, sources, images: report.imported };
  } finally {
    await service.close();
  }
}

/** SIGKILLs a process group; one that already ended (a child that failed) is left alone. */
function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is gone already; the child's 'failed' line says why.
  }
}

/** A running child: resolves `ready` when its service is up and `ended` with its lines when it exits. */
export interface Child {
  /** Resolves when the child's service is up and its work starts. */
  ready: Promise<void>;
  /** Resolves with every line it printed, once it has exited. */
  ended: Promise<ChildLine[]>;
  /** SIGKILLs it and its training process. */
  kill(): void;
}

/** Starts a child doing `scenario` on the project in `dataDir`. */
export function startChild(template: Template, dataDir: string, scenario: Scenario, seed: number): Child {
  const fromSource = __filename.endsWith('.ts');
  const entry = join(__dirname, fromSource ? 'child.ts' : 'child.js');
  const args = [...(fromSource ? ['--import', 'tsx'] : []), entry, dataDir, template.projectId, scenario, String(seed), template.sources];
  // Its own process group, so one kill takes the training process too.
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: ChildLine[] = [];
  let pending = '';
  let onReady = () => {};
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const ended = new Promise<ChildLine[]>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const parts = (pending + chunk.toString('utf8')).split('\n');
      pending = parts.pop()!;
      for (const part of parts) {
        const line = JSON.parse(part) as ChildLine;
        lines.push(line);
        if (line.kind === 'ready') onReady();
      }
    });
    child.on('error', reject);
    // 'close', not 'exit': the process can be gone while its last lines still sit in the pipe,
    // and checking against a cut-off list would count newer labels as lost.
    child.on('close', () => {
      onReady(); // a child that failed before it was ready ends the wait too
      resolve(lines);
    });
  });
  return { ready, ended, kill: () => killGroup(child.pid!) };
}

/** Labels the child committed must be there; the one in flight at the kill may be either value. */
export function lostLabels(
  lines: readonly ChildLine[],
  labels: ReadonlyMap<number, number | null>,
): { lost: number; committed: number; examples: string[] } {
  const committed = new Map<number, number | null>();
  let inFlight: Extract<ChildLine, { kind: 'intent' }> | null = null;
  for (const line of lines) {
    if (line.kind === 'intent') inFlight = line;
    if (line.kind === 'committed') {
      inFlight = null;
      for (const id of line.imageIds) committed.set(id, line.classId);
    }
  }
  let lost = 0;
  const examples: string[] = [];
  for (const [id, classId] of committed) {
    const now = labels.get(id);
    const allowed = now === classId || (inFlight?.imageIds.includes(id) && now === inFlight.classId);
    if (!allowed && ++lost <= 3) examples.push(`image ${id} was committed to class ${classId}, found ${now}`);
  }
  return { lost, committed: committed.size, examples };
}

/** Reopens the project as the app does and checks what the children committed. */
export async function checkAfterKill(
  template: Template,
  dataDir: string,
  scenario: Scenario,
  lines: readonly ChildLine[],
): Promise<Omit<Trial, 'scenario' | 'seed' | 'killedAfterMs'>> {
  const projectDir = join(dataDir, template.projectId);
  const problems = lines.flatMap((line) => (line.kind === 'failed' ? [`the child failed before the kill: ${line.message}`] : []));
  // The cleanup step the app runs on open, without its grace period: the writer is known to be dead.
  const db = new Database(projectPaths(projectDir).database);
  reclaimLeftovers(projectDir, db, { graceMs: 0 });
  db.close();
  problems.push(...(await projectProblems(projectDir)));
  const service = createCapaService({ dataDir, host: 'browser' });
  const projectId = template.projectId;
  let lost = 0;
  let committed = 0;
  try {
    const images = await allImages(service, projectId);
    const labels = new Map(images.map((image) => [image.id, image.classId]));
    const counted = lostLabels(lines, labels);
    problems.push(...counted.examples);
    const imported = lines.reduce((sum, line) => sum + (line.kind === 'imported' ? line.count : 0), 0);
    lost += counted.lost + Math.max(0, template.images + imported - images.length);
    committed += counted.committed + imported;
    const runs = await callOrThrow(service, 'listRuns', { projectId });
    for (const run of runs)
      if (run.status === 'queued' || run.status === 'running') problems.push(`${run.name} is still "${run.status}" after reopening`);
    const started = lines.flatMap((line) => (line.kind === 'run' ? [line.runId] : []));
    lost += started.filter((id) => !runs.some((run) => run.id === id)).length;
    committed += started.length;
    // Whole is checked above for every export; here, that a finished one is still there.
    const exported = new Set(lines.flatMap((line) => (line.kind === 'exported' ? [line.name] : [])));
    lost += [...exported].filter((name) => !existsSync(join(projectPaths(projectDir).exports, name))).length;
    committed += exported.size;
    // The newest evaluation reported stored of each kind (split and weights) is still there and
    // whole (metrics and per-image rows read back); an older one of its kind was replaced by it.
    const newest = new Map(
      lines.flatMap((line) => (line.kind === 'evaluated' ? [[`${line.split}/${line.weights}`, line.evaluationId] as const] : [])),
    );
    for (const evaluationId of newest.values()) {
      const stored = await callOrThrow(service, 'getEvaluation', { projectId, evaluationId }).catch(() => null);
      if (!stored) lost += 1;
      else if (stored.metrics.confusion.flat().reduce((sum, n) => sum + n, 0) !== stored.images)
        problems.push(`evaluation ${evaluationId} is not whole`);
    }
    committed += newest.size;
    if (scenario === 'train') problems.push(...(await resumeProblems(service, projectId, runs)));
  } finally {
    await service.close();
  }
  if (lost > 0) problems.push(`${lost} committed items lost`);
  return { lost, committed, problems };
}

/** The latest interrupted run must resume and complete. */
async function resumeProblems(service: CapaService, projectId: string, runs: readonly RunInfo[]): Promise<string[]> {
  const last = runs.filter((run) => run.status === 'interrupted').sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  if (!last) return [];
  const resumed = await service.call('resumeRun', { projectId, runId: last.id });
  if (!resumed.ok) return [`${last.name} could not be resumed: ${resumed.error.message}`];
  const done = await runDone(service, () => last.id);
  return done.status === 'completed' ? [] : [`${last.name} resumed but ended "${done.status}": ${done.error ?? ''}`];
}

/** A fresh copy of the prepared data folder, for one trial. */
export function copyTemplate(template: Template, name: string): string {
  const dataDir = join(template.root, 'trials', name);
  mkdirSync(dataDir, { recursive: true });
  cpSync(template.dataDir, dataDir, { recursive: true });
  return dataDir;
}

/** Kills one child running `scenario` and checks the project it leaves. */
export async function runTrial(template: Template, scenario: Scenario, seed: number): Promise<Trial> {
  const dataDir = copyTemplate(template, `${scenario}-${seed}`);
  const killedAfterMs = Math.floor(seededRandom(seed)() * KILL_WINDOW_MS[scenario]);
  const child = startChild(template, dataDir, scenario, seed);
  await child.ready;
  setTimeout(child.kill, killedAfterMs);
  const lines = await child.ended;
  return { scenario, seed, killedAfterMs, ...(await checkAfterKill(template, dataDir, scenario, lines)) };
}

/** Runs `kills` trials of each scenario from `seed`, reporting each as it ends. */
export async function runCrashHarness(
  template: Template,
  options: { kills: number; seed: number; scenarios?: readonly Scenario[]; onTrial?: (trial: Trial) => void },
): Promise<Trial[]> {
  const trials: Trial[] = [];
  for (const scenario of options.scenarios ?? SCENARIOS) {
    for (let i = 0; i < options.kills; i++) {
      const trial = await runTrial(template, scenario, options.seed + i);
      options.onTrial?.(trial);
      trials.push(trial);
    }
  }
  return trials;
}

/** One line per trial, for the log: scenario, seed, kill moment, outcome. */
export function describeTrial(trial: Trial): string {
  const outcome = trial.problems.length === 0 ? 'survived' : `PROBLEMS: ${trial.problems.join('; ')}`;
  return `${trial.scenario.padEnd(8)} seed ${trial.seed} killed after ${trial.killedAfterMs} ms, ${trial.committed} committed items checked: ${outcome}`;
}
