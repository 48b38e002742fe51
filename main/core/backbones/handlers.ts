// Backbone operations: the cache of pretrained networks (shared by every project), downloads with
// progress events, imports from a folder, and what the model summary and training need of them.
import { z } from 'zod';
import { zodSays } from '../../../common/messages/said';
import type { BackboneOperations } from '../../../preload/contract';
import { empty, type HandlersOf, type SchemasOf, type ServiceContext } from '../service/context';

const backboneId = z.string().min(1).max(100);

export const BACKBONE_REQUESTS: SchemasOf<BackboneOperations> = {
  listBackbones: empty,
  downloadBackbone: z.object({ id: backboneId }),
  importBackbone: z.object({ path: z.string().min(1, zodSays('errors.backbones.folderMissing')).max(4096), id: backboneId.optional() }),
};

export function backboneHandlers({ backbones }: ServiceContext): HandlersOf<BackboneOperations> {
  return {
    listBackbones: () => backbones.list(),
    downloadBackbone: ({ id }) => backbones.download(id),
    importBackbone: ({ path, id }) => backbones.importFolder(path, id === undefined ? {} : { id }),
  };
}
