// Keras's EarlyStopping and ReduceLROnPlateau as plain state machines over epoch metrics, so
// their rules are tested without training and the training loop only asks them what to do.
import type { EpochMetrics } from '../../preload/contract';
import type { EarlyStoppingSpec, Monitor, ReduceLrSpec } from '../../common/model/spec';

/** The value of `monitor` in an epoch's metrics; validation falls back to training when there is none. */
export function monitored(metrics: EpochMetrics, monitor: Monitor): number {
  switch (monitor) {
    case 'val_loss':
      return metrics.valLoss ?? metrics.loss;
    case 'val_accuracy':
      return metrics.valAccuracy ?? metrics.accuracy;
    case 'loss':
      return metrics.loss;
    case 'accuracy':
      return metrics.accuracy;
  }
}

/** What a plateau tracker remembers between epochs (saved in a run's checkpoint). */
export interface PlateauState {
  /** Best monitored value so far; null before the first epoch. */
  best: number | null;
  /** Epochs since it last improved. */
  wait: number;
}

/** What early stopping remembers between epochs (saved in a run's checkpoint). */
export interface EarlyStoppingState extends PlateauState {
  /** Epoch of the best value so far (1-based; 0 before any). */
  bestEpoch: number;
}

/** Tracks the best value of a monitored quantity and the epochs since it improved by more than `minDelta`. */
class Plateau implements PlateauState {
  best: number | null = null;
  wait = 0;
  constructor(
    private readonly monitor: Monitor,
    private readonly minDelta: number,
  ) {}

  /** Records an epoch; true when it improved on the best. */
  update(metrics: EpochMetrics): boolean {
    const value = monitored(metrics, this.monitor);
    // Losses improve downwards, accuracies upwards (Keras's mode="auto").
    const sign = this.monitor.endsWith('loss') ? -1 : 1;
    if (this.best === null || sign * (value - this.best) > this.minDelta) {
      this.best = value;
      this.wait = 0;
      return true;
    }
    this.wait++;
    return false;
  }
}

/** Keras's EarlyStopping: stop after `patience` epochs without improvement. */
export class EarlyStopping {
  private readonly plateau: Plateau;
  /** Epoch of the best value so far (1-based; 0 before any). */
  bestEpoch = 0;
  constructor(readonly spec: EarlyStoppingSpec) {
    this.plateau = new Plateau(spec.monitor, spec.min_delta);
  }

  /** Records an epoch; returns whether it is the best so far and whether to stop now. */
  update(metrics: EpochMetrics): { improved: boolean; stop: boolean } {
    const improved = this.plateau.update(metrics);
    if (improved) this.bestEpoch = metrics.epoch;
    return { improved, stop: this.plateau.wait >= this.spec.patience };
  }

  /** Its counters, for a checkpoint. */
  state(): EarlyStoppingState {
    return { best: this.plateau.best, wait: this.plateau.wait, bestEpoch: this.bestEpoch };
  }

  /** Continues from a checkpoint's counters. */
  restore(state: EarlyStoppingState): void {
    Object.assign(this.plateau, { best: state.best, wait: state.wait });
    this.bestEpoch = state.bestEpoch;
  }
}

/** Keras's ReduceLROnPlateau: multiply the learning rate by `factor` after `patience` epochs without improvement. */
export class ReduceLrOnPlateau {
  private readonly plateau: Plateau;
  constructor(readonly spec: ReduceLrSpec) {
    // Keras's default min_delta for this callback.
    this.plateau = new Plateau(spec.monitor, 1e-4);
  }

  /** Records an epoch; returns the new learning rate when it should change, else null. */
  update(metrics: EpochMetrics, learningRate: number): number | null {
    this.plateau.update(metrics);
    if (this.plateau.wait < this.spec.patience) return null;
    this.plateau.wait = 0;
    const next = Math.max(this.spec.min_lr, learningRate * this.spec.factor);
    return next < learningRate ? next : null;
  }

  /** Its counters, for a checkpoint. */
  state(): PlateauState {
    return { best: this.plateau.best, wait: this.plateau.wait };
  }

  /** Continues from a checkpoint's counters. */
  restore(state: PlateauState): void {
    Object.assign(this.plateau, state);
  }
}

/**
 * A time budget ("at most N minutes"): after each epoch, whether the next one would still end
 * within the budget, judged by the longest epoch so far. Training then ends at that epoch
 * boundary with the best weights put back, as early stopping does.
 */
export class TimeBudget {
  constructor(readonly minutes: number) {}

  /** Whether to stop after the epochs whose durations (seconds, resumed attempts included) are `seconds`. */
  shouldStop(seconds: readonly number[]): boolean {
    const spent = seconds.reduce((a, b) => a + b, 0);
    const next = Math.max(0, ...seconds);
    return spent + next > this.minutes * 60;
  }
}
