// Dataset operations: classes, images and import.
import { z } from 'zod';
import type { DatasetOperations } from '../../../preload/contract';
import { entriesFromPaths, entriesFromUploads, importEntries } from '../importer';
import { ImageStore } from '../store';
import { classId, imageIds, name, projectId, type HandlersOf, type SchemasOf, type ServiceContext } from './context';

const uploaded = z.object({
  relativePath: z
    .string()
    .min(1)
    .max(1000)
    .refine((p) => !p.split(/[\\/]/).includes('..'), 'A file path may not contain "..".'),
  bytes: z.instanceof(Uint8Array),
});

export const DATASET_REQUESTS: SchemasOf<DatasetOperations> = {
  getDataset: z.object({ projectId }),
  listImages: z.object({
    projectId,
    classId: classId.nullable().optional(),
    offset: z.number().int().nonnegative(),
    limit: z.number().int().positive().max(1000),
  }),
  importPaths: z.object({ projectId, paths: z.array(z.string().min(1).max(4096)).min(1).max(10_000), classId: classId.nullable().optional() }),
  importFiles: z.object({ projectId, files: z.array(uploaded).min(1).max(1000), classId: classId.nullable().optional() }),
  createClass: z.object({ projectId, name }),
  renameClass: z.object({ projectId, classId, name }),
  deleteClass: z.object({ projectId, classId }),
  setImageClass: z.object({ projectId, imageIds, classId: classId.nullable() }),
  deleteImages: z.object({ projectId, imageIds }),
};

export function datasetHandlers({ library }: ServiceContext): HandlersOf<DatasetOperations> {
  return {
    getDataset: ({ projectId }) => library.get(projectId).dataset(),
    listImages: ({ projectId, classId, offset, limit }) => library.get(projectId).listImages(classId, offset, limit),
    importPaths: async ({ projectId, paths, classId }) => importEntries(library.get(projectId), await entriesFromPaths(paths), { classId }),
    importFiles: ({ projectId, files, classId }) => importEntries(library.get(projectId), entriesFromUploads(files), { classId }),
    createClass: ({ projectId, name }) => library.get(projectId).createClass(name),
    renameClass: ({ projectId, classId, name }) => library.get(projectId).renameClass(classId, name),
    deleteClass: ({ projectId, classId }) => {
      library.get(projectId).deleteClass(classId);
      return null;
    },
    setImageClass: ({ projectId, imageIds, classId }) => {
      library.get(projectId).setImageClass(imageIds, classId);
      return null;
    },
    deleteImages: async ({ projectId, imageIds }) => {
      const project = library.get(projectId);
      const store = new ImageStore(project.dir);
      for (const { hash, ext } of project.deleteImages(imageIds)) await store.remove(hash, ext);
      return null;
    },
  };
}
