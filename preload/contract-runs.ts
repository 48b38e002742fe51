// The runs part of the contract: start, stop and resume training, and the runs table (rename,
// star, delete, compare). Types only, plus the names.
import type { RunInfo } from './contract';

/** One setting of the compared runs' specs, by its flattened path. */
export interface ComparedSetting {
  /** Dotted path in the spec, e.g. "training.learning_rate" or "layers.2.units". */
  path: string;
  /** The same in words, e.g. "Training › learning rate" or "Layer 3 (Dense) › units". */
  label: string;
  /** Its value in each compared run, in the order of `runs`, as text; null where a run has no such setting. */
  values: (string | null)[];
  /** Whether the runs disagree on it. */
  differs: boolean;
}

/** Two or more runs side by side. */
export interface RunComparison {
  /** The runs, in the order asked for. */
  runs: RunInfo[];
  /** Every setting of their specs (and the backend), those that differ first. */
  settings: ComparedSetting[];
}

/** Training and the runs table. */
export interface RunOperations {
  /** Starts training the project's current spec; returns the run at once (queued or running). */
  startRun: { request: { projectId: string }; response: RunInfo };
  /** Asks a run to stop after its current batch, keeping its best weights. */
  stopRun: { request: { projectId: string; runId: string }; response: null };
  /** Continues an interrupted or stopped run from its last finished epoch; returns it queued. */
  resumeRun: { request: { projectId: string; runId: string }; response: RunInfo };
  /** Runs of a project, newest first. */
  listRuns: { request: { projectId: string }; response: RunInfo[] };
  /** One run. */
  getRun: { request: { projectId: string; runId: string }; response: RunInfo };
  /** Renames a run. */
  renameRun: { request: { projectId: string; runId: string; name: string }; response: RunInfo };
  /** Stars or unstars a run. */
  starRun: { request: { projectId: string; runId: string; starred: boolean }; response: RunInfo };
  /** Deletes a run that is not training, with its weights and files. */
  deleteRun: { request: { projectId: string; runId: string }; response: null };
  /** Two or more runs with the settings in which they differ. */
  compareRuns: { request: { projectId: string; runIds: string[] }; response: RunComparison };
}

export const RUN_OPERATION_NAMES = [
  'startRun',
  'stopRun',
  'resumeRun',
  'listRuns',
  'getRun',
  'renameRun',
  'starRun',
  'deleteRun',
  'compareRuns',
] as const satisfies readonly (keyof RunOperations)[];
