// Background imports: each runs on the event loop in chunks (sharp decodes on its own threads),
// reports progress as ImportEvents, and can be cancelled between chunks; what was imported stays.
import { randomUUID } from 'node:crypto';
import type { ImportEvent, Said, Split } from '../../../preload/contract';
import { CapaError, toErrorValue } from '../../../common/messages/errors';
import { said } from '../../../common/messages/said';
import { runImport, type ImportEntry } from './import-files';
import type { Project } from '../projects/project';

/** Progress events are sent at most this often, so a fast import does not flood the window. */
const PROGRESS_INTERVAL_MS = 200;

export interface BackgroundImportOptions {
  /** Class for loose files; null or undefined for Unlabelled. */
  classId?: number | null;
  /** Pins every image of the batch to this split. */
  split?: Split;
  /** What the batch is called in the list of imports. */
  label: Said;
}

export class BackgroundImports {
  private readonly running = new Map<string, { projectId: string; controller: AbortController; finished: Promise<void> }>();
  private readonly listeners = new Set<(event: ImportEvent) => void>();

  onEvent(listener: (event: ImportEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts importing; `entries` is walked in the background too, so a huge folder returns at once. */
  start(project: Project, entries: () => Promise<ImportEntry[]>, options: BackgroundImportOptions): string {
    if (options.classId != null) project.classes.get(options.classId);
    const importId = randomUUID();
    const controller = new AbortController();
    const projectId = project.id;
    const started = performance.now();
    let lastSent = 0;
    const work = async (): Promise<void> => {
      const { report, cancelled } = await runImport(project, await entries(), {
        ...options,
        signal: controller.signal,
        onProgress: ({ done, total }) => {
          const now = performance.now();
          if (now - lastSent < PROGRESS_INTERVAL_MS && done < total) return;
          lastSent = now;
          const imagesPerSecond = done / Math.max((now - started) / 1000, 1e-3);
          const secondsLeft = done > 0 ? (total - done) / imagesPerSecond : null;
          this.emit({ importId, projectId, kind: 'progress', done, total, imagesPerSecond, secondsLeft });
        },
      });
      this.emit({ importId, projectId, kind: 'done', report, cancelled });
    };
    const finished = work()
      .catch((error: unknown) => {
        // A failure of the whole import (the project was deleted, the disk is full) still ends it,
        // reported as a rejection of no file in particular, in the words an error would use.
        const { code: _code, issues: _issues, ...sentence } = toErrorValue(error);
        this.emit({
          importId,
          projectId,
          kind: 'done',
          report: { imported: 0, duplicates: [], rejected: [{ file: '', reason: 'unreadable', ...sentence }], classesCreated: [] },
          cancelled: false,
        });
      })
      .finally(() => this.running.delete(importId));
    this.running.set(importId, { projectId, controller, finished });
    return importId;
  }

  /** Asks an import to stop after the files in flight; resolves when it has stopped. */
  async cancel(projectId: string, importId: string): Promise<void> {
    const entry = this.running.get(importId);
    if (!entry || entry.projectId !== projectId) throw new CapaError('not-found', said('data.imports.notRunning'));
    entry.controller.abort();
    await entry.finished;
  }

  /** Cancels every import (of one project, or all) and waits for them to stop. */
  async cancelAll(projectId?: string): Promise<void> {
    const stopping = [...this.running.values()].filter((e) => projectId === undefined || e.projectId === projectId);
    for (const entry of stopping) entry.controller.abort();
    await Promise.all(stopping.map((e) => e.finished));
  }

  private emit(event: ImportEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
