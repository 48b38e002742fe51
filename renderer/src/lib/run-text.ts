// Facts about runs shared by the train, try and export screens; the words for them are in the
// catalogues (runs.status, runs.badge), so this file stays free of the interface's language.
import type { RunInfo, RunStatus } from '../../../preload/contract';

/** The last epoch's accuracy on validation pictures, else on training pictures. */
export function finalAccuracy(run: RunInfo): { value: number; on: 'validation' | 'training' } | null {
  const last = run.epochs.at(-1);
  if (!last) return null;
  return last.valAccuracy !== null ? { value: last.valAccuracy, on: 'validation' } : { value: last.accuracy, on: 'training' };
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
