// The IPC contract between the renderer and the main side: operation names, their request and
// response types, and the events main pushes. Main implements it (Electron IPC and the browser
// host's WebSocket); the preload exposes one method per operation; the renderer imports types.
// Only type imports here, so the sandboxed preload can bundle it without pulling in anything.
import type { ImportEvent } from './contract-dataset';
import type { Prediction } from './contract-predict';
import type { AppInfo, ProjectSummary } from './contract-projects';
import type { RunEvent } from './contract-runs';
import type { Result } from '../common/messages/errors';

export type { MessageParams, Said } from '../common/messages/said';
export type { CapaErrorValue, ErrorCode, Result } from '../common/messages/errors';
export type { SpecIssue } from '../common/model/spec';
export * from './contract-projects';
import { DATASET_OPERATION_NAMES, type DatasetOperations } from './contract-dataset';
import { EVALUATE_OPERATION_NAMES, type EvaluateOperations } from './contract-evaluate';
import { EXPORT_OPERATION_NAMES, type ExportOperations } from './contract-export';
import { GUIDE_OPERATION_NAMES, type GuideOperations } from './contract-guide';
import { ACTIVATION_OPERATION_NAMES, type ActivationOperations } from './contract-activations';
import {
  BACKBONE_OPERATION_NAMES,
  MODEL_OPERATION_NAMES,
  type BackboneEvent,
  type BackboneOperations,
  type ModelOperations,
} from './contract-model';
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

/** Every operation: its request and response. Dataset, model, evaluate, export, settings, run, use, inside and guide operations live in their own files. */
export interface Operations
  extends
    DatasetOperations,
    ModelOperations,
    BackboneOperations,
    EvaluateOperations,
    ExportOperations,
    SettingsOperations,
    RunOperations,
    PredictOperations,
    ActivationOperations,
    GuideOperations {
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
export type WireMessage =
  { id: number; result: Result<unknown> } | { event: RunEvent } | { importEvent: ImportEvent } | { backboneEvent: BackboneEvent };

/** Kinds of image the media route serves: a cached thumbnail or the stored original. */
export type MediaKind = 'thumb' | 'image';

/** Path of an image under the media route; Electron serves it as `capa-media://media/<path>`, the browser host as `/media/<path>`. */
export const mediaPath = (kind: MediaKind, projectId: string, imageId: number): string =>
  `${kind}/${encodeURIComponent(projectId)}/${imageId}`;
