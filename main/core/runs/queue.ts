// Main's side of training: one run trains at a time, others wait in a queue. Events from the
// training process are persisted (status, backend, epochs) and forwarded to listeners.
import { randomUUID } from 'node:crypto';
import type { RunEstimate, RunEvent, RunInfo, RunStatus, Said } from '../../../preload/contract';
import { CapaError } from '../../../common/messages/errors';
import { nested, said } from '../../../common/messages/said';
import type { Project } from '../projects/project';
import { nameValue, RunRepository } from './repository';
import { summarizeWithBackbone } from '../../../common/backbones/summary';
import type { BackboneCache } from '../backbones/cache';
import { megabytes } from '../../../common/backbones/catalogue';
import { OFFLINE_PRESET_ID, presetById } from '../../../common/model/presets';
import { ImageStore } from '../dataset/image-store';
import { TrainerExitedError, wasKilled, type TrainerClient } from './trainer-client';
import type { TrainItem } from '../../trainer/protocol';
import type { ModelSpec } from '../../../common/model/spec';

interface Queued {
  project: Project;
  runId: string;
  /** Continue from the run's checkpoint. */
  resume: boolean;
}

/** Statuses from which a run can continue: cut short by a crash, a kill or a closed app, or stopped by the person. */
const RESUMABLE: ReadonlySet<RunStatus> = new Set(['interrupted', 'stopped']);

/** Runs after a run saved weights; returns a line for the run's log, or null. */
export type FinalStep = (project: Project, runId: string) => Promise<Said | null>;

export class TrainingQueue {
  private readonly waiting: Queued[] = [];
  private current: Queued | null = null;
  private readonly listeners = new Set<(event: RunEvent) => void>();
  private idle: Promise<void> = Promise.resolve();
  private finalStep: FinalStep | null = null;

  constructor(
    private readonly trainer: TrainerClient,
    private readonly backbones: BackboneCache,
  ) {}

  /** Work done after each run that saved weights, before its 'done' event and the next run (the final evaluation). */
  afterEachRun(step: FinalStep): void {
    this.finalStep = step;
  }

  onEvent(listener: (event: RunEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Creates a run from the given spec (the project's current one unless given) and queues it, with its estimate. */
  start(
    project: Project,
    planned: { spec: ModelSpec; estimate: RunEstimate | null } = { spec: project.specs.current(), estimate: null },
  ): RunInfo {
    const { spec } = planned;
    const { classNames, images } = project.images.labelled();
    if (classNames.length < 2) {
      throw new CapaError('invalid-argument', said('runs.training.needTwoClasses', { classes: classNames.length }));
    }
    const train = images.filter((image) => image.split === 'train').length;
    if (train === 0) throw new CapaError('invalid-argument', said('runs.training.noTrainingImage'));
    this.checkBuildable(spec, classNames.length);
    const runs = project.runs;
    const run = runs.create(randomUUID(), spec, classNames, planned.estimate);
    this.enqueue({ project, runId: run.id, resume: false });
    return run;
  }

  /** Queues an interrupted or stopped run to continue from its last finished epoch. */
  resume(project: Project, runId: string): RunInfo {
    const runs = project.runs;
    const run = runs.get(runId);
    if (!RESUMABLE.has(run.status)) {
      const why = run.status === 'completed' ? 'finished' : run.status === 'failed' ? 'failed' : 'training';
      throw new CapaError('conflict', said(`runs.training.cannotResume.${why}`, { name: nameValue(run) }));
    }
    // An interrupted run may have stored its last epoch and been killed before it was marked
    // completed: resuming it writes its final weights (or trains again without a checkpoint).
    if (run.status !== 'interrupted' && run.epochs.length >= run.spec.training.epochs) {
      throw new CapaError('conflict', said('runs.training.allEpochsTrained', { name: nameValue(run), epochs: run.spec.training.epochs }));
    }
    this.checkBuildable(run.spec, run.classNames.length);
    runs.requeue(runId);
    this.enqueue({ project, runId, resume: true });
    return runs.get(runId);
  }

  private enqueue(item: Queued): void {
    this.waiting.push(item);
    this.idle = this.idle.then(() => this.next());
  }

  /** Throws what keeps `spec` from training now: a model that cannot be built or a backbone not downloaded. */
  private checkBuildable(spec: ModelSpec, classCount: number): void {
    const summary = summarizeWithBackbone(spec, classCount, this.backbones);
    if (summary.issues.length > 0) {
      throw new CapaError('invalid-spec', said('runs.training.cannotBuild', { reason: nested(summary.issues[0]!) }), summary.issues);
    }
    if (spec.backbone && !this.backbones.isReady(spec.backbone.id)) {
      // The default preset needs a download; say how to get it and how to train without it.
      const id = spec.backbone.id;
      const info = this.backbones.list().find((b) => b.id === id);
      const what = info ? `${info.title} (${megabytes(info.sizeBytes)})` : id;
      throw new CapaError(
        'not-found',
        said('runs.training.backboneMissing', { title: info?.title ?? id, what, preset: nested(presetById(OFFLINE_PRESET_ID)!.title) }),
      );
    }
  }

  /** Stops a running run after its current batch, or removes a queued one. */
  async stop(project: Project, runId: string): Promise<void> {
    const runs = project.runs;
    const run = runs.get(runId);
    const queued = this.waiting.findIndex((q) => q.runId === runId);
    if (queued >= 0) {
      this.waiting.splice(queued, 1);
      runs.setStatus(runId, 'stopped');
      this.emit({ runId, kind: 'done', status: 'stopped', error: null });
      return;
    }
    if (this.current?.runId === runId) {
      await this.trainer.stop(runId);
      return;
    }
    throw new CapaError('conflict', said(`runs.training.notTraining.${run.status}`, { id: run.id }));
  }

  /** Resolves when every queued run has finished. */
  drained(): Promise<void> {
    return this.idle;
  }

  private emit(event: RunEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private async next(): Promise<void> {
    const item = this.waiting.shift();
    if (!item) return;
    this.current = item;
    const { project, runId, resume } = item;
    const runs = project.runs;
    const run = runs.get(runId);
    runs.setStatus(runId, 'running');
    // Training time is stored after every epoch, so a crash of the app loses at most one epoch's.
    let counted = performance.now();
    const count = () => {
      const now = performance.now();
      runs.addDuration(runId, (now - counted) / 1000);
      counted = now;
    };
    try {
      // Checked again here: the cached files may have changed while the run waited.
      const backbone = run.spec.backbone ? await this.backbones.resolve(run.spec.backbone.id) : undefined;
      const job = {
        runId,
        spec: run.spec,
        classNames: run.classNames,
        items: trainItems(project, run.classNames),
        outDir: project.paths.run(runId),
        pixelCacheDir: project.paths.pixelCache,
        resume,
        ...(backbone ? { backbone } : {}),
      };
      const result = await this.trainer.train(job, (event) => {
        if (event.kind === 'started') {
          runs.setBackend(runId, event.backend);
          // Epochs after the checkpoint were cut short by the interruption: they train again.
          if (event.resumedFrom !== undefined) runs.deleteEpochsAfter(runId, event.resumedFrom);
        }
        if (event.kind === 'epoch') {
          runs.addEpoch(runId, event.metrics);
          count();
        }
        if (event.kind !== 'done') this.emit(event);
      });
      runs.setBestEpoch(runId, result.bestEpoch);
      // Training time ends with the last epoch: the final evaluation is not counted in it.
      count();
      if (result.bestEpoch > 0) await this.runFinalStep(project, runs, runId, result.status);
      this.finish(runs, runId, () => undefined, result.status, null);
    } catch (error) {
      if (error instanceof TrainerExitedError) {
        // The checkpoint of its last finished epoch is on disk: the run can continue from there.
        this.finish(runs, runId, count, 'interrupted', interruptedSentence(error));
      } else {
        this.finish(runs, runId, count, 'failed', failureSentence(error));
      }
    } finally {
      this.current = null;
    }
  }

  /** The final step's line goes to the run's log; a failure there is a warning, never the run's failure. */
  private async runFinalStep(project: Project, runs: RunRepository, runId: string, status: RunStatus): Promise<void> {
    if (!this.finalStep) return;
    // The run is finished as far as its weights go (evaluation refuses a run still training).
    runs.setStatus(runId, status);
    try {
      const line = await this.finalStep(project, runId);
      if (line) this.emit({ runId, kind: 'log', level: 'info', ...line });
    } catch (error) {
      this.emit({
        runId,
        kind: 'log',
        level: 'warn',
        ...said('runs.training.finalEvaluationFailed', { reason: nested(failureSentence(error)) }),
      });
    }
  }

  private finish(runs: RunRepository, runId: string, count: () => void, status: RunStatus, error: Said | null): void {
    count();
    runs.setStatus(runId, status, error);
    this.emit({ runId, kind: 'done', status, error });
  }
}

/** Why a run was cut short by the end of its training process, and that it can resume. */
function interruptedSentence(error: TrainerExitedError): Said {
  if (error.closedByApp) return said('runs.training.closedByApp');
  return said(wasKilled(error.exitCode) ? 'runs.training.trainerKilled' : 'runs.training.trainerStopped', { code: error.exitCode ?? '?' });
}

/** A failure as a sentence: its own when it carries one (CapaError, the trainer's), else its text as it is. */
export function failureSentence(error: unknown): Said {
  if (typeof error === 'object' && error !== null && 'said' in error) return (error as { said: Said }).said;
  return { message: error instanceof Error ? error.message : String(error) };
}

/** The project's training and validation images, labelled by their class's index in `classNames` (images of other classes are left out). */
function trainItems(project: Project, classNames: readonly string[]): TrainItem[] {
  const store = new ImageStore(project.dir);
  const current = project.images.labelled();
  // A run keeps its classes' order; the project's may have changed since it was created (a resume).
  const label = current.classNames.map((name) => classNames.indexOf(name));
  return current.images.flatMap((image): TrainItem[] => {
    const index = label[image.classIndex]!;
    if (image.split === 'test' || index < 0) return [];
    return [
      {
        path: store.imagePath(image.hash, image.ext),
        hash: image.hash,
        label: index,
        split: image.split === 'train' ? 'train' : 'validation',
      },
    ];
  });
}
