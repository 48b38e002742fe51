// The runs part of the contract: start, stop and resume training, and the runs table (rename,
// star, delete, compare). Types only, plus the names.
import type { Said } from '../common/messages/said';
import type { ModelSpec } from '../common/model/spec';
import type { ComparedSetting } from '../common/runs/compare';
import type { FilterImages } from './contract-activations';
import type { RunEstimate } from '../common/model/auto-plan';

export type { RunEstimate } from '../common/model/auto-plan';

export type { ComparedSetting } from '../common/runs/compare';

export type RunStatus = 'queued' | 'running' | 'completed' | 'stopped' | 'failed' | 'interrupted';

/** Metrics of one finished epoch. */
export interface EpochMetrics {
  /** 1-based. */
  epoch: number;
  loss: number;
  accuracy: number;
  /** Null when there is no validation image. */
  valLoss: number | null;
  valAccuracy: number | null;
  /** Wall time of the epoch in seconds. */
  seconds: number;
}

/** The TensorFlow.js backend a run used. */
export interface BackendInfo {
  /** "tensorflow" (native, GPU or CPU), "wasm" or "cpu". */
  name: string;
  /** Human-readable in English, e.g. "WebAssembly (XNNPACK, SIMD, 2 threads)" or "TensorFlow CUDA on NVIDIA RTX 3060". */
  description: string;
  /** The description as a sentence to say in the person's language (absent in runs stored before it had one). */
  said?: Said;
  /** Whether a GPU does the work. */
  gpu: boolean;
  /** One line per faster backend that could not be loaded, with the reason. */
  fallbacks: string[];
  /** The same reasons as sentences to say in the person's language (absent in older runs). */
  skipped?: Said[];
}

/** A training run. */
export interface RunInfo {
  /** Unique id (a UUID). */
  id: string;
  /** Project it belongs to. */
  projectId: string;
  /** A name a person can change, exactly as typed; "Run 1", "Run 2"... (English) at first. */
  name: string;
  /** While the run keeps the name it was given ("Run 2"): that name as a sentence, said in the person's language; null once renamed. */
  defaultName: Said | null;
  /** Marked by the person, listed first. */
  starred: boolean;
  /** Where it is in its life. */
  status: RunStatus;
  /** The spec it trained (with its seed). */
  spec: ModelSpec;
  /** Class names in the model's output order. */
  classNames: string[];
  /** The backend that trained it, once it started. */
  backend: BackendInfo | null;
  /** ISO 8601 time it was created. */
  createdAt: string;
  /** ISO 8601 time it last finished (null while queued or running). */
  finishedAt: string | null;
  /** Metrics of each finished epoch. */
  epochs: EpochMetrics[];
  /** Epoch whose weights are its best (null before one finished). */
  bestEpoch: number | null;
  /** Seconds spent training, summed over every attempt (a resumed run counts both). */
  durationSeconds: number;
  /** The time it was estimated to take before it started (null for runs before estimates were stored). */
  estimate: RunEstimate | null;
  /** Why it failed or was interrupted, when it was. */
  error: Said | null;
}

/** Live events of a run, pushed from main to the renderer. */
export type RunEvent =
  /** `resumedFrom`: present when the run resumed; the last finished epoch it continues after (0: from the start). */
  | { runId: string; kind: 'started'; backend: BackendInfo; trainCount: number; validationCount: number; resumedFrom?: number }
  | {
      runId: string;
      kind: 'progress';
      epoch: number;
      epochs: number;
      batch: number;
      batches: number;
      loss: number;
      accuracy: number;
      imagesPerSecond: number;
    }
  | { runId: string; kind: 'epoch'; metrics: EpochMetrics; epochs: number }
  /** A line of the run's log: the sentence (Said) with its level. */
  | ({ runId: string; kind: 'log'; level: 'info' | 'warn' } & Said)
  /** The first convolutional layer's filters before training (epoch 0) and after each epoch; only for networks that have one. */
  | { runId: string; kind: 'filters'; epoch: number; filters: FilterImages }
  | { runId: string; kind: 'done'; status: RunStatus; error: Said | null };

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
