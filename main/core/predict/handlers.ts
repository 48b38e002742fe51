// Use operations: a trained model on new pictures (a folder or many files), and labels suggested
// for the Unlabelled pictures, accepted as one undoable action.
import { z } from 'zod';
import type { PredictOperations } from '../../../preload/contract-predict';
import { entriesFromPaths } from '../dataset/import-files';
import { said } from '../../../common/messages/said';
import { predictBatch, suggestLabels } from './batch-predict';
import { empty, projectId, runId, type HandlersOf, type SchemasOf, type ServiceContext } from '../service/context';

const file = z.string().min(1).max(4096);
const batchImage = z.union([
  z.object({ file, path: z.string().min(1).max(4096) }).strict(),
  z.object({ file, bytes: z.instanceof(Uint8Array) }).strict(),
]);
const id = z.number().int().positive();

export const PREDICT_REQUESTS: SchemasOf<PredictOperations> = {
  listFolder: z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(1000) }),
  // 64: twice a renderer's batch, so a renderer may send a little more, yet one call never holds a whole folder.
  predictBatch: z.object({ projectId, runId, images: z.array(batchImage).max(64) }),
  suggestLabels: z.object({
    projectId,
    runId,
    offset: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(1_000_000).optional(),
  }),
  acceptSuggestions: z.object({ projectId, labels: z.array(z.object({ imageId: id, classId: id })).max(100_000) }),
  inferenceEngine: empty,
};

export function predictHandlers(context: ServiceContext): HandlersOf<PredictOperations> {
  const { library } = context;
  return {
    // The importer's walk: same hidden-file and folder rules, so a folder predicts what it would import.
    listFolder: async ({ paths }) => (await entriesFromPaths(paths)).map((entry) => ({ file: entry.relativePath, path: entry.path! })),
    predictBatch: ({ projectId, runId, images }) => predictBatch(context, projectId, runId, images),
    suggestLabels: ({ projectId, runId, offset, limit }) => suggestLabels(context, projectId, runId, offset ?? 0, limit ?? 1_000_000),
    acceptSuggestions: ({ projectId, labels }) => {
      const project = library.get(projectId);
      let labelled = 0;
      project.images.setClasses(labels, (moved) => {
        labelled = moved;
        return said('data.undo.label', { count: moved });
      });
      return { labelled };
    },
    inferenceEngine: () => context.trainer.inference(),
  };
}
