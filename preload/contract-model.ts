// The model part of the contract: the spec a project trains and its summary.
import type { ModelSpec } from '../main/core/spec/spec';
import type { ModelSummary } from '../main/core/spec/summary';

/** Operations on a project's model spec. */
export interface ModelOperations {
  /** The spec the model screen edits (the project's current one, or the default preset). */
  getSpec: { request: { projectId: string }; response: ModelSpec };
  /** Validates and stores the project's current spec. */
  saveSpec: { request: { projectId: string; spec: unknown }; response: ModelSpec };
  /** Keras-style summary of a spec for this project's classes; validation issues included. */
  summarizeSpec: { request: { projectId: string; spec: unknown }; response: ModelSummary };
}

export const MODEL_OPERATION_NAMES = [
  'getSpec',
  'saveSpec',
  'summarizeSpec',
] as const satisfies readonly (keyof ModelOperations)[];

// ---- Pretrained backbones (transfer learning): listed, downloaded with progress, or imported from a folder ----

/** A pretrained network as the model screen lists it. */
export interface BackboneInfo {
  /** Id stored in `spec.backbone.id`. */
  id: string;
  /** Name shown to a person, e.g. "MobileNet V2 1.0 · 224 px". */
  title: string;
  /** One sentence on when to choose it. */
  description: string;
  /** Where it is downloaded from (or the folder it was imported from). */
  url: string;
  /** Square image size it takes, in pixels. */
  inputSize: number;
  /** Length of the feature vector the head receives. */
  features: number;
  /** Number of its weights. */
  params: number;
  /** Download size in bytes (approximate until downloaded). */
  sizeBytes: number;
  /** "absent" (not on this computer), "downloading" or "ready". */
  state: 'absent' | 'downloading' | 'ready';
  /** How the cached copy arrived, or null when there is none. */
  source: 'download' | 'import' | null;
  /** True when the files matched published checksums; false when their hashes were only recorded on arrival. */
  verified: boolean;
}

/** Live events of backbone downloads, pushed from main to the renderer. */
export type BackboneEvent =
  | { id: string; kind: 'progress'; bytes: number; total: number; bytesPerSecond: number }
  | { id: string; kind: 'done'; backbone: BackboneInfo }
  | { id: string; kind: 'error'; message: string };

/** Operations on the cache of pretrained networks (shared by every project). */
export interface BackboneOperations {
  /** Every known backbone with its download state. */
  listBackbones: { request: Record<string, never>; response: BackboneInfo[] };
  /** Downloads a backbone (progress arrives as backbone events); resolves when it is ready, at once if cached. */
  downloadBackbone: { request: { id: string }; response: BackboneInfo };
  /** Copies a TensorFlow.js model folder into the cache, for computers without internet; `id` makes it stand in for a catalogue entry. */
  importBackbone: { request: { path: string; id?: string }; response: BackboneInfo };
}

export const BACKBONE_OPERATION_NAMES = [
  'listBackbones',
  'downloadBackbone',
  'importBackbone',
] as const satisfies readonly (keyof BackboneOperations)[];

/** The channel on which main pushes backbone events. */
export const BACKBONE_EVENT_CHANNEL = 'capa:backbone-event';
