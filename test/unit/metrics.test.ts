// Evaluation metrics against values worked out by hand on a small fixed set of predictions.
import { describe, expect, it } from 'vitest';
import { computeMetrics, confusionMatrix, disagreement, inTopK, mostConfused, normalizeRows } from '../../common/evaluation/metrics';

const CLASSES = ['a', 'b', 'c'];
// Seven images: three of a, two of b, two of c. Image 1 (an a) is taken for b; image 6 (a c) for a.
const LABELS = [0, 0, 0, 1, 1, 2, 2];
const ROWS = [
  [0.7, 0.2, 0.1],
  [0.3, 0.6, 0.1],
  [0.6, 0.3, 0.1],
  [0.1, 0.8, 0.1],
  [0.2, 0.5, 0.3],
  [0.1, 0.1, 0.8],
  [0.5, 0.1, 0.4],
];

describe('evaluation metrics', () => {
  const m = computeMetrics(LABELS, ROWS, CLASSES);

  it('counts the confusion matrix as [actual][predicted] and normalises its rows', () => {
    expect(m.confusion).toEqual([
      [2, 1, 0],
      [0, 2, 0],
      [1, 0, 1],
    ]);
    expect(normalizeRows(m.confusion)).toEqual([
      [2 / 3, 1 / 3, 0],
      [0, 1, 0],
      [0.5, 0, 0.5],
    ]);
    expect(
      normalizeRows([
        [0, 0],
        [1, 3],
      ]),
    ).toEqual([
      [0, 0],
      [0.25, 0.75],
    ]);
  });

  it('gives accuracy and the mean cross-entropy of the label', () => {
    expect(m.images).toBe(7);
    expect(m.accuracy).toBeCloseTo(5 / 7, 12);
    const byHand = -(Math.log(0.7) + Math.log(0.3) + Math.log(0.6) + Math.log(0.8) + Math.log(0.5) + Math.log(0.8) + Math.log(0.4)) / 7;
    expect(m.loss).toBeCloseTo(byHand, 12);
    expect(m.topK).toBeNull(); // three classes: top-k says nothing
  });

  it('gives per-class precision, recall, F1 and support', () => {
    const expected = [
      { className: 'a', precision: 2 / 3, recall: 2 / 3, f1: 2 / 3, support: 3 },
      { className: 'b', precision: 2 / 3, recall: 1, f1: 0.8, support: 2 },
      { className: 'c', precision: 1, recall: 0.5, f1: 2 / 3, support: 2 },
    ];
    expected.forEach((e, i) => {
      const got = m.perClass[i]!;
      expect(got.className).toBe(e.className);
      expect(got.support).toBe(e.support);
      expect(got.precision).toBeCloseTo(e.precision, 12);
      expect(got.recall).toBeCloseTo(e.recall, 12);
      expect(got.f1).toBeCloseTo(e.f1, 12);
    });
  });

  it('gives macro and support-weighted averages', () => {
    expect(m.macro.precision).toBeCloseTo(7 / 9, 12);
    expect(m.macro.recall).toBeCloseTo(13 / 18, 12);
    expect(m.macro.f1).toBeCloseTo(32 / 45, 12);
    expect(m.weighted.precision).toBeCloseTo(16 / 21, 12);
    expect(m.weighted.recall).toBeCloseTo(5 / 7, 12); // weighted recall is accuracy
    expect(m.weighted.f1).toBeCloseTo(74 / 105, 12);
  });

  it('clips probabilities as Keras does, and gives 0 precision to a class never predicted', () => {
    const clipped = computeMetrics(
      [0, 1],
      [
        [0, 1],
        [0, 1],
      ],
      ['x', 'y'],
    );
    expect(clipped.loss).toBeCloseTo((-Math.log(1e-7) - Math.log(1 - 1e-7)) / 2, 9);
    expect(clipped.perClass[0]).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(clipped.perClass[1]).toMatchObject({ precision: 0.5, recall: 1, support: 1 });
  });

  it('reports top-3 accuracy with more than five classes', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const rows = [
      [0.3, 0.25, 0.2, 0.1, 0.1, 0.05], // label c is third: in the top 3
      [0.3, 0.25, 0.2, 0.15, 0.05, 0.05], // label e is fifth: not
      [0.1, 0.5, 0.1, 0.1, 0.1, 0.1], // label b first: in
      [0.2, 0.2, 0.2, 0.2, 0.1, 0.1], // label d ties with three others: counted as not in the top 3
    ];
    const six = computeMetrics([2, 4, 1, 3], rows, names);
    expect(six.topK).toEqual({ k: 3, accuracy: 0.5 });
    expect(inTopK(rows[0]!, 2, 3)).toBe(true);
    expect(inTopK(rows[0]!, 3, 3)).toBe(false);
    const eleven = computeMetrics(
      [0],
      [Array.from({ length: 11 }, (_, i) => (i === 0 ? 0.05 : 0.095))],
      Array.from({ length: 11 }, (_, i) => `c${i}`),
    );
    expect(eleven.topK).toEqual({ k: 5, accuracy: 0 });
  });

  it('lists the most confused pairs by count and ranks confident disagreement first', () => {
    const matrix = confusionMatrix([0, 0, 0, 1, 2, 2], [1, 1, 2, 0, 0, 2], 3);
    expect(mostConfused(matrix, CLASSES)).toEqual([
      { actual: 'a', predicted: 'b', count: 2 },
      { actual: 'a', predicted: 'c', count: 1 },
      { actual: 'b', predicted: 'a', count: 1 },
      { actual: 'c', predicted: 'a', count: 1 },
    ]);
    expect(disagreement(ROWS[1]!, 0)).toBeCloseTo(0.6 - 0.3, 12);
    expect(disagreement(ROWS[6]!, 2)).toBeCloseTo(0.5 - 0.4, 12);
    expect(disagreement(ROWS[3]!, 1)).toBeCloseTo(0.1 - 0.8, 12);
  });
});
