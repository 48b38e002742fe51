// Classification metrics as pure functions of (true class index, probability row) pairs. No I/O,
// no TensorFlow: the evaluation service, the CLI and the tests all compute them the same way.

/** Precision, recall and F1 of one class, with how many images of it there were. */
export interface ClassMetrics {
  /** The class. */
  className: string;
  /** Of the images predicted as this class, the share that really are. */
  precision: number;
  /** Of the images of this class, the share predicted as it. */
  recall: number;
  /** Harmonic mean of precision and recall. */
  f1: number;
  /** Images of this class evaluated. */
  support: number;
}

/** Averages over classes. */
export interface AveragedMetrics {
  /** Mean precision. */
  precision: number;
  /** Mean recall. */
  recall: number;
  /** Mean F1. */
  f1: number;
}

/** Two classes the model mixes up, and how often. */
export interface ConfusedPair {
  /** The images' label. */
  actual: string;
  /** What the model said instead. */
  predicted: string;
  /** How many images. */
  count: number;
}

/** Every number of one evaluation. */
export interface EvaluationMetrics {
  /** Images evaluated. */
  images: number;
  /** Share of images whose most probable class is their label. */
  accuracy: number;
  /** Mean categorical cross-entropy (probabilities clipped to [1e-7, 1 - 1e-7], as Keras does). */
  loss: number;
  /** Share of images whose label is among the k most probable classes; only with more than 5 classes. */
  topK: { k: number; accuracy: number } | null;
  /** One entry per class, in the run's class order. */
  perClass: ClassMetrics[];
  /** Unweighted mean over classes. */
  macro: AveragedMetrics;
  /** Mean over classes weighted by their support. */
  weighted: AveragedMetrics;
  /** confusion[actual][predicted] = image count, in the run's class order. */
  confusion: number[][];
}

/** Same clipping as Keras's categorical cross-entropy (and the trainer's evaluate), so losses compare. */
export const LOSS_EPSILON = 1e-7;

/** Top-k accuracy is reported only where there are more than this many classes (below it, it says little). */
export const TOP_K_MIN_CLASSES = 5;

/** Index of the largest value (the first one on ties). */
export function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < row.length; k++) if (row[k]! > row[best]!) best = k;
  return best;
}

/** Whether `label` is among the `k` most probable classes of `row` (ties count against it). */
export function inTopK(row: ArrayLike<number>, label: number, k: number): boolean {
  const own = row[label]!;
  let above = 0;
  for (let c = 0; c < row.length; c++) if (c !== label && row[c]! >= own) above++;
  return above < k;
}

/** counts[true][predicted]. */
export function confusionMatrix(labels: readonly number[], predicted: readonly number[], classCount: number): number[][] {
  const matrix = Array.from({ length: classCount }, () => new Array<number>(classCount).fill(0));
  labels.forEach((label, i) => matrix[label]![predicted[i]!]!++);
  return matrix;
}

/** Each row divided by its total (a row with no image stays zeros). */
export function normalizeRows(matrix: readonly (readonly number[])[]): number[][] {
  return matrix.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((value) => (total > 0 ? value / total : 0));
  });
}

/** Off-diagonal cells by count, largest first (ties in class order); empty cells left out. */
export function mostConfused(matrix: readonly (readonly number[])[], classNames: readonly string[]): ConfusedPair[] {
  const pairs: ConfusedPair[] = [];
  matrix.forEach((row, actual) =>
    row.forEach((count, predicted) => {
      if (actual !== predicted && count > 0) pairs.push({ actual: classNames[actual]!, predicted: classNames[predicted]!, count });
    }),
  );
  return pairs.sort((a, b) => b.count - a.count);
}

/**
 * How confidently the model disagrees with an image's label: the largest probability of another
 * class minus the probability of the label. Positive when the model prefers another class; near 1
 * when it is sure the label is wrong.
 */
export function disagreement(row: ArrayLike<number>, label: number): number {
  let other = 0;
  for (let c = 0; c < row.length; c++) if (c !== label && row[c]! > other) other = row[c]!;
  return other - row[label]!;
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);

/** Every metric of one evaluation. Precision of a class never predicted, and recall of a class with no image, are 0. */
export function computeMetrics(
  labels: readonly number[],
  rows: readonly ArrayLike<number>[],
  classNames: readonly string[],
): EvaluationMetrics {
  const classCount = classNames.length;
  const predicted = rows.map(argmax);
  const matrix = confusionMatrix(labels, predicted, classCount);
  const n = labels.length;
  let correct = 0;
  let lossSum = 0;
  labels.forEach((label, i) => {
    if (predicted[i] === label) correct++;
    lossSum -= Math.log(Math.min(1 - LOSS_EPSILON, Math.max(LOSS_EPSILON, rows[i]![label]!)));
  });
  const perClass: ClassMetrics[] = classNames.map((className, c) => {
    const truePositives = matrix[c]![c]!;
    const support = matrix[c]!.reduce((a, b) => a + b, 0);
    const predictedAs = matrix.reduce((sum, row) => sum + row[c]!, 0);
    const precision = ratio(truePositives, predictedAs);
    const recall = ratio(truePositives, support);
    const f1 = ratio(2 * precision * recall, precision + recall);
    return { className, precision, recall, f1, support };
  });
  const average = (weight: (m: ClassMetrics) => number) => {
    const total = perClass.reduce((sum, m) => sum + weight(m), 0);
    const mean = (field: 'precision' | 'recall' | 'f1') =>
      ratio(
        perClass.reduce((sum, m) => sum + m[field] * weight(m), 0),
        total,
      );
    return { precision: mean('precision'), recall: mean('recall'), f1: mean('f1') };
  };
  const k = classCount > TOP_K_MIN_CLASSES ? (classCount > 10 ? 5 : 3) : null;
  return {
    images: n,
    accuracy: ratio(correct, n),
    loss: ratio(lossSum, n),
    topK: k === null ? null : { k, accuracy: ratio(labels.filter((label, i) => inTopK(rows[i]!, label, k)).length, n) },
    perClass,
    macro: average(() => 1),
    weighted: average((m) => m.support),
    confusion: matrix,
  };
}
