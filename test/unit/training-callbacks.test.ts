// EarlyStopping and ReduceLROnPlateau follow Keras's rules on given epoch metrics; the time budget stops at an epoch boundary.
import { describe, expect, it } from 'vitest';
import type { EpochMetrics } from '../../preload/contract';
import { earlyStoppingSchema, reduceLrSchema } from '../../common/model/spec';
import { EarlyStopping, monitored, ReduceLrOnPlateau, TimeBudget } from '../../main/trainer/callbacks';

const epoch = (n: number, loss: number, valAccuracy: number | null = null): EpochMetrics => ({
  epoch: n,
  loss,
  accuracy: 1 - loss,
  valLoss: valAccuracy === null ? null : loss + 0.1,
  valAccuracy,
  seconds: 1,
});

describe('training callbacks', () => {
  it('watch validation metrics, falling back to training ones when there is no validation', () => {
    expect(monitored(epoch(1, 0.5, 0.7), 'val_accuracy')).toBe(0.7);
    expect(monitored(epoch(1, 0.5, 0.7), 'val_loss')).toBeCloseTo(0.6);
    expect(monitored(epoch(1, 0.5), 'val_loss')).toBe(0.5);
    expect(monitored(epoch(1, 0.5), 'val_accuracy')).toBe(0.5);
  });

  it('early stopping stops after `patience` epochs without improvement and remembers the best epoch', () => {
    const stopper = new EarlyStopping(earlyStoppingSchema.parse({ monitor: 'loss', patience: 2 }));
    const losses = [1, 0.8, 0.81, 0.79, 0.9, 0.95];
    const verdicts = losses.map((loss, i) => stopper.update(epoch(i + 1, loss)));
    expect(verdicts.map((v) => v.improved)).toEqual([true, true, false, true, false, false]);
    expect(verdicts.map((v) => v.stop)).toEqual([false, false, false, false, false, true]);
    expect(stopper.bestEpoch).toBe(4);
  });

  it('early stopping counts only improvements above min_delta, upwards for accuracy', () => {
    const stopper = new EarlyStopping(earlyStoppingSchema.parse({ monitor: 'val_accuracy', patience: 1, min_delta: 0.05 }));
    expect(stopper.update(epoch(1, 1, 0.5)).improved).toBe(true);
    expect(stopper.update(epoch(2, 1, 0.53))).toEqual({ improved: false, stop: true });
  });

  it('reduce-on-plateau multiplies the rate by its factor after `patience` flat epochs, never below min_lr', () => {
    const reducer = new ReduceLrOnPlateau(reduceLrSchema.parse({ monitor: 'loss', factor: 0.5, patience: 2, min_lr: 0.02 }));
    let lr = 0.1;
    const rates: number[] = [];
    for (const [i, loss] of [1, 1, 1, 1, 1, 1, 1].entries()) {
      lr = reducer.update(epoch(i + 1, loss), lr) ?? lr;
      rates.push(lr);
    }
    expect(rates).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.02]);
  });
});

describe('TimeBudget', () => {
  it('stops at the epoch boundary where the longest epoch so far would pass the budget', () => {
    const budget = new TimeBudget(1); // 60 seconds
    expect(budget.shouldStop([])).toBe(false);
    expect(budget.shouldStop([20])).toBe(false); // 20 + 20 = 40
    expect(budget.shouldStop([20, 20])).toBe(false); // 40 + 20 = 60: exactly fits
    expect(budget.shouldStop([20, 20, 1])).toBe(true); // 41 + 20 > 60
    expect(budget.shouldStop([10, 35])).toBe(true); // 45 + 35 > 60
    expect(budget.shouldStop([61])).toBe(true);
  });
});
