// Lines for the loss and accuracy charts: per-epoch training and validation values, plus the
// live per-batch training value, on one x axis measured in epochs.
import type uPlot from 'uplot';
import type { EpochMetrics } from '../../../preload/contract';

/** One live point; x is the fractional epoch. */
export interface BatchValue {
  x: number;
  value: number;
}

/** uPlot's aligned data: [x, train per epoch, validation per epoch, train per batch]. */
export function alignSeries(
  epochs: readonly EpochMetrics[],
  metric: 'loss' | 'accuracy',
  batches: readonly BatchValue[],
): uPlot.AlignedData {
  const rows = new Map<number, [number | null, number | null, number | null]>();
  const row = (x: number) => {
    let r = rows.get(x);
    if (!r) rows.set(x, (r = [null, null, null]));
    return r;
  };
  for (const b of batches) row(b.x)[2] = b.value;
  for (const e of epochs) {
    const r = row(e.epoch);
    r[0] = metric === 'loss' ? e.loss : e.accuracy;
    r[1] = metric === 'loss' ? e.valLoss : e.valAccuracy;
  }
  const xs = [...rows.keys()].sort((a, b) => a - b);
  return [xs, xs.map((x) => rows.get(x)![0]), xs.map((x) => rows.get(x)![1]), xs.map((x) => rows.get(x)![2])];
}

/** uPlot's aligned data for runs overlaid: x = epoch, then per run its training and its validation values. */
export function overlaySeries(runs: readonly { epochs: readonly EpochMetrics[] }[], metric: 'loss' | 'accuracy'): uPlot.AlignedData {
  const longest = Math.max(0, ...runs.flatMap((run) => run.epochs.map((e) => e.epoch)));
  const xs = Array.from({ length: longest }, (_, i) => i + 1);
  const column = (run: { epochs: readonly EpochMetrics[] }, pick: (e: EpochMetrics) => number | null) =>
    xs.map((x) => {
      const epoch = run.epochs.find((e) => e.epoch === x);
      return epoch ? pick(epoch) : null;
    });
  return [
    xs,
    ...runs.flatMap((run) => [
      column(run, (e) => (metric === 'loss' ? e.loss : e.accuracy)),
      column(run, (e) => (metric === 'loss' ? e.valLoss : e.valAccuracy)),
    ]),
  ];
}
