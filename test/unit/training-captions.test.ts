// The training charts' captions: epochs, iterations and pictures seen computed from a run's
// numbers, and the overfitting signs (rising validation loss, a large accuracy gap) and their absence.
import { describe, expect, it } from 'vitest';
import type { EpochMetrics } from '../../preload/contract';
import { epochCaption, overfitting } from '../../renderer/src/lib/training-captions';

const epoch = (n: number, loss: number, valLoss: number | null, accuracy = 0.8, valAccuracy: number | null = 0.78): EpochMetrics => ({
  epoch: n,
  loss,
  accuracy,
  valLoss,
  valAccuracy,
  seconds: 1,
});

describe('epochCaption', () => {
  it('counts iterations per epoch as pictures over batch size, rounded up, and what was seen so far', () => {
    expect(epochCaption({ epoch: 3, epochs: 10, trainCount: 1200, batchSize: 64, batchesDone: 19 })).toEqual({
      epoch: 3,
      epochs: 10,
      imagesPerEpoch: 1200,
      batchSize: 64,
      iterationsPerEpoch: 19,
      imagesSeen: 3600,
      iterationsDone: 57,
    });
  });

  it('counts the batches of the epoch in progress, the last one partial', () => {
    const caption = epochCaption({ epoch: 2, epochs: 5, trainCount: 100, batchSize: 32, batchesDone: 2 })!;
    expect(caption.iterationsPerEpoch).toBe(4); // 32 + 32 + 32 + 4
    expect(caption.imagesSeen).toBe(100 + 64);
    expect(caption.iterationsDone).toBe(6);
    expect(epochCaption({ epoch: 2, epochs: 5, trainCount: 100, batchSize: 32, batchesDone: 4 })!.imagesSeen).toBe(200);
  });

  it('has nothing to say before the run knows its pictures', () => {
    expect(epochCaption({ epoch: 1, epochs: 5, trainCount: 0, batchSize: 32, batchesDone: 0 })).toBeNull();
    expect(epochCaption({ epoch: 0, epochs: 5, trainCount: 10, batchSize: 32, batchesDone: 0 })).toBeNull();
  });
});

describe('overfitting', () => {
  it('sees validation loss rising for two epochs while training loss falls', () => {
    const epochs = [epoch(1, 1.0, 0.9), epoch(2, 0.7, 0.6), epoch(3, 0.5, 0.65), epoch(4, 0.3, 0.8)];
    expect(overfitting(epochs)).toEqual({ kind: 'rising', bestEpoch: 2, bestValLoss: 0.6, valLoss: 0.8 });
  });

  it('does not call one bad epoch, a tiny rise, or both losses rising overfitting', () => {
    expect(overfitting([epoch(1, 1.0, 0.9), epoch(2, 0.7, 0.6), epoch(3, 0.5, 0.8)])).toBeNull(); // one epoch since the best
    expect(overfitting([epoch(1, 1.0, 0.6), epoch(2, 0.7, 0.61), epoch(3, 0.5, 0.62)])).toBeNull(); // under 5 %
    expect(overfitting([epoch(1, 0.5, 0.6), epoch(2, 0.7, 0.8), epoch(3, 0.9, 1.0)])).toBeNull(); // diverging, not overfitting
    expect(overfitting([epoch(1, 1.0, 0.9), epoch(2, 0.7, 0.6), epoch(3, 0.5, 0.5)])).toBeNull(); // both falling
  });

  it('sees a large gap between training and validation accuracy', () => {
    expect(overfitting([epoch(1, 0.5, 0.6, 0.95, 0.7)])).toEqual({ kind: 'gap', accuracy: 0.95, valAccuracy: 0.7 });
    expect(overfitting([epoch(1, 0.5, 0.6, 0.9, 0.8)])).toBeNull();
  });

  it('says nothing without validation pictures', () => {
    expect(overfitting([epoch(1, 0.5, null, 0.99, null), epoch(2, 0.3, null, 1, null)])).toBeNull();
    expect(overfitting([])).toBeNull();
  });
});
