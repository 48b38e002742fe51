// The model summary of a spec with a backbone, shared by the service and the renderer (pure: no
// Node imports): the backbone's shape comes from whoever knows the cache.
import { said } from '../messages/said';
import type { ModelSpec } from '../model/spec';
import { summarize, type BackboneShape, type ModelSummary } from '../model/summary';

/** Anything that can tell a backbone's shape by id (the cache in main, the list in the renderer). */
export interface BackboneShapes {
  /** The summary's view of a backbone, or null when unknown. */
  shape(id: string): BackboneShape | null;
  /** Whether its last blocks can be trained (TensorFlow.js trains layers models, not graph models). */
  canFineTune(id: string): boolean;
}

/**
 * The Keras-style summary of a spec, with its backbone's shape when it has one, plus what only
 * the backbone side can tell: whether its last blocks can be fine-tuned.
 */
export function summarizeWithBackbone(spec: ModelSpec, numClasses: number, backbones: BackboneShapes): ModelSummary {
  const summary = summarize(spec, numClasses, spec.backbone ? backbones.shape(spec.backbone.id) : undefined);
  const { backbone } = spec;
  const shape = backbone ? backbones.shape(backbone.id) : null;
  if (backbone && shape && backbone.trainable_blocks > 0 && !backbones.canFineTune(backbone.id)) {
    summary.issues.push({
      path: ['backbone', 'trainable_blocks'],
      ...said('model.backbones.graphCannotFineTune', { title: shape.title, count: backbone.trainable_blocks }),
    });
  }
  return summary;
}
