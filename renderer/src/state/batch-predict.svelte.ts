// Many pictures classified at once: a folder read by main (desktop) or files uploaded by this
// window (browser), sent in batches with progress and Cancel, shown as a table with accuracy
// against sub-folders named like classes, filters, sorting and CSV.
import { PREDICT_BATCH_SIZE, type BatchImage, type BatchPrediction, type CapaApi, type RunInfo } from '../../../preload/contract';
import {
  filterRows,
  folderAccuracy,
  predictionRows,
  predictionsCsv,
  sortRows,
  type PredictionRow,
  type SortKey,
} from '../../../common/predict/prediction-table';
import { chunks, type Picked } from '../lib/files';
import { say } from '../lib/i18n/i18n.svelte';
import { attempt } from '../lib/result';

export class BatchPredictState {
  results = $state.raw<BatchPrediction[]>([]);
  classNames = $state.raw<string[]>([]);
  /** Pictures classified and to classify; null when nothing runs. */
  progress = $state<{ done: number; total: number } | null>(null);
  error = $state('');
  /** Whether the last batch was cancelled part-way (the rows so far stay). */
  cancelled = $state(false);
  /** Pictures in what was chosen last (the rows may be fewer after Cancel). */
  total = $state(0);
  /** Seconds the last batch took, once finished. */
  seconds = $state<number | null>(null);
  /** Filters and order of the table. */
  predicted = $state<string | null>(null);
  below = $state(1);
  wrongOnly = $state(false);
  sortKey = $state<SortKey>('file');
  ascending = $state(true);
  private cancelRequested = false;

  readonly rows = $derived(predictionRows(this.results, this.classNames));
  readonly accuracy = $derived(folderAccuracy(this.rows, this.classNames));
  readonly shown = $derived(
    sortRows(
      filterRows(this.rows, { predicted: this.predicted, below: this.below, wrongOnly: this.wrongOnly }),
      this.sortKey,
      this.ascending,
    ),
  );

  constructor(private readonly api: CapaApi) {}

  get running(): boolean {
    return this.progress !== null;
  }

  /** Classifies what was picked with a run, batch after batch, until done or cancelled. */
  async start(projectId: string, run: RunInfo, picked: Picked): Promise<void> {
    if (this.running) return;
    this.results = [];
    this.classNames = run.classNames;
    this.error = '';
    this.cancelled = false;
    this.seconds = null;
    this.cancelRequested = false;
    const started = performance.now();
    const batches = await this.batches(picked);
    if (!batches) return;
    this.total = batches.total;
    this.progress = { done: 0, total: batches.total };
    for (const next of batches.list) {
      if (this.cancelRequested) {
        this.cancelled = true;
        break;
      }
      const images = await next();
      const answers = await attempt(this.api.predictBatch({ projectId, runId: run.id, images }), (message) => (this.error = message));
      if (!answers) break;
      this.results = [...this.results, ...answers];
      this.progress = { done: this.results.length, total: batches.total };
    }
    this.progress = null;
    this.seconds = (performance.now() - started) / 1000;
  }

  /** Stops after the batch in flight; what was classified stays in the table. */
  cancel(): void {
    this.cancelRequested = true;
  }

  sortBy(key: SortKey): void {
    if (this.sortKey === key) this.ascending = !this.ascending;
    else [this.sortKey, this.ascending] = [key, key !== 'confidence'];
  }

  /** The table (all rows, whatever the filters) as CSV. */
  csv(): string {
    return predictionsCsv(this.rows, this.classNames, say);
  }

  /** Batches to send, each read when its turn comes so a large upload is never all in memory. */
  private async batches(picked: Picked): Promise<{ total: number; list: (() => Promise<BatchImage[]>)[] } | null> {
    if (picked.kind === 'paths') {
      const files = await attempt(this.api.listFolder({ paths: picked.paths }), (message) => (this.error = message));
      if (!files) return null;
      return { total: files.length, list: chunks(files, PREDICT_BATCH_SIZE).map((batch) => async () => batch) };
    }
    // Hidden files and folders are skipped, as the importer skips them.
    const files = picked.files.filter((f) => !f.relativePath.split('/').some((part) => part.startsWith('.')));
    const read = (batch: typeof files) =>
      Promise.all(batch.map(async (f) => ({ file: f.relativePath, bytes: new Uint8Array(await f.file.arrayBuffer()) })));
    return { total: files.length, list: chunks(files, PREDICT_BATCH_SIZE).map((batch) => () => read(batch)) };
  }
}

export type { PredictionRow };
