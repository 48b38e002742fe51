// Evaluating a run: the split's labelled images go through the training process in batches
// (progress between batches, cancellable), the metrics are computed here from the probabilities,
// and the lot is stored. One evaluation per run at a time.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Evaluation, EvaluationProgress, EvaluationSplit, EvaluationWeights, RunInfo, Said } from '../../../preload/contract';
import type { TrainerBackbone } from '../../trainer/protocol';
import type { BackboneCache } from '../backbones/cache';
import { CapaError } from '../../../common/messages/errors';
import { said } from '../../../common/messages/said';
import type { Project } from '../projects/project';
import { ImageStore } from '../dataset/image-store';
import type { TrainerClient } from '../runs/trainer-client';
import { computeMetrics } from '../../../common/evaluation/metrics';

/** Images sent to the training process per request: progress and cancelling happen between batches. */
export const EVALUATION_BATCH = 32;

/** The folder of a run's saved weights, or a not-found error a person understands. */
export function weightsDir(project: Project, run: RunInfo, weights: EvaluationWeights): string {
  const dir = project.paths.weights(run.id, weights);
  if (!existsSync(join(dir, 'model.json'))) {
    const why = run.status === 'running' || run.status === 'queued' ? 'Training' : 'None';
    throw new CapaError('not-found', said(`runs.evaluate.noWeights.${weights}${why}`));
  }
  return dir;
}

/**
 * The backbone a prediction must go through first: a frozen-backbone transfer run saved only its
 * head; a fine-tuned run saved backbone and head as one model, and a run without backbone needs none.
 */
export async function headOnlyBackbone(run: RunInfo, backbones: Pick<BackboneCache, 'resolve'>): Promise<TrainerBackbone | undefined> {
  const frozen = run.spec.backbone?.trainable_blocks === 0 ? run.spec.backbone : undefined;
  return frozen ? backbones.resolve(frozen.id) : undefined;
}

interface Running {
  progress: EvaluationProgress;
  cancelled: boolean;
}

export class EvaluationRunner {
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly trainer: TrainerClient,
    private readonly backbones: BackboneCache,
  ) {}

  /** Progress of the run's evaluation, or null when none runs. */
  progress(project: Project, runId: string): EvaluationProgress | null {
    const running = this.running.get(key(project, runId));
    return running ? { ...running.progress } : null;
  }

  /** Asks the run's evaluation to stop after its current batch. */
  cancel(project: Project, runId: string): void {
    const running = this.running.get(key(project, runId));
    if (running) running.cancelled = true;
  }

  /** Evaluates, stores and returns the evaluation. */
  async evaluate(project: Project, runId: string, split: EvaluationSplit, weights: EvaluationWeights): Promise<Evaluation> {
    const runs = project.runs;
    const run = runs.get(runId);
    if (run.status === 'queued' || run.status === 'running') {
      throw new CapaError('conflict', said('runs.evaluate.stillTraining'));
    }
    const modelDir = weightsDir(project, run, weights);
    const id = key(project, runId);
    if (this.running.has(id)) throw new CapaError('conflict', said('runs.evaluate.alreadyRunning'));
    const store = project.evaluations;
    const snapshot = store.snapshot(split, run.classNames);
    if (snapshot.ids.length === 0) {
      throw new CapaError('invalid-argument', said(`runs.evaluate.emptySplit.${split}`));
    }
    const state: Running = { progress: { runId, split, done: 0, total: snapshot.ids.length }, cancelled: false };
    this.running.set(id, state);
    try {
      const backbone = await headOnlyBackbone(run, this.backbones);
      const images = new ImageStore(project.dir);
      const classCount = run.classNames.length;
      const probabilities = new Float32Array(snapshot.ids.length * classCount);
      for (let start = 0; start < snapshot.ids.length; start += EVALUATION_BATCH) {
        if (state.cancelled) throw new CapaError('cancelled', said('runs.evaluate.cancelled'));
        const batch = snapshot.files
          .slice(start, start + EVALUATION_BATCH)
          .map((file) => ({ path: images.imagePath(file.hash, file.ext) }));
        const rows = await this.trainer.predict(modelDir, run.spec.input, batch, backbone);
        rows.forEach((row, i) => probabilities.set(row.slice(0, classCount), (start + i) * classCount));
        state.progress.done = start + batch.length;
      }
      const rows = snapshot.ids.map((_, i) => probabilities.subarray(i * classCount, (i + 1) * classCount));
      const metrics = computeMetrics(snapshot.labels, rows, run.classNames);
      const evaluationId = store.save({ runId, split, weights, snapshot, probabilities, metrics });
      return store.get(evaluationId, () => run.classNames);
    } finally {
      this.running.delete(id);
    }
  }
}

const key = (project: Project, runId: string): string => `${project.id}/${runId}`;

/**
 * A run's final evaluation: its best weights on the test split, stored like one asked for on the
 * Evaluate screen; skipped (with the reason as the log line) when the test split holds none of
 * the run's classes.
 */
export async function finalEvaluation(runner: EvaluationRunner, project: Project, runId: string): Promise<Said> {
  const run = project.runs.get(runId);
  if (project.evaluations.snapshot('test', run.classNames).ids.length === 0) {
    return said('runs.evaluate.noFinal');
  }
  const { metrics } = await runner.evaluate(project, runId, 'test', 'best');
  return said('runs.evaluate.final', { images: metrics.images, accuracy: metrics.accuracy * 100, loss: metrics.loss });
}
