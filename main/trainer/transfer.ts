// Transfer learning in the trainer, head side: the head (the spec's layers + softmax) trains on
// the backbone's feature vectors (features.ts computes and caches them), or backbone and head
// fine-tune together. Kept apart from features.ts so that the modules that only need features
// (prediction, activations, Grad-CAM) do not import training, and the trainer has no cycle.
import { said } from '../../common/messages/said';
import { isAugmenting } from '../../common/model/augment';
import { NO_AUGMENTATION, type InputSpec, type ModelSpec } from '../../common/model/spec';
import { embedSplit, features, type EmbeddingStats } from './features';
import { inferenceReport } from './inference';
import { TrainingFailure, type TrainerBackbone, type TrainJob, type TrainResult } from './protocol';
import { buildFineTuneModel } from './fine-tune';
import { buildModel } from './model-builder';
import { runTraining, type TrainContext } from './train';

/** The shape the head sees: each feature vector as a 1 x 1 image with `features` channels. */
export function featureInput(spec: ModelSpec, features: number): InputSpec {
  // InputSpec types channels as 1 | 3 for images a person chooses; the head is built by the same
  // builder from a 1 x 1 x features "image", flattened first (see headSpec).
  return { ...spec.input, width: 1, height: 1, channels: features as InputSpec['channels'] };
}

/**
 * The head as a spec of its own: Flatten, the spec's layers, then (at build time) the softmax
 * output. No augmentation: it changes pixels, and the head sees features computed once per image.
 */
export function headSpec(spec: ModelSpec, features: number): ModelSpec {
  const { backbone: _backbone, ...rest } = spec;
  return {
    ...rest,
    input: featureInput(spec, features),
    augmentation: NO_AUGMENTATION,
    layers: [{ type: 'Flatten', enabled: true }, ...spec.layers],
  };
}

/** Trains the head of a transfer-learning job on backbone features (cached between runs), or fine-tunes backbone and head together. */
export async function runTransferTraining(job: TrainJob, backbone: TrainerBackbone, context: TrainContext): Promise<TrainResult> {
  const { tf, emit } = context;
  const makeHead = (features: number) => buildModel(tf, headSpec(job.spec, features), job.classNames.length);
  const blocks = job.spec.backbone?.trainable_blocks ?? 0;
  if (blocks > 0) return runTraining(job, { ...context, build: () => buildFineTuneModel(tf, backbone, blocks, makeHead) });

  // What the backbone really gives (one image of zeros through it): an imported model's
  // description is read from its model.json and can be wrong.
  const length = (await features(tf, backbone, new Float32Array(backbone.inputSize * backbone.inputSize * 3), 1)).length;
  if (length !== backbone.features) {
    emit({
      runId: job.runId,
      kind: 'log',
      level: 'warn',
      ...said('runs.transfer.featureCount', { id: backbone.id, length, expected: backbone.features }),
    });
  }
  const head: TrainJob = { ...job, spec: headSpec(job.spec, length) };
  if (isAugmenting(job.spec.augmentation)) {
    emit({ runId: job.runId, kind: 'log', level: 'warn', ...said('runs.transfer.noAugmentation') });
  }
  return runTraining(head, {
    ...context,
    decode: async (items, failures) => {
      const started = performance.now();
      const stats: EmbeddingStats = { cached: 0, computed: 0 };
      const split = await embedSplit(tf, backbone, items, job.spec.input, failures, stats);
      if (split.count > 0 && split.features !== length) {
        throw new TrainingFailure(said('runs.transfer.cacheMismatch', { id: backbone.id, cached: split.features, length }));
      }
      if (items.length > 0) {
        const seconds = (performance.now() - started) / 1000;
        emit({
          runId: job.runId,
          kind: 'log',
          level: 'info',
          ...said('runs.transfer.features', { images: split.count, cached: stats.cached, computed: stats.computed, seconds }),
        });
        // Which engine computed them, next to the training backend the run already names.
        const engine = stats.computed > 0 ? inferenceReport().features : null;
        if (engine) emit({ runId: job.runId, kind: 'log', level: 'info', ...engine });
      }
      return split;
    },
  });
}
