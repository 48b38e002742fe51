// Plain-English descriptions of runs, shared by the train, try and export screens.
import type { RunInfo, RunStatus } from '../../../preload/contract';
import { formatPercent } from './format';

export const STATUS_LABEL: Record<RunStatus, string> = {
  queued: 'Waiting to start',
  running: 'Training',
  completed: 'Finished',
  stopped: 'Stopped',
  failed: 'Failed',
  interrupted: 'Interrupted',
};

/** The last epoch's accuracy on validation pictures, else on training pictures. */
export function finalAccuracy(run: RunInfo): { value: number; on: 'validation' | 'training' } | null {
  const last = run.epochs.at(-1);
  if (!last) return null;
  return last.valAccuracy !== null ? { value: last.valAccuracy, on: 'validation' } : { value: last.accuracy, on: 'training' };
}

/** A one-line label for a run in lists and pickers. */
export function runLabel(run: RunInfo): string {
  const accuracy = finalAccuracy(run);
  const acc = accuracy ? `, ${formatPercent(accuracy.value)} ${accuracy.on} accuracy` : '';
  return `${run.name}: ${STATUS_LABEL[run.status].toLowerCase()}${acc}`;
}

/** The best validation accuracy of any epoch, or null without validation. */
export function bestValidationAccuracy(run: RunInfo): number | null {
  const values = run.epochs.flatMap((e) => (e.valAccuracy === null ? [] : [e.valAccuracy]));
  return values.length > 0 ? Math.max(...values) : null;
}

/** Statuses from which a run can continue where it ended. */
export const RESUMABLE_STATUSES: ReadonlySet<RunStatus> = new Set(['interrupted', 'stopped']);

/** Whether the Resume button makes sense: cut short, with epochs left to train. */
export const canResume = (run: RunInfo): boolean => RESUMABLE_STATUSES.has(run.status) && run.epochs.length < run.spec.training.epochs;
