// What the training charts say in plain words: where the run is in epochs and iterations, and
// whether the curves show overfitting. Pure functions of the run's numbers; the component
// (TrainingCaptions.svelte) turns them into sentences in the person's language.
import type { EpochMetrics } from '../../../preload/contract';

/** Where a run is, in the course's words. */
export interface EpochCaption {
  /** The epoch in progress (or the last one finished), 1-based. */
  epoch: number;
  /** Epochs the run will train. */
  epochs: number;
  /** Training pictures the model sees once per epoch. */
  imagesPerEpoch: number;
  /** Batch size: pictures per iteration. */
  batchSize: number;
  /** Iterations (weight updates) per epoch: pictures / batch size, rounded up. */
  iterationsPerEpoch: number;
  /** Pictures shown to the model so far, counting each epoch's again. */
  imagesSeen: number;
  /** Iterations done so far. */
  iterationsDone: number;
}

/** What the run has counted so far. */
export interface CaptionInput {
  epoch: number;
  epochs: number;
  /** Training pictures of the run. */
  trainCount: number;
  batchSize: number;
  /** Batches finished in the epoch in progress (equal to the iterations per epoch once it ended). */
  batchesDone: number;
}

/** The epoch caption's numbers; null before the run knows its pictures. */
export function epochCaption({ epoch, epochs, trainCount, batchSize, batchesDone }: CaptionInput): EpochCaption | null {
  if (trainCount <= 0 || batchSize <= 0 || epoch < 1) return null;
  const iterationsPerEpoch = Math.ceil(trainCount / batchSize);
  const done = Math.min(batchesDone, iterationsPerEpoch);
  const imagesThisEpoch = done === iterationsPerEpoch ? trainCount : done * batchSize;
  return {
    epoch,
    epochs,
    imagesPerEpoch: trainCount,
    batchSize,
    iterationsPerEpoch,
    imagesSeen: (epoch - 1) * trainCount + imagesThisEpoch,
    iterationsDone: (epoch - 1) * iterationsPerEpoch + done,
  };
}

/** Why the curves look like overfitting, with the numbers the sentence quotes. */
export type OverfittingSign =
  /** Validation loss rose for the last epochs while training loss kept falling. */
  | { kind: 'rising'; bestEpoch: number; bestValLoss: number; valLoss: number }
  /** Training accuracy is far above validation accuracy. */
  | { kind: 'gap'; accuracy: number; valAccuracy: number };

/** Validation loss must have risen this much (relative) above its lowest to count as rising. */
export const RISE = 0.05;
/** Epochs since the lowest validation loss before a rise counts (one bad epoch is noise). */
export const RISING_EPOCHS = 2;
/** Training minus validation accuracy that counts as a large gap. */
export const GAP = 0.15;

/** The sign of overfitting the finished epochs show, or null when they show none (or have no validation). */
export function overfitting(epochs: readonly EpochMetrics[]): OverfittingSign | null {
  const measured = epochs.filter((e) => e.valLoss !== null && Number.isFinite(e.valLoss));
  const last = measured.at(-1);
  if (!last) return null;
  const best = measured.reduce((a, b) => (b.valLoss! < a.valLoss! ? b : a));
  if (last.epoch - best.epoch >= RISING_EPOCHS && last.valLoss! > best.valLoss! * (1 + RISE) && last.loss < best.loss) {
    return { kind: 'rising', bestEpoch: best.epoch, bestValLoss: best.valLoss!, valLoss: last.valLoss! };
  }
  if (last.valAccuracy !== null && last.accuracy - last.valAccuracy >= GAP) {
    return { kind: 'gap', accuracy: last.accuracy, valAccuracy: last.valAccuracy };
  }
  return null;
}
