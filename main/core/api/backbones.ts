// Backbone operations: the cache of pretrained networks (shared by every project), downloads with
// progress events, imports from a folder, and what the model summary and training need of them.
import { z } from 'zod';
import type { BackboneOperations } from '../../../preload/contract';
import type { BackboneCache } from '../backbones/cache';
import type { ModelSpec } from '../spec/spec';
import { summarize, type ModelSummary } from '../spec/summary';
import { empty, type HandlersOf, type SchemasOf, type ServiceContext } from './context';

const backboneId = z.string().min(1).max(100);

export const BACKBONE_REQUESTS: SchemasOf<BackboneOperations> = {
  listBackbones: empty,
  downloadBackbone: z.object({ id: backboneId }),
  importBackbone: z.object({ path: z.string().min(1, 'Choose a folder.').max(4096), id: backboneId.optional() }),
};

export function backboneHandlers({ backbones }: ServiceContext): HandlersOf<BackboneOperations> {
  return {
    listBackbones: () => backbones.list(),
    downloadBackbone: ({ id }) => backbones.download(id),
    importBackbone: ({ path, id }) => backbones.importFolder(path, id === undefined ? {} : { id }),
  };
}

/**
 * The Keras-style summary of a spec, with its backbone's shape when it has one, plus what only
 * the backbone cache can tell: whether fine-tuning is possible.
 */
export function summarizeWithBackbone(spec: ModelSpec, numClasses: number, backbones: BackboneCache): ModelSummary {
  const summary = summarize(spec, numClasses, spec.backbone ? backbones.shape(spec.backbone.id) : undefined);
  if (spec.backbone && spec.backbone.trainable_blocks > 0) {
    summary.issues.push({
      path: ['backbone', 'trainable_blocks'],
      message: `Fine-tuning the last ${spec.backbone.trainable_blocks} blocks of the pretrained network is not available yet; set it to 0 (the head still learns your classes).`,
    });
  }
  return summary;
}
