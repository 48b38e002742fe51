// The runs table's order: a column to sort by, starred runs always first.
import type { RunInfo, RunStatus } from '../../../preload/contract';
import { bestValidationAccuracy, runName } from './run-text';

/** Columns of the runs table, in the order shown; each sorts the table. */
export const RUN_SORT_KEYS = ['name', 'status', 'bestAccuracy', 'finalLoss', 'epochs', 'duration', 'backend', 'preset', 'date'] as const;

/** Columns the runs table sorts by. */
export type RunSortKey = (typeof RUN_SORT_KEYS)[number];

/** Statuses in the order of a run's life, so sorting by status reads the same in every language. */
const STATUS_ORDER: Record<RunStatus, number> = { queued: 0, running: 1, completed: 2, stopped: 3, interrupted: 4, failed: 5 };

/** The value a column sorts by; null sorts last whatever the direction. */
function sortValue(run: RunInfo, key: RunSortKey): string | number | null {
  switch (key) {
    case 'date':
      return run.createdAt;
    case 'name':
      return runName(run).toLowerCase();
    case 'status':
      return STATUS_ORDER[run.status];
    case 'bestAccuracy':
      return bestValidationAccuracy(run);
    case 'finalLoss':
      return run.epochs.at(-1)?.loss ?? null;
    case 'epochs':
      return run.epochs.length;
    case 'duration':
      return run.durationSeconds;
    case 'backend':
      return run.backend?.name ?? null;
    case 'preset':
      return run.spec.preset;
  }
}

/** `runs` sorted by `key`, starred first; ties keep the newest first. */
export function sortRuns(runs: readonly RunInfo[], key: RunSortKey, descending: boolean): RunInfo[] {
  return [...runs].sort((a, b) => {
    if (a.starred !== b.starred) return a.starred ? -1 : 1;
    const [x, y] = [sortValue(a, key), sortValue(b, key)];
    if (x === null || y === null) return x === y ? b.createdAt.localeCompare(a.createdAt) : x === null ? 1 : -1;
    const order = x < y ? -1 : x > y ? 1 : 0;
    return (descending ? -order : order) || b.createdAt.localeCompare(a.createdAt);
  });
}
