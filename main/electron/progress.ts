// The dock / taskbar progress bar and the "training finished" notification, decided from the
// same run and import events the renderer gets. Pure, so it is tested without Electron.
import type { ImportEvent, RunEvent } from '../../preload/contract';
import type { Language } from '../../common/messages/languages';
import { said, sayIn, type CoreKey } from '../../common/messages/said';

/** What the shell shows: a fraction 0..1, indeterminate (2, as Electron's setProgressBar reads it), or nothing (-1). */
export type ProgressValue = number;

/** Electron's setProgressBar shows an indeterminate bar for a value above 1. */
export const INDETERMINATE = 2;
/** Electron's setProgressBar removes the bar for a negative value. */
export const NO_PROGRESS = -1;

/** Follows running trainings and imports; the bar shows the one furthest from done. */
export class TaskbarProgress {
  private readonly runs = new Map<string, number>();
  private readonly imports = new Map<string, number>();

  /** Takes a run event; returns the bar's new value. */
  run(event: RunEvent): ProgressValue {
    if (event.kind === 'started') this.runs.set(event.runId, INDETERMINATE);
    if (event.kind === 'progress') {
      const batches = Math.max(1, event.batches);
      this.runs.set(event.runId, Math.min(1, (event.epoch - 1 + event.batch / batches) / Math.max(1, event.epochs)));
    }
    if (event.kind === 'done') this.runs.delete(event.runId);
    return this.value();
  }

  /** Takes an import event; returns the bar's new value. */
  import(event: ImportEvent): ProgressValue {
    if (event.kind === 'progress')
      this.imports.set(event.importId, event.total > 0 ? Math.min(1, event.done / event.total) : INDETERMINATE);
    if (event.kind === 'done') this.imports.delete(event.importId);
    return this.value();
  }

  /** The bar: the least advanced task, indeterminate before the first batch, nothing when idle. */
  value(): ProgressValue {
    const all = [...this.runs.values(), ...this.imports.values()];
    if (all.length === 0) return NO_PROGRESS;
    const known = all.filter((value) => value <= 1);
    return known.length === 0 ? INDETERMINATE : Math.min(...known);
  }
}

/** The notification to show when a run ends, in `language`, or null (it did not end, or the window is in view). */
export function runEndNotification(event: RunEvent, windowHidden: boolean, language: Language): { title: string; body: string } | null {
  if (event.kind !== 'done' || !windowHidden) return null;
  const say = (key: CoreKey) => sayIn(language, said(key));
  switch (event.status) {
    case 'completed':
      return { title: say('desktop.notification.finishedTitle'), body: say('desktop.notification.finishedBody') };
    case 'stopped':
      return { title: say('desktop.notification.stoppedTitle'), body: say('desktop.notification.stoppedBody') };
    case 'failed':
      return {
        title: say('desktop.notification.failedTitle'),
        body: event.error ? sayIn(language, event.error) : say('desktop.notification.failedBody'),
      };
    default:
      // Interrupted: the run's own reason says why and that it can resume.
      return {
        title: say('desktop.notification.endedTitle'),
        body: event.error ? sayIn(language, event.error) : say('desktop.notification.endedBody'),
      };
  }
}
