// `capa predict <project> <file-or-folder>... [--run ID] [--csv out.csv]`: classifies pictures in
// batches, prints a table (or writes CSV) and, when sub-folders are named like classes, the accuracy.
import { cliError } from './format';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PREDICT_BATCH_SIZE, type BatchPrediction, type RunInfo } from '../../preload/contract';
import { callOrThrow } from '../core/service/service';
import type { CapaService } from '../core/service/service-types';
import { folderAccuracy, predictionRows, predictionsCsv } from '../../common/predict/prediction-table';

export const PREDICT_USAGE = `  predict <project> <file-or-folder>... Classify pictures with a run (default: newest finished)
        [--run ID] [--csv out.csv]      Print a table, or write every class's probability as CSV`;

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

/** The engine the predictions (and features) ran on, next to the results: "Predictions: ONNX Runtime, CPU (2 threads)." */
export async function printInferenceEngine(service: CapaService): Promise<void> {
  const engine = await callOrThrow(service, 'inferenceEngine', {});
  for (const line of [engine.features, engine.predictions]) if (line) console.log(line.message);
}

export async function predictCommand(
  service: CapaService,
  projectId: string,
  run: RunInfo,
  paths: readonly string[],
  csv: string | undefined,
): Promise<void> {
  if (paths.length === 0)
    throw cliError('invalid-argument', 'Name at least one picture or folder to classify, e.g. capa predict "My project" photos/.');
  const files = await callOrThrow(service, 'listFolder', { paths: paths.map((p) => resolve(p)) });
  const results: BatchPrediction[] = [];
  for (let start = 0; start < files.length; start += PREDICT_BATCH_SIZE) {
    const images = files.slice(start, start + PREDICT_BATCH_SIZE);
    results.push(...(await callOrThrow(service, 'predictBatch', { projectId, runId: run.id, images })));
    if (csv !== undefined) process.stderr.write(`\rClassified ${results.length} of ${files.length} pictures`);
  }
  const rows = predictionRows(results, run.classNames);
  if (csv !== undefined) {
    await writeFile(csv, predictionsCsv(rows, run.classNames));
    process.stderr.write('\n');
    console.log(`Wrote ${rows.length} rows to ${csv}`);
  } else {
    const width = Math.min(60, Math.max(4, ...rows.map((row) => row.file.length)));
    for (const row of rows) {
      const answer = row.error
        ? `cannot be read: ${row.error.message}`
        : `${row.predicted} ${percent(row.confidence)}  (${run.classNames.map((name, i) => `${name} ${percent(row.probabilities[i]!)}`).join(', ')})`;
      console.log(`${row.file.padEnd(width)}  ${answer}`);
    }
  }
  const accuracy = folderAccuracy(rows, run.classNames);
  if (accuracy) {
    const perClass = accuracy.perClass.map((c) => `${c.className} ${c.right} right, ${c.wrong} wrong`).join('; ');
    console.log(
      `Accuracy against the folders' classes: ${percent(accuracy.accuracy)} (${accuracy.correct} of ${accuracy.total}; ${perClass})`,
    );
  }
  await printInferenceEngine(service);
  const unreadable = rows.filter((row) => row.error).length;
  if (unreadable > 0)
    console.log(`${unreadable} file${unreadable === 1 ? '' : 's'} could not be read (reasons above or in the error column).`);
}
