// The model part of the contract: the spec a project trains, its summary, and the project's
// named specs (several designs kept side by side, one selected for training).
import type { ModelSpec } from '../common/model/spec';
import type { ModelSummary } from '../common/model/summary';
import type { ModelPlan, TimeEstimate } from '../common/model/auto-plan';
import type { Said } from '../common/messages/said';

/** A saved, named model spec of a project. */
export interface NamedSpecInfo {
  /** Row id. */
  id: number;
  /** Unique within the project, whatever its case. */
  name: string;
  /** Preset it started from, or "custom". */
  preset: string;
  /** Number of hidden layers (for a transfer model, the ones on top of the pretrained network). */
  layerCount: number;
  /** Whether it starts from a pretrained network, whose own layers layerCount does not count. */
  transfer: boolean;
  /** Whether this is the spec that trains. */
  selected: boolean;
  /** ISO 8601 time of the last change. */
  updatedAt: string;
}

/** A project's saved specs. */
export interface NamedSpecList {
  /** Oldest first. */
  specs: NamedSpecInfo[];
  /** The selected spec's id, or null before any is saved. */
  selectedId: number | null;
}

/** Operations on a project's model spec. */
export interface ModelOperations {
  /** The spec the model screen edits (the project's current one, or Auto's plan where none was ever saved). */
  getSpec: { request: { projectId: string }; response: ModelSpec };
  /** Validates and stores the project's current spec (and the selected named spec). */
  saveSpec: { request: { projectId: string; spec: unknown }; response: ModelSpec };
  /** Keras-style summary of a spec for this project's classes; validation issues included. */
  summarizeSpec: { request: { projectId: string; spec: unknown }; response: ModelSummary };
  /** The project's named specs and which one is selected. */
  listSpecs: { request: { projectId: string }; response: NamedSpecList };
  /** Validates a spec and stores it under a new name, selected. */
  saveSpecAs: { request: { projectId: string; name: string; spec: unknown }; response: NamedSpecInfo };
  /** Copies a named spec under a new name. */
  duplicateSpec: { request: { projectId: string; specId: number; name: string }; response: NamedSpecInfo };
  /** Makes a named spec the one that trains; returns it. */
  selectSpec: { request: { projectId: string; specId: number }; response: ModelSpec };
  /** Renames a named spec. */
  renameSpec: { request: { projectId: string; specId: number; name: string }; response: NamedSpecInfo };
  /** Deletes a named spec that is not selected. */
  deleteSpec: { request: { projectId: string; specId: number }; response: null };
  /** Auto's plan for the project's pictures on this computer: a normal spec, a sentence per choice, its estimate. */
  planModel: { request: { projectId: string; budgetMinutes?: number }; response: ModelPlan };
  /** How long a spec (Auto's or not) will take to train on the project's pictures here. */
  estimateSpec: { request: { projectId: string; spec: unknown }; response: TimeEstimate };
}

export const MODEL_OPERATION_NAMES = [
  'getSpec',
  'saveSpec',
  'summarizeSpec',
  'listSpecs',
  'saveSpecAs',
  'duplicateSpec',
  'selectSpec',
  'renameSpec',
  'deleteSpec',
  'planModel',
  'estimateSpec',
] as const satisfies readonly (keyof ModelOperations)[];

// ---- Pretrained backbones (transfer learning): listed, downloaded with progress, or imported from a folder ----

/** A pretrained network as the model screen lists it. */
export interface BackboneInfo {
  /** Id stored in `spec.backbone.id`. */
  id: string;
  /** Name shown to a person, e.g. "MobileNet V2 1.0 · 224 px". */
  title: string;
  /** One sentence on when to choose it. */
  description: Said;
  /** Where it is downloaded from (or the folder it was imported from). */
  url: string;
  /** Square image size it takes, in pixels. */
  inputSize: number;
  /** "graph" (frozen: its weights cannot be trained in TensorFlow.js) or "layers" (its last blocks can be fine-tuned). */
  format: 'graph' | 'layers';
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
  | ({ id: string; kind: 'error' } & Said);

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
