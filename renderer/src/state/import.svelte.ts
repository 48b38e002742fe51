// A background import and its progress: paths imported by main (Electron) with ImportEvents, or
// files uploaded in chunks by this window (browser host). Either way: count, images per second,
// time left, and Cancel, which keeps what was already imported.
import type { ImportEvent, ImportReport, Split, UploadedFile } from '../../../preload/contract';
import { chunks, type Picked } from '../lib/files';
import { attempt } from '../lib/result';
import { t } from '../lib/i18n/i18n.svelte';
import type { AppContext } from './context';

/** Files per importFiles call: keeps each WebSocket message small and progress visible. */
export const IMPORT_CHUNK = 32;

/** What the progress bar shows. */
export interface ImportProgress {
  done: number;
  total: number;
  imagesPerSecond: number;
  /** Null until there is a rate to extrapolate from. */
  secondsLeft: number | null;
  cancelling: boolean;
}

/** Where imported pictures go: a class (null = Unlabelled, undefined = folders decide) and a pinned split. */
export interface ImportTarget {
  classId?: number | null;
  split?: Split;
  /** Every picture goes to classId whatever its folders (a flat folder sent to Unlabelled). */
  ignoreFolders?: boolean;
}

const emptyReport = (): ImportReport => ({ imported: 0, duplicates: [], rejected: [], classesCreated: [] });

export class ImportState {
  progress = $state<ImportProgress | null>(null);
  report = $state<ImportReport | null>(null);
  error = $state('');
  /** Whether the last import was cancelled part-way. */
  cancelled = $state(false);
  private cancelRequested = false;
  private importId: string | null = null;

  constructor(
    private readonly context: AppContext,
    readonly projectId: string,
    /** Called after each chunk and at the end, so counts grow while importing. */
    private readonly onChange: (finished: boolean) => Promise<void>,
  ) {}

  get running(): boolean {
    return this.progress !== null;
  }

  async start(picked: Picked, target: ImportTarget): Promise<void> {
    if (this.running) {
      this.context.toast(t('data.import.alreadyRunning'));
      return;
    }
    this.report = null;
    this.error = '';
    this.cancelled = false;
    this.cancelRequested = false;
    if (picked.kind === 'paths') await this.importPaths(picked.paths, target);
    else await this.upload(picked.files, target);
  }

  cancel(): void {
    if (!this.progress) return;
    this.cancelRequested = true;
    this.progress = { ...this.progress, cancelling: true };
    if (this.importId) void this.context.api.cancelImport({ projectId: this.projectId, importId: this.importId });
  }

  dismiss(): void {
    this.report = null;
    this.error = '';
  }

  /** Electron: main reads the disk in the background and pushes events. */
  private async importPaths(paths: string[], target: ImportTarget): Promise<void> {
    this.progress = { done: 0, total: 0, imagesPerSecond: 0, secondsLeft: null, cancelling: false };
    const finished = new Promise<void>((resolve) => {
      const unsubscribe = this.context.api.onImportEvent((event) => {
        if (event.projectId !== this.projectId || (this.importId !== null && event.importId !== this.importId)) return;
        if (this.handle(event)) {
          unsubscribe();
          resolve();
        }
      });
    });
    const started = await attempt(this.context.api.startImport({ projectId: this.projectId, paths, ...target }), (m) => (this.error = m));
    if (!started) {
      this.progress = null;
      return;
    }
    this.importId = started.importId;
    await finished;
    this.importId = null;
    this.progress = null;
    await this.onChange(true);
  }

  /** Applies one event; true when the import is over. */
  private handle(event: ImportEvent): boolean {
    if (event.kind === 'progress') {
      const { done, total, imagesPerSecond, secondsLeft } = event;
      this.progress = { done, total, imagesPerSecond, secondsLeft, cancelling: this.progress?.cancelling ?? false };
      return false;
    }
    this.report = event.report;
    this.cancelled = event.cancelled;
    return true;
  }

  /** Browser: this window sends the files in chunks that share one import batch. */
  private async upload(files: { relativePath: string; file: File }[], target: ImportTarget): Promise<void> {
    if (files.length === 0) {
      this.error = t('data.import.nothingDropped');
      return;
    }
    const merged = emptyReport();
    const started = performance.now();
    let batchId: number | undefined;
    let sent = 0;
    this.progress = { done: 0, total: files.length, imagesPerSecond: 0, secondsLeft: null, cancelling: false };
    for (const chunk of chunks(files, IMPORT_CHUNK)) {
      if (this.cancelRequested) break;
      const uploaded: UploadedFile[] = await Promise.all(
        chunk.map(async ({ relativePath, file }) => ({ relativePath, bytes: new Uint8Array(await file.arrayBuffer()) })),
      );
      // Over msgpack an undefined field arrives as null, so batchId is left out until there is one.
      const request = { projectId: this.projectId, files: uploaded, ...target, ...(batchId === undefined ? {} : { batchId }) };
      const reply = await attempt(this.context.api.importFiles(request), (m) => (this.error = m));
      if (!reply) break;
      batchId = reply.batchId;
      addTo(merged, reply.report);
      sent += chunk.length;
      const rate = sent / ((performance.now() - started) / 1000);
      this.progress = {
        done: sent,
        total: files.length,
        imagesPerSecond: rate,
        secondsLeft: (files.length - sent) / rate,
        cancelling: this.cancelRequested,
      };
      this.report = { ...merged };
      await this.onChange(false);
    }
    this.cancelled = this.cancelRequested && sent < files.length;
    this.report = { ...merged };
    this.progress = null;
    await this.onChange(true);
  }
}

function addTo(merged: ImportReport, report: ImportReport): void {
  merged.imported += report.imported;
  merged.duplicates.push(...report.duplicates);
  merged.rejected.push(...report.rejected);
  for (const name of report.classesCreated) if (!merged.classesCreated.includes(name)) merged.classesCreated.push(name);
}
