// Main's side of training: one run trains at a time, others wait in a queue. Events from the
// training process are persisted (status, backend, epochs) and forwarded to listeners.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { RunEvent, RunInfo } from '../../preload/contract';
import { CapaError } from './errors';
import type { Project } from './project';
import { RunRepository } from './runs';
import { summarizeWithBackbone } from './api/backbones';
import type { BackboneCache } from './backbones/cache';
import { megabytes } from './backbones/catalogue';
import { OFFLINE_PRESET_ID, presetById } from './spec/presets';
import { ImageStore } from './store';
import type { TrainerClient } from './trainer-client';
import type { TrainItem } from '../trainer/protocol';

/** Folder of a run's weights and files. */
export const runDir = (project: Project, runId: string): string => join(project.dir, 'runs', runId);

/**
 * Folder of the project's cached preprocessed pixels (main/trainer/pixel-cache.ts): per input size
 * and resize mode, one entry per image; safe to delete at any time (the next run decodes again).
 */
export const pixelCacheDir = (project: Project): string => join(project.dir, 'cache', 'pixels');

interface Queued {
  project: Project;
  runId: string;
}

export class TrainingQueue {
  private readonly waiting: Queued[] = [];
  private current: Queued | null = null;
  private readonly listeners = new Set<(event: RunEvent) => void>();
  private idle: Promise<void> = Promise.resolve();

  constructor(
    private readonly trainer: TrainerClient,
    private readonly backbones: BackboneCache,
  ) {}

  onEvent(listener: (event: RunEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Creates a run from the project's current spec and queues it. */
  start(project: Project): RunInfo {
    const spec = project.spec();
    const { classNames, images } = project.labelledImages();
    if (classNames.length < 2) {
      throw new CapaError('invalid-argument', `Training needs at least two classes with images; this project has ${classNames.length}. Import a folder with one sub-folder per class.`);
    }
    const train = images.filter((image) => image.split === 'train').length;
    if (train === 0) throw new CapaError('invalid-argument', 'No image is in the training split yet. Import more images.');
    const summary = summarizeWithBackbone(spec, classNames.length, this.backbones);
    if (summary.issues.length > 0) {
      throw new CapaError('invalid-spec', `The model cannot be built: ${summary.issues[0]!.message}`, summary.issues);
    }
    if (spec.backbone && !this.backbones.isReady(spec.backbone.id)) {
      // The default preset needs a download; say how to get it and how to train without it.
      const id = spec.backbone.id;
      const info = this.backbones.list().find((b) => b.id === id);
      const what = info ? `${info.title} (${megabytes(info.sizeBytes)})` : id;
      throw new CapaError(
        'not-found',
        `${info?.title ?? id} is not on this computer yet. Download ${what} on the Model screen first (or import it from a folder there), ` +
          `or choose the ${presetById(OFFLINE_PRESET_ID)!.title} preset to train without a download.`,
      );
    }
    const runs = new RunRepository(project.db, project.id);
    const run = runs.create(randomUUID(), spec, classNames);
    this.waiting.push({ project, runId: run.id });
    this.idle = this.idle.then(() => this.next());
    return run;
  }

  /** Stops a running run after its current batch, or removes a queued one. */
  async stop(project: Project, runId: string): Promise<void> {
    const runs = new RunRepository(project.db, project.id);
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
    throw new CapaError('conflict', `Run ${run.id} is not training (it is ${run.status}).`);
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
    const { project, runId } = item;
    const runs = new RunRepository(project.db, project.id);
    const run = runs.get(runId);
    const store = new ImageStore(project.dir);
    const { images } = project.labelledImages();
    const items: TrainItem[] = images
      .filter((image) => image.split !== 'test')
      .map((image) => ({ path: store.imagePath(image.hash, image.ext), hash: image.hash, label: image.classIndex, split: image.split === 'train' ? 'train' : 'validation' }));
    runs.setStatus(runId, 'running');
    try {
      // Checked again here: the cached files may have changed while the run waited.
      const backbone = run.spec.backbone ? await this.backbones.resolve(run.spec.backbone.id) : undefined;
      const job = { runId, spec: run.spec, classNames: run.classNames, items, outDir: runDir(project, runId), pixelCacheDir: pixelCacheDir(project), ...(backbone ? { backbone } : {}) };
      const result = await this.trainer.train(job, (event) => {
        if (event.kind === 'started') runs.setBackend(runId, event.backend);
        if (event.kind === 'epoch') runs.addEpoch(runId, event.metrics);
        if (event.kind !== 'done') this.emit(event);
      });
      runs.setBestEpoch(runId, result.bestEpoch);
      runs.setStatus(runId, result.status);
      this.emit({ runId, kind: 'done', status: result.status, error: null });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      runs.setStatus(runId, 'failed', message);
      this.emit({ runId, kind: 'done', status: 'failed', error: message });
    } finally {
      this.current = null;
    }
  }
}
