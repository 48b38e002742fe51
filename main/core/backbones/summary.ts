// The model summary of a spec with a backbone, shared by the service and the renderer (pure: no
// Node imports): the backbone's shape comes from whoever knows the cache.
import type { ModelSpec } from '../spec/spec';
import { summarize, type BackboneShape, type ModelSummary } from '../spec/summary';

/** Anything that can tell a backbone's shape by id (the cache in main, the list in the renderer). */
export interface BackboneShapes {
  /** The summary's view of a backbone, or null when unknown. */
  shape(id: string): BackboneShape | null;
}

/**
 * The Keras-style summary of a spec, with its backbone's shape when it has one, plus what only
 * the backbone side can tell: whether fine-tuning is possible.
 */
export function summarizeWithBackbone(spec: ModelSpec, numClasses: number, backbones: BackboneShapes): ModelSummary {
  const summary = summarize(spec, numClasses, spec.backbone ? backbones.shape(spec.backbone.id) : undefined);
  if (spec.backbone && spec.backbone.trainable_blocks > 0) {
    summary.issues.push({
      path: ['backbone', 'trainable_blocks'],
      message: `Fine-tuning the last ${spec.backbone.trainable_blocks} blocks of the pretrained network is not available yet; set it to 0 (the head still learns your classes).`,
    });
  }
  return summary;
}
