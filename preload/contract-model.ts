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
