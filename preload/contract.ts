// The IPC contract between the renderer and the main side: operation names, their request and
// response types, and the events main pushes. Main implements it (Electron IPC and the browser
// host's WebSocket); the preload exposes one method per operation; the renderer imports types.
// Only type imports here, so the sandboxed preload can bundle it without pulling in anything.
import type { ModelSpec, SpecIssue } from '../common/model/spec';
import { DATASET_OPERATION_NAMES, type DatasetOperations, type ImportEvent } from './contract-dataset';
import { EVALUATE_OPERATION_NAMES, type EvaluateOperations } from './contract-evaluate';
import { EXPORT_OPERATION_NAMES, type ExportOperations } from './contract-export';
import { GUIDE_OPERATION_NAMES, type GuideOperations } from './contract-guide';
import { ACTIVATION_OPERATION_NAMES, type FilterImages, type ActivationOperations } from './contract-activations';
import { BACKBONE_OPERATION_NAMES, MODEL_OPERATION_NAMES, type BackboneEvent, type BackboneOperations, type ModelOperations } from './contract-model';
import { RUN_OPERATION_NAMES, type RunOperations } from './contract-runs';
import { SETTINGS_OPERATION_NAMES, type SettingsOperations } from './contract-settings';
import { PREDICT_OPERATION_NAMES, type PredictOperations } from './contract-predict';

export * from './contract-dataset';
export * from './contract-evaluate';
export * from './contract-export';
export * from './contract-guide';
export * from './contract-activations';
export * from './contract-model';
export * from './contract-runs';
export * from './contract-settings';
export * from './contract-predict';

/** Every error a person can meet, by code. */
export type ErrorCode =
  | 'invalid-argument'
  | 'not-found'
  | 'conflict'
  | 'invalid-spec'
  | 'database-too-new'
  | 'database-corrupt'
  | 'io'
  | 'disk-full'
  | 'busy'
  | 'trainer'
  | 'cancelled'
  | 'unsupported'
  | 'internal';

/** Values a sentence names (a file, a count...), put into its words in each language. */
export type MessageParams = Record<string, string | number>;

/**
 * A sentence the main side made for a person. `message` is its English text (logs, the CLI); `key`
 * and `params` name it in the core catalogue (common/messages) so the screen says it in the
 * person's language. Text no catalogue holds (a library's own error) has no key and is shown as it is.
 */
export interface Said {
  message: string;
  key?: string;
  params?: MessageParams;
}

/** An error crossing the contract: a code and a sentence a person can act on. */
export interface CapaErrorValue extends Said {
  code: ErrorCode;
  /** Field-level problems, for `invalid-spec` and `invalid-argument`. */
  issues?: SpecIssue[];
}

/** What every operation returns: a value or an error value; raw exceptions never cross. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: CapaErrorValue };

/** A project as the projects screen lists it. */
export interface ProjectSummary {
  id: string;
  name: string;
  /** ISO 8601 time of creation. */
  createdAt: string;
  imageCount: number;
  classCount: number;
}

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

/** The time a run was estimated to take before it started, stored with it and checked against its duration. */
export interface RunEstimate {
  /** Estimated seconds. */
  seconds: number;
  /** Pictures per epoch (the training split). */
  pictures: number;
  epochs: number;
  picturesPerSecond: number;
  /** The engine the speed was measured on ("wasm", "tensorflow", ...). */
  engine: string;
  /** "runs": measured on this computer's runs; "guess": a default for a 2-core computer. */
  source: 'runs' | 'guess';
}

/** Live events of a run, pushed from main to the renderer. */
export type RunEvent =
  /** `resumedFrom`: present when the run resumed; the last finished epoch it continues after (0: from the start). */
  | { runId: string; kind: 'started'; backend: BackendInfo; trainCount: number; validationCount: number; resumedFrom?: number }
  | { runId: string; kind: 'progress'; epoch: number; epochs: number; batch: number; batches: number; loss: number; accuracy: number; imagesPerSecond: number }
  | { runId: string; kind: 'epoch'; metrics: EpochMetrics; epochs: number }
  /** A line of the run's log: the sentence (Said) with its level. */
  | ({ runId: string; kind: 'log'; level: 'info' | 'warn' } & Said)
  /** The first convolutional layer's filters before training (epoch 0) and after each epoch; only for networks that have one. */
  | { runId: string; kind: 'filters'; epoch: number; filters: FilterImages }
  | { runId: string; kind: 'done'; status: RunStatus; error: Said | null };

/** A prediction for one image. */
export interface Prediction {
  /** Every class with its probability, in the model's class order. */
  probabilities: { className: string; probability: number }[];
  /** The most probable class. */
  best: string;
  /** Time taken, in milliseconds. */
  milliseconds: number;
}

/** Where an export was written. */
export interface ExportResult {
  /** Folder holding the files. */
  directory: string;
  /** File names written in it. */
  files: string[];
  /** Browser host only: path under which the written file can be downloaded (`/download/<projectId>/<file>`). */
  download?: string;
}

/** Facts about the running app. */
export interface AppInfo {
  version: string;
  /** Where projects live. */
  dataDirectory: string;
  /** "electron" or "browser". */
  host: 'electron' | 'browser';
}

/** Every operation: its request and response. Dataset, model, evaluate, export, settings, run, use, inside and guide operations live in their own files. */
export interface Operations extends DatasetOperations, ModelOperations, BackboneOperations, EvaluateOperations, ExportOperations, SettingsOperations, RunOperations, PredictOperations, ActivationOperations, GuideOperations {
  /** Version, host and data folder. */
  appInfo: { request: Record<string, never>; response: AppInfo };
  /** All projects, newest first. */
  listProjects: { request: Record<string, never>; response: ProjectSummary[] };
  /** Creates an empty project. */
  createProject: { request: { name: string }; response: ProjectSummary };
  /** Renames a project. */
  renameProject: { request: { projectId: string; name: string }; response: ProjectSummary };
  /** Deletes a project and all its files. */
  deleteProject: { request: { projectId: string }; response: null };
  /** Classifies one image with a finished run's best weights. */
  predict: { request: { projectId: string; runId: string; bytes: Uint8Array }; response: Prediction };
}

export type OperationName = keyof Operations;
export type RequestOf<K extends OperationName> = Operations[K]['request'];
export type ResponseOf<K extends OperationName> = Operations[K]['response'];

/** Operation names at run time, in one list, so both sides wire exactly the same set. */
export const OPERATION_NAMES = [
  ...DATASET_OPERATION_NAMES,
  ...MODEL_OPERATION_NAMES,
  ...BACKBONE_OPERATION_NAMES,
  ...EVALUATE_OPERATION_NAMES,
  ...EXPORT_OPERATION_NAMES,
  ...SETTINGS_OPERATION_NAMES,
  ...RUN_OPERATION_NAMES,
  ...PREDICT_OPERATION_NAMES,
  ...GUIDE_OPERATION_NAMES,
  ...ACTIVATION_OPERATION_NAMES,
  'appInfo',
  'listProjects',
  'createProject',
  'renameProject',
  'deleteProject',
  'predict',
] as const satisfies readonly OperationName[];

// Fails to compile if OPERATION_NAMES misses an operation.
type Missing = Exclude<OperationName, (typeof OPERATION_NAMES)[number]>;
const allListed: Missing extends never ? true : Missing = true;
void allListed;

/** The IPC channel of an operation. */
export const channelOf = (name: OperationName): string => `capa:${name}`;
/** The channel on which main pushes run events. */
export const RUN_EVENT_CHANNEL = 'capa:run-event';
/** The channel on which main pushes import events. */
export const IMPORT_EVENT_CHANNEL = 'capa:import-event';

/** What the renderer sees as `window.capa`: one method per operation, plus event subscriptions. */
export type CapaApi = { [K in OperationName]: (request: RequestOf<K>) => Promise<Result<ResponseOf<K>>> } & {
  /** Subscribes to run events; returns the unsubscribe function. */
  onRunEvent(listener: (event: RunEvent) => void): () => void;
  /** Subscribes to background import events; returns the unsubscribe function. */
  onImportEvent(listener: (event: ImportEvent) => void): () => void;
  /** Subscribes to backbone download events; returns the unsubscribe function. */
  onBackboneEvent(listener: (event: BackboneEvent) => void): () => void;
  /** Electron only: the file-system path of a dropped File (undefined in a browser). */
  pathForFile?(file: File): string | undefined;
};

// ---- The browser host's wire format (WebSocket at /api, messages encoded with msgpack) ----

/** Renderer to browser host: one operation call. */
export interface WireCall {
  id: number;
  op: OperationName;
  request: unknown;
}

/** Browser host to renderer: the reply to a call, a pushed run event or a pushed import event. */
export type WireMessage = { id: number; result: Result<unknown> } | { event: RunEvent } | { importEvent: ImportEvent } | { backboneEvent: BackboneEvent };

/** Kinds of image the media route serves: a cached thumbnail or the stored original. */
export type MediaKind = 'thumb' | 'image';

/** Path of an image under the media route; Electron serves it as `capa-media://media/<path>`, the browser host as `/media/<path>`. */
export const mediaPath = (kind: MediaKind, projectId: string, imageId: number): string =>
  `${kind}/${encodeURIComponent(projectId)}/${imageId}`;
