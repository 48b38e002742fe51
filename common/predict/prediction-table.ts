// The table of a batch prediction: one row per picture, accuracy against the folders' classes,
// filters, sorting and CSV. Pure (no Node imports), so the renderer, the CLI and tests share it.
import Papa from 'papaparse';
import type { Said } from '../messages/said';
import { folderClassNames } from '../dataset/folder-classes';

/** What the model answered for one picture of a batch. */
export interface BatchPrediction {
  /** The picture's relative path, as sent. */
  file: string;
  /** Probability of each class, in the run's class order; null when the picture could not be read. */
  probabilities: number[] | null;
  /** Why the picture could not be classified (e.g. corrupt), or null. */
  error: Said | null;
}

/** One picture of a batch as the table shows it. */
export interface PredictionRow {
  /** Path relative to what was chosen. */
  file: string;
  /** The most probable class, or null when the picture could not be read. */
  predicted: string | null;
  /** Probability of the predicted class (0 when unreadable). */
  confidence: number;
  /** Probability of each class, in the run's class order (empty when unreadable). */
  probabilities: number[];
  /** The run's class its sub-folder names, or null (no sub-folder, or one the run does not know). */
  expected: string | null;
  /** Whether the prediction matches `expected`; null without an expected class or a prediction. */
  correct: boolean | null;
  /** Why the picture could not be classified, or null. */
  error: Said | null;
}

/** Accuracy against the sub-folders named like the run's classes, like a test set. */
export interface FolderAccuracy {
  /** Readable pictures whose folder names a class. */
  total: number;
  correct: number;
  /** correct / total. */
  accuracy: number;
  /** Per class (of the folders): pictures predicted right and wrong. */
  perClass: { className: string; right: number; wrong: number }[];
}

/** Rows of a batch's answers; the expected class comes from each file's folders (the importer's rule). */
export function predictionRows(results: readonly BatchPrediction[], classNames: readonly string[]): PredictionRow[] {
  const folders = folderClassNames(results.map((r) => r.file));
  const known = new Map(classNames.map((name) => [name.toLowerCase(), name]));
  return results.map((result, i) => {
    const expected = known.get(folders[i]?.toLowerCase() ?? '') ?? null;
    if (!result.probabilities)
      return { file: result.file, predicted: null, confidence: 0, probabilities: [], expected, correct: null, error: result.error };
    const probabilities = result.probabilities;
    const best = probabilities.indexOf(Math.max(...probabilities));
    const predicted = classNames[best] ?? null;
    return {
      file: result.file,
      predicted,
      confidence: probabilities[best] ?? 0,
      probabilities,
      expected,
      correct: expected === null ? null : predicted === expected,
      error: null,
    };
  });
}

/** Accuracy over the rows with an expected class, or null when no folder is named like a class. */
export function folderAccuracy(rows: readonly PredictionRow[], classNames: readonly string[]): FolderAccuracy | null {
  const judged = rows.filter((row) => row.correct !== null);
  if (judged.length === 0) return null;
  const correct = judged.filter((row) => row.correct).length;
  const perClass = classNames
    .map((className) => {
      const of = judged.filter((row) => row.expected === className);
      return { className, right: of.filter((row) => row.correct).length, wrong: of.filter((row) => !row.correct).length };
    })
    .filter((c) => c.right + c.wrong > 0);
  return { total: judged.length, correct, accuracy: correct / judged.length, perClass };
}

/** Which rows to show: one predicted class (or every class), and only those below a confidence. */
export interface RowFilter {
  /** Predicted class to keep; null keeps every class. Unreadable pictures show only without a class. */
  predicted: string | null;
  /** Keep rows whose confidence is below this (0..1); 1 keeps all. */
  below: number;
  /** Keep only rows whose prediction disagrees with their folder. */
  wrongOnly?: boolean;
}

export function filterRows(rows: readonly PredictionRow[], filter: RowFilter): PredictionRow[] {
  return rows.filter(
    (row) =>
      (filter.predicted === null || row.predicted === filter.predicted) &&
      (filter.below >= 1 || (row.error === null && row.confidence < filter.below)) &&
      (!filter.wrongOnly || row.correct === false),
  );
}

/** Columns the table sorts by. */
export type SortKey = 'file' | 'predicted' | 'confidence' | 'expected';

export function sortRows(rows: readonly PredictionRow[], key: SortKey, ascending: boolean): PredictionRow[] {
  const text = (row: PredictionRow) => (key === 'file' ? row.file : key === 'predicted' ? (row.predicted ?? '') : (row.expected ?? ''));
  const compare =
    key === 'confidence'
      ? (a: PredictionRow, b: PredictionRow) => a.confidence - b.confidence
      : (a: PredictionRow, b: PredictionRow) => text(a).localeCompare(text(b), 'en', { numeric: true });
  const sorted = [...rows].sort(compare);
  return ascending ? sorted : sorted.reverse();
}

/**
 * The rows as CSV (RFC 4180: comma-separated, CRLF line ends, fields with commas, quotes or line
 * breaks quoted and quotes doubled): file, predicted, confidence, expected, correct, error, then
 * one probability column per class. `say` words the reasons (the screen's language; English by default).
 */
export function predictionsCsv(
  rows: readonly PredictionRow[],
  classNames: readonly string[],
  say: (sentence: Said) => string = (sentence) => sentence.message,
): string {
  const header = ['file', 'predicted', 'confidence', 'expected', 'correct', 'error', ...classNames.map((name) => `p(${name})`)];
  const number = (value: number | undefined) => (value === undefined ? '' : value.toFixed(6));
  const data = rows.map((row) => [
    row.file,
    row.predicted ?? '',
    row.error ? '' : number(row.confidence),
    row.expected ?? '',
    row.correct === null ? '' : String(row.correct),
    row.error ? say(row.error) : '',
    ...classNames.map((_, i) => number(row.probabilities[i])),
  ]);
  return Papa.unparse({ fields: header, data }, { newline: '\r\n' });
}
