// `capa evaluate`: a run measured on its validation or test images, printed as a metrics table
// (laid out like scikit-learn's classification_report) and a confusion matrix.
import type { Evaluation, EvaluationSplit, EvaluationWeights } from '../../preload/contract';
import { callOrThrow } from '../core/service/service';
import { printInferenceEngine } from './predict-command';
import type { CapaService } from '../core/service/service-types';

export const EVALUATE_USAGE = `  evaluate <project> [--run ID] [--split validation|test] [--weights best|last]
                                        Evaluate a run (default: newest finished, test split, best weights)`;

/** Right-aligned table rows with the first column left-aligned. */
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]! + 2)))
        .join('')
        .trimEnd(),
    )
    .join('\n');
}

const f = (value: number): string => value.toFixed(4);

/** The metrics table and the confusion matrix of an evaluation, as plain text. */
export function formatEvaluation(evaluation: Evaluation): string {
  const m = evaluation.metrics;
  const metrics = table([
    ['', 'precision', 'recall', 'f1-score', 'support'],
    ...m.perClass.map((c) => [c.className, f(c.precision), f(c.recall), f(c.f1), String(c.support)]),
    ['', '', '', '', ''],
    ['macro avg', f(m.macro.precision), f(m.macro.recall), f(m.macro.f1), String(m.images)],
    ['weighted avg', f(m.weighted.precision), f(m.weighted.recall), f(m.weighted.f1), String(m.images)],
  ]);
  const confusion = table([
    ['actual \\ predicted', ...evaluation.classNames],
    ...m.confusion.map((row, i) => [evaluation.classNames[i]!, ...row.map(String)]),
  ]);
  const lines = [
    `${evaluation.split === 'test' ? 'Test' : 'Validation'} split, ${evaluation.weights} weights: ${m.images} images`,
    `accuracy: ${f(m.accuracy)}  loss: ${f(m.loss)}${m.topK ? `  top-${m.topK.k} accuracy: ${f(m.topK.accuracy)}` : ''}`,
    '',
    metrics,
    '',
    'Confusion matrix (rows: label, columns: prediction)',
    confusion,
  ];
  if (evaluation.mostConfused.length > 0) {
    lines.push(
      '',
      'Most confused: ' +
        evaluation.mostConfused
          .slice(0, 5)
          .map((p) => `${p.actual} as ${p.predicted} (${p.count})`)
          .join(', '),
    );
  }
  if (evaluation.skipped > 0) lines.push(`${evaluation.skipped} images skipped: their class is not one this run was trained on.`);
  return lines.join('\n');
}

/** Runs the evaluation, printing progress on stderr while it goes, then the report. */
export async function evaluateCommand(
  service: CapaService,
  projectId: string,
  runId: string,
  split: EvaluationSplit,
  weights: EvaluationWeights,
): Promise<void> {
  const timer = setInterval(() => {
    void callOrThrow(service, 'evaluationProgress', { projectId, runId }).then(
      (progress) => progress && process.stderr.write(`\rEvaluating: ${progress.done}/${progress.total} images\n`),
      () => undefined, // progress is a courtesy; the evaluation itself reports its errors
    );
  }, 1000);
  try {
    const evaluation = await callOrThrow(service, 'evaluateRun', { projectId, runId, split, weights });
    console.log(`Run ${runId}`);
    console.log(formatEvaluation(evaluation));
    await printInferenceEngine(service);
  } finally {
    clearInterval(timer);
  }
}
