// Runs one TrainJob: epochs of seeded shuffles and batches streamed by the pipeline (pipeline.ts)
// into trainOnBatch (so each batch can report progress and a stop lands between batches), validation
// after each epoch, and the best and last weights written to the run's folder.
import type { BackendInfo, EpochMetrics, RunEvent, Said } from '../../preload/contract';
import { said } from '../../common/messages/said';
import { augmentImage, isAugmenting } from '../../common/model/augment';
import { EarlyStopping, ReduceLrOnPlateau, TimeBudget } from './callbacks';
import {
  balancedClassWeights,
  batchTensors,
  epochOrder,
  seededRandom,
  type BatchOptions,
  type DecodeFailure,
  type DecodedSplit,
} from './dataset';
import { openPipeline, sequentialPlans, type BatchPlan, type SplitSource } from './pipeline';
import { buildModel, derivedSeed, disposeOptimizer, setLearningRate } from './model-builder';
import { deleteCheckpoint, readCheckpoint, restoreCheckpoint, writeCheckpoint } from './checkpoint';
import { firstConvFilters } from './filters';
import { saveModel } from './model-files';
import { runFolderPaths } from '../core/projects/project-paths';
import { TrainingFailure, type TrainItem, type TrainJob, type TrainResult } from './protocol';
import type { Tf } from './tf';
import type { TrainingEngine } from './engines/engine';
import { inProcessEngine } from './engines/in-process';

type LayersModel = import('@tensorflow/tfjs').LayersModel;
type Tensor = import('@tensorflow/tfjs').Tensor;

/** What a training run needs from the process around it. */
export interface TrainContext {
  /** TensorFlow.js bound to the selected backend. */
  tf: Tf;
  /** The backend (the engine's, when one is given), reported in the `started` event. */
  backend: BackendInfo;
  /** Runs the training steps; `trainOnBatch` on `tf` unless given (engines/engine.ts). */
  engine?: TrainingEngine;
  /** Receives every run event, in order. */
  emit(event: RunEvent): void;
  /** True once a stop was requested; checked after every batch. */
  shouldStop(): boolean;
  /** Turns a split's items into model inputs; decodes pixels unless given (transfer learning passes backbone features). */
  decode?(items: readonly TrainItem[], failures: DecodeFailure[]): Promise<DecodedSplit>;
  /** Builds and compiles the model; the spec's own network unless given (fine-tuning joins backbone and head). */
  build?(): Promise<LayersModel>;
}

/** Folders inside `outDir`. */

/** Progress events are spaced at least this far apart so a tiny model does not flood IPC. */
const PROGRESS_INTERVAL_MS = 50;

// Lets queued messages (a stop request) in between batches: awaiting a resolved promise does not.
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface Evaluation {
  loss: number;
  accuracy: number;
}

/** Mean categorical cross-entropy and accuracy of `model` on `split`, batch by batch; null when no image decoded. */
async function evaluate(tf: Tf, model: LayersModel, split: SplitSource, job: TrainJob): Promise<Evaluation | null> {
  const { input, training } = job.spec;
  const numClasses = job.classNames.length;
  let lossSum = 0;
  let correct = 0;
  let count = 0;
  for await (const batch of split.batches(sequentialPlans(split.count, training.batch_size))) {
    if (batch.count === 0) continue;
    const { x, y } = batchTensors(tf, batch, input, numClasses);
    y.dispose();
    const probabilities = tf.tidy(() => model.predict(x) as Tensor);
    x.dispose();
    const values = await probabilities.data();
    probabilities.dispose();
    count += batch.count;
    for (let i = 0; i < batch.count; i++) {
      const row = values.subarray(i * numClasses, (i + 1) * numClasses);
      const label = batch.labels[i]!;
      // Same clipping as Keras's categorical cross-entropy, so the numbers compare.
      lossSum -= Math.log(Math.min(1 - 1e-7, Math.max(1e-7, row[label]!)));
      let best = 0;
      for (let k = 1; k < numClasses; k++) if (row[k]! > row[best]!) best = k;
      if (best === label) correct++;
    }
  }
  return count > 0 ? { loss: lossSum / count, accuracy: correct / count } : null;
}

/** Whether `metrics` beats the best so far: validation accuracy (then loss), else training loss. */
function isBetter(metrics: EpochMetrics, best: EpochMetrics | null): boolean {
  if (!best) return true;
  if (metrics.valAccuracy !== null && best.valAccuracy !== null) {
    if (metrics.valAccuracy !== best.valAccuracy) return metrics.valAccuracy > best.valAccuracy;
    return (metrics.valLoss ?? Infinity) < (best.valLoss ?? Infinity);
  }
  return metrics.loss < best.loss;
}

/** Trains `job` to the end or until a stop; throws on failure (the caller reports it). */
export async function runTraining(job: TrainJob, context: TrainContext): Promise<TrainResult> {
  const { tf, emit } = context;
  const { runId, spec } = job;
  const { input, training } = spec;
  const numClasses = job.classNames.length;
  const log = (level: 'info' | 'warn', line: Said) => emit({ runId, kind: 'log', level, ...line });

  const trainItems = job.items.filter((item) => item.split === 'train');
  // "none" trains without measuring on held-out images (a tiny dataset may need every image).
  const validationItems = training.validation === 'none' ? [] : job.items.filter((item) => item.split === 'validation');
  const badLabel = job.items.find((item) => !Number.isInteger(item.label) || item.label < 0 || item.label >= numClasses);
  if (badLabel) throw new Error(`Image ${badLabel.path} has class index ${badLabel.label}, but the run has ${numClasses} classes.`);

  if (trainItems.length === 0) throw new TrainingFailure(said('runs.train.noTrainingImage'));
  const checkpoint = job.resume ? await readCheckpoint(job.outDir) : null;
  if (job.resume && !checkpoint) log('info', said('runs.train.restarted'));
  emit({
    runId,
    kind: 'started',
    backend: context.backend,
    trainCount: trainItems.length,
    validationCount: validationItems.length,
    ...(job.resume ? { resumedFrom: checkpoint?.state.epoch ?? 0 } : {}),
  });

  const pipeline = await openPipeline(job, trainItems, validationItems, log, context.decode);
  const { train: trainSet, validation: validationSet } = pipeline;

  const model = context.build ? await context.build() : buildModel(tf, spec, numClasses);
  // Dropout draws its mask from its seed; a new seed per batch keeps masks both varied and repeatable.
  const dropouts = model.layers.filter((layer) => layer.getClassName() === 'Dropout').length;
  const engine = context.engine ?? inProcessEngine(context.backend.name === 'cpu' ? 'cpu' : 'wasm', context.backend);
  let session: import('./engines/engine').EngineSession | null = null;
  const batches = Math.ceil(trainSet.count / training.batch_size);
  const classWeights = training.class_weight === 'balanced' ? balancedClassWeights(trainSet.labels, numClasses) : undefined;
  const augmenting = isAugmenting(spec.augmentation);
  const planBatch = (order: Int32Array, epoch: number, batch: number): BatchPlan => {
    // Augmentation draws from a seed per epoch and batch: varied across batches, repeatable across runs.
    const random = augmenting ? seededRandom(derivedSeed(training.seed, 2_000_000 + epoch * 10_007 + batch)) : null;
    const options: BatchOptions = {
      ...(classWeights ? { classWeights } : {}),
      ...(random
        ? {
            transform: (data: Float32Array) =>
              augmentImage({ data, height: input.height, width: input.width, channels: input.channels }, spec.augmentation, random),
          }
        : {}),
    };
    return { indices: order.subarray(batch * training.batch_size, Math.min(trainSet.count, (batch + 1) * training.batch_size)), options };
  };
  const earlyStopping = training.early_stopping ? new EarlyStopping(training.early_stopping) : null;
  const reduceLr = training.reduce_lr_on_plateau ? new ReduceLrOnPlateau(training.reduce_lr_on_plateau) : null;
  const timeBudget = training.time_budget_minutes !== null ? new TimeBudget(training.time_budget_minutes) : null;
  if (validationSet.count === 0 && [training.early_stopping, training.reduce_lr_on_plateau].some((c) => c?.monitor.startsWith('val_'))) {
    log('warn', said('runs.train.noValidation'));
  }
  let learningRate = training.learning_rate;
  let restoreWeights: Tensor[] | null = null;
  let best: EpochMetrics | null = null;
  let bestEpoch = 0;
  let stopped = false;
  let stoppedEarly = false;
  const history: EpochMetrics[] = [];
  // The live "filters" view: the first convolutional layer's kernel before training and after each epoch.
  const emitFilters = (epoch: number) => {
    const filters = firstConvFilters(model);
    if (filters) emit({ runId, kind: 'filters', epoch, filters });
  };
  try {
    if (checkpoint) {
      // Resumed: the same run continues after its last finished epoch, from exactly its state then.
      restoreWeights = restoreCheckpoint(tf, checkpoint, model);
      ({ learningRate, best, bestEpoch } = checkpoint.state);
      if (learningRate !== training.learning_rate) setLearningRate(model.optimizer, learningRate);
      if (checkpoint.state.earlyStopping) earlyStopping?.restore(checkpoint.state.earlyStopping);
      if (checkpoint.state.reduceLr) reduceLr?.restore(checkpoint.state.reduceLr);
      history.push(...checkpoint.state.history);
      // Main may not have stored the last epochs before the kill: report them again (stored idempotently).
      for (const metrics of history) emit({ runId, kind: 'epoch', metrics, epochs: training.epochs });
      log('info', said('runs.train.resumed', { epoch: checkpoint.state.epoch, epochs: training.epochs }));
    }
    // Opened after the checkpoint is restored, so the engine starts from the restored weights.
    try {
      session = await engine.open(tf, model, { spec, learningRate });
    } catch (error) {
      // An engine that fails to start (a window, a worker) leaves the run to this process's own backend.
      if (!context.engine) throw error;
      const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
      log('warn', said('runs.engine.openFailed', { engine: engine.id, reason }));
      session = await inProcessEngine(context.backend.name === 'cpu' ? 'cpu' : 'wasm', context.backend).open(tf, model, {
        spec,
        learningRate,
      });
    }
    emitFilters(checkpoint?.state.epoch ?? 0);
    for (let epoch = (checkpoint?.state.epoch ?? 0) + 1; epoch <= training.epochs && !stopped; epoch++) {
      const epochStart = performance.now();
      const order = epochOrder(trainSet.count, training.seed, epoch);
      const stream = trainSet.batches(Array.from({ length: batches }, (_, batch) => planBatch(order, epoch, batch)));
      let lossSum = 0;
      let correctSum = 0;
      let seen = 0;
      let lastProgress = 0;
      for (let batch = 0; batch < batches; batch++) {
        const seeds = Array.from({ length: dropouts }, (_, i) => derivedSeed(training.seed, epoch * 1_000_003 + batch * 101 + i));
        const host = (await stream.next()).value;
        if (!host || host.count === 0) continue; // every image of the batch failed to decode (warned)
        const { loss, accuracy } = await session.step(host, seeds);
        if (!Number.isFinite(loss)) {
          throw new TrainingFailure(
            said('runs.train.diverged', { loss: String(loss), epoch, batch: batch + 1, rate: String(training.learning_rate) }),
          );
        }
        lossSum += loss * host.count;
        correctSum += accuracy * host.count;
        seen += host.count;
        const now = performance.now();
        if (now - lastProgress >= PROGRESS_INTERVAL_MS || batch === batches - 1) {
          lastProgress = now;
          emit({
            runId,
            kind: 'progress',
            epoch,
            epochs: training.epochs,
            batch: batch + 1,
            batches,
            loss,
            accuracy,
            imagesPerSecond: seen / Math.max(1e-3, (now - epochStart) / 1000),
          });
        }
        await yieldToEventLoop();
        if (context.shouldStop()) {
          stopped = true;
          break;
        }
      }
      await stream.return();
      if (seen === 0) throw new TrainingFailure(said('runs.pipeline.noneDecoded'));
      if (stopped && seen < trainSet.count - pipeline.failed()) {
        log('info', said('runs.train.stoppedDuring', { epoch, seen, total: trainSet.count }));
        break;
      }
      await session.sync();
      const validation = validationSet.count > 0 ? await evaluate(tf, model, validationSet, job) : null;
      if (epoch === (checkpoint?.state.epoch ?? 0) + 1) pipeline.report();
      const metrics: EpochMetrics = {
        epoch,
        loss: lossSum / seen,
        accuracy: correctSum / seen,
        valLoss: validation?.loss ?? null,
        valAccuracy: validation?.accuracy ?? null,
        seconds: (performance.now() - epochStart) / 1000,
      };
      // With early stopping, "best" means best by its monitor, as Keras's restore_best_weights does.
      const verdict = earlyStopping?.update(metrics);
      if (verdict ? verdict.improved : isBetter(metrics, best)) {
        best = metrics;
        bestEpoch = epoch;
        await saveModel(tf, model, runFolderPaths(job.outDir).weights('best'));
        if (earlyStopping?.spec.restore_best_weights ?? timeBudget) {
          restoreWeights?.forEach((w) => w.dispose());
          restoreWeights = model.getWeights().map((w) => w.clone());
        }
      }
      emit({ runId, kind: 'epoch', metrics, epochs: training.epochs });
      emitFilters(epoch);
      const lowered = reduceLr?.update(metrics, learningRate) ?? null;
      if (lowered !== null) {
        // Learning rates as JavaScript writes them (1e-9), the same in every language, as in the model's settings.
        log(
          'info',
          said('runs.train.lrLowered', { count: training.reduce_lr_on_plateau!.patience, from: String(learningRate), to: String(lowered) }),
        );
        learningRate = lowered;
        setLearningRate(model.optimizer, learningRate);
        await session.reload();
      }
      history.push(metrics);
      const state = {
        epoch,
        learningRate,
        best,
        bestEpoch,
        history,
        earlyStopping: earlyStopping?.state() ?? null,
        reduceLr: reduceLr?.state() ?? null,
      };
      // Main may store this epoch before the checkpoint is whole: a resume forgets epochs after the checkpoint's.
      await writeCheckpoint(model, restoreWeights, state, job.outDir);
      if (verdict?.stop && epoch < training.epochs) {
        stoppedEarly = true;
        log(
          'info',
          said('runs.train.stoppedEarly', { epoch, monitor: training.early_stopping!.monitor, count: training.early_stopping!.patience }),
        );
        break;
      }
      if (timeBudget?.shouldStop(history.map((h) => h.seconds)) && epoch < training.epochs) {
        stoppedEarly = true;
        log('info', said('runs.train.timeBudget', { epoch, minutes: training.time_budget_minutes! }));
        break;
      }
    }
    // As in Keras, the best weights come back only when early stopping (or the time budget) ended the run.
    await session.sync();
    if (restoreWeights && stoppedEarly) model.setWeights(restoreWeights);
    await saveModel(tf, model, runFolderPaths(job.outDir).weights('last'));
    // A completed run cannot resume; a stopped one keeps its checkpoint so it can continue.
    if (!stopped) await deleteCheckpoint(job.outDir);
  } finally {
    await session?.close().catch(() => undefined);
    pipeline.close();
    restoreWeights?.forEach((w) => w.dispose());
    // The optimizer was passed in by buildModel, so the model does not own (or free) its slots.
    if (model.optimizer) disposeOptimizer(model.optimizer);
    model.dispose();
  }
  const status = stopped ? 'stopped' : 'completed';
  if (bestEpoch > 0) {
    const accuracy = best?.valAccuracy;
    log(
      'info',
      accuracy != null
        ? said('runs.train.bestWeightsValidation', { epoch: bestEpoch, accuracy: accuracy * 100 })
        : said('runs.train.bestWeights', { epoch: bestEpoch }),
    );
  }
  emit({ runId, kind: 'done', status, error: null });
  return { status, bestEpoch };
}
