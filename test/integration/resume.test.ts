// Kill and resume on a real run, through the service: the training process is SIGKILLed after an
// epoch, the project stays consistent and the run is interrupted; resuming continues the SAME run
// from its checkpoint, and its per-epoch metrics equal those of a run that was never interrupted.
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EpochMetrics, RunEvent, RunInfo, Said } from '../../preload/contract';
import { runEnded } from '../helpers/train';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import type { CapaService } from '../../main/core/service/service-types';
import { PRESETS } from '../../common/model/presets';
import { forkTrainerPort } from '../../main/core/runs/trainer-client';
import { CHECKPOINT_FILE, projectPaths } from '../../main/core/projects/project-paths';
import type { TrainerPort } from '../../main/trainer/protocol';
import { writeShapeDataset } from '../helpers/shapes';
import { sayIn } from '../helpers/say';
import { removeTempDirs, tempDir } from '../helpers/temp';

let service: CapaService;
let dataDir: string;
let projectId: string;
const ports: TrainerPort[] = [];
const events: RunEvent[] = [];

beforeAll(async () => {
  process.env['CAPA_BACKEND'] = 'wasm'; // the forked trainer inherits it: same backend on every machine
  dataDir = tempDir();
  const shapes = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 20, size: 24, seed: 5 });
  service = createCapaService({
    dataDir,
    host: 'browser',
    spawnTrainer: () => {
      const port = forkTrainerPort();
      ports.push(port);
      return port;
    },
  });
  service.onRunEvent((event) => events.push(event));
  projectId = (await callOrThrow(service, 'createProject', { name: 'Resume' })).id;
  await callOrThrow(service, 'importPaths', { projectId, paths: [shapes] });
  const spec = PRESETS.find((p) => p.id === 'small-cnn')!.build(
    { width: 24, height: 24, channels: 3, resize: 'squash' },
    { epochs: 5, batch_size: 8, seed: 21 },
  );
  Object.assign(spec.augmentation, { flip: 'horizontal', rotation: 0.1 });
  await callOrThrow(service, 'saveSpec', { projectId, spec });
});

afterAll(async () => {
  await service.close();
  removeTempDirs();
});

/** Resolves with the run's `done` event. */
const doneOf = (runId: () => string | undefined) => runEnded(service, runId);

async function trainToEnd(): Promise<RunInfo> {
  let id: string | undefined;
  const done = doneOf(() => id);
  id = (await callOrThrow(service, 'startRun', { projectId })).id;
  expect((await done).status).toBe('completed');
  return callOrThrow(service, 'getRun', { projectId, runId: id });
}

const measured = (epochs: EpochMetrics[]) => epochs.map(({ seconds: _seconds, ...rest }) => rest);
let whole: RunInfo;

describe('a run killed and resumed', () => {
  it('continues after a SIGKILL from its last checkpoint and reproduces the uninterrupted run', async () => {
    whole = await trainToEnd();
    expect(whole.epochs).toHaveLength(5);

    // The second run: its training process is killed as soon as epoch 2 is reported.
    let id: string | undefined;
    const killedAfter = 2;
    const stopKilling = service.onRunEvent((event) => {
      if (event.runId === id && event.kind === 'epoch' && event.metrics.epoch === killedAfter) ports.at(-1)!.kill();
    });
    const interrupted = doneOf(() => id);
    id = (await callOrThrow(service, 'startRun', { projectId })).id;
    const cut = await interrupted;
    stopKilling();
    expect(cut.status).toBe('interrupted');
    expect(cut.error?.message).toMatch(
      /^The training process stopped unexpectedly \(exit code 9\)\..*Resume it to continue after its last finished epoch\.$/,
    );
    // The sentence has its key and values, so the screen says it in the person's language.
    expect(cut.error).toMatchObject({ key: 'runs.training.trainerKilled', params: { code: 9 } });
    expect(sayIn('es', cut.error!)).toMatch(
      /^El proceso de entrenamiento se detuvo de forma inesperada \(código de salida 9\)\..*Reanúdalo para seguir después de su última época terminada\.$/,
    );

    // Consistent: the run is interrupted with the epochs it finished, its best weights and checkpoint are whole.
    const runDir = projectPaths(join(dataDir, projectId)).run(id);
    const stored = await callOrThrow(service, 'getRun', { projectId, runId: id });
    expect(stored).toMatchObject({ status: 'interrupted', finishedAt: expect.any(String) });
    // Stored with its key (runs.error holds the sentence as JSON) and read back whole.
    expect(stored.error).toEqual(cut.error);
    expect(stored.epochs.length).toBeGreaterThanOrEqual(killedAfter);
    expect(measured(stored.epochs)).toEqual(measured(whole.epochs.slice(0, stored.epochs.length)));
    expect(existsSync(join(runDir, 'best', 'model.json'))).toBe(true);
    expect(existsSync(join(runDir, CHECKPOINT_FILE))).toBe(true);
    expect((await callOrThrow(service, 'getRun', { projectId, runId: whole.id })).status).toBe('completed');
    const db = new Database(projectPaths(join(dataDir, projectId)).database, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();

    // Resumed in a new training process: the same run, continued, equal to the uninterrupted one.
    const resumedDone = doneOf(() => id);
    const queued = await callOrThrow(service, 'resumeRun', { projectId, runId: id });
    expect(queued).toMatchObject({ id, status: 'queued', error: null });
    expect((await resumedDone).status).toBe('completed');
    const resumed = await callOrThrow(service, 'getRun', { projectId, runId: id });
    expect(ports.length).toBeGreaterThanOrEqual(2);
    const started = events.find((e) => e.runId === id && e.kind === 'started' && e.resumedFrom !== undefined);
    expect(started).toMatchObject({ resumedFrom: expect.any(Number) });
    const resumedFrom = started?.kind === 'started' ? started.resumedFrom! : -1;
    // The log says where it resumed, keyed with its numbers.
    const resumedLine = events.find((e) => e.runId === id && e.kind === 'log' && e.key === 'runs.train.resumed');
    expect(resumedLine).toMatchObject({ message: `Resumed after epoch ${resumedFrom} of 5.`, params: { epoch: resumedFrom, epochs: 5 } });
    expect(sayIn('es', resumedLine as Said)).toBe(`Se reanudó después de la época ${resumedFrom} de 5.`);
    expect(measured(resumed.epochs)).toEqual(measured(whole.epochs));
    expect(resumed.bestEpoch).toBe(whole.bestEpoch);
    expect(resumed.durationSeconds).toBeGreaterThan(0);
    expect(existsSync(join(runDir, 'last', 'model.json'))).toBe(true);
    expect(existsSync(join(runDir, CHECKPOINT_FILE))).toBe(false);

    // A finished run cannot resume.
    await expect(callOrThrow(service, 'resumeRun', { projectId, runId: id })).rejects.toThrow(/cannot be resumed: it has finished/);
    const refused = await service.call('resumeRun', { projectId, runId: id });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        message: `"${resumed.name}" cannot be resumed: it has finished. Only a run that was interrupted or stopped can continue.`,
        key: 'runs.training.cannotResume.finished',
      },
    });
    // Its default name ("Run 2") is said in Spanish too, inside the sentence.
    expect(resumed.name).toMatch(/^Run \d+$/);
    if (!refused.ok)
      expect(sayIn('es', refused.error)).toBe(
        `«${resumed.name.replace('Run', 'Entrenamiento')}» no se puede reanudar: ya terminó. Solo puede continuar un entrenamiento interrumpido o detenido.`,
      );
  });

  it('resumes a run cut short by closing the app, from another app started on the same folder', async () => {
    const closing = createCapaService({ dataDir, host: 'browser', spawnTrainer: forkTrainerPort });
    let id: string | undefined;
    let closed: Promise<void> | undefined;
    closing.onRunEvent((event) => {
      if (event.runId === id && event.kind === 'epoch' && event.metrics.epoch === 1) closed ??= closing.close();
    });
    id = (await callOrThrow(closing, 'startRun', { projectId })).id;
    await expect.poll(() => closed !== undefined, { timeout: 60_000 }).toBe(true);
    await closed;

    const stored = await callOrThrow(service, 'getRun', { projectId, runId: id });
    expect(stored).toMatchObject({
      status: 'interrupted',
      error: {
        message: 'Capa closed the training process while this run was training. Resume it to continue after its last finished epoch.',
        key: 'runs.training.closedByApp',
      },
    });
    expect(sayIn('es', stored.error!)).toBe(
      'Capa cerró el proceso de entrenamiento mientras este entrenamiento estaba en curso. Reanúdalo para seguir después de su última época terminada.',
    );
    const done = doneOf(() => id);
    await callOrThrow(service, 'resumeRun', { projectId, runId: id });
    expect((await done).status).toBe('completed');
    expect(measured((await callOrThrow(service, 'getRun', { projectId, runId: id })).epochs)).toEqual(measured(whole.epochs));
  });
});
