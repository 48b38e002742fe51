// Dataset operations: classes, images, import (waiting or in the background), undo, splits and
// portability (dataset tree or zip, whole-project archive).
import { basename } from 'node:path';
import { z } from 'zod';
import { zodSays } from '../../../common/messages/said';
import type { DatasetOperations, ExportResult, Split } from '../../../preload/contract';
import { exportDataset } from './export';
import { batchLabel, entriesFromPaths, entriesFromUploads, runImport } from './import-files';
import { flatFolderName } from '../../../common/dataset/folder-classes';
import { exportProjectArchive, importProjectArchive } from '../projects/archive';
import type { Project, StoredFile } from '../projects/project';
import { ImageStore } from './image-store';
import { classId, imageIds, name, projectId, type HandlersOf, type SchemasOf, type ServiceContext } from '../service/context';

const uploaded = z.object({
  relativePath: z
    .string()
    .min(1)
    .max(1000)
    .refine((p) => !p.split(/[\\/]/).includes('..'), zodSays('errors.dataset.pathUp')),
  bytes: z.instanceof(Uint8Array),
});

const split = z.enum(['train', 'validation', 'test']);
const side = z.number().int().nonnegative();
const share = z.number().int().min(0).max(100);
const paths = z.array(z.string().min(1).max(4096)).min(1).max(10_000);
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, zodSays('errors.dataset.colour'));

export const DATASET_REQUESTS: SchemasOf<DatasetOperations> = {
  getDataset: z.object({ projectId }),
  listImages: z.object({
    projectId,
    classId: classId.nullable().optional(),
    split: split.optional(),
    search: z.string().max(200).optional(),
    minSide: side.optional(),
    maxSide: side.optional(),
    batchId: z.number().int().positive().optional(),
    offset: z.number().int().nonnegative(),
    limit: z.number().int().positive().max(1000),
  }),
  importPaths: z.object({
    projectId,
    paths,
    classId: classId.nullable().optional(),
    split: split.optional(),
    ignoreFolders: z.boolean().nullable().optional(),
  }),
  startImport: z.object({
    projectId,
    paths,
    classId: classId.nullable().optional(),
    split: split.optional(),
    ignoreFolders: z.boolean().nullable().optional(),
  }),
  flatFolder: z.object({ projectId, paths }),
  cancelImport: z.object({ projectId, importId: z.string().min(1).max(100) }),
  importFiles: z.object({
    projectId,
    files: z.array(uploaded).min(1).max(1000),
    classId: classId.nullable().optional(),
    batchId: z.number().int().positive().optional(),
    split: split.optional(),
    ignoreFolders: z.boolean().nullable().optional(),
  }),
  createClass: z.object({ projectId, name }),
  renameClass: z.object({ projectId, classId, name }),
  recolorClass: z.object({ projectId, classId, color }),
  deleteClass: z.object({ projectId, classId, withImages: z.boolean() }),
  mergeClasses: z.object({ projectId, sourceClassId: classId, targetClassId: classId }),
  setImageClass: z.object({ projectId, imageIds, classId: classId.nullable() }),
  deleteImages: z.object({ projectId, imageIds }),
  undo: z.object({ projectId }),
  setSplitShares: z.object({ projectId, train: share, validation: share, test: share }),
  pinImages: z.object({ projectId, imageIds, split: split.nullable() }),
  pinBatch: z.object({ projectId, batchId: z.number().int().positive(), split: split.nullable() }),
  exportDataset: z.object({ projectId, format: z.enum(['folder', 'zip']) }),
  exportProject: z.object({ projectId }),
  importProject: z.object({ path: z.string().min(1).max(4096) }),
};

/** What an import of dropped paths is called in the list of imports. */
const labelOf = (paths: readonly string[]) => batchLabel(paths.map((path) => basename(path)));

/** Removes stored files the undo trash no longer needs (after the action's transaction committed). */
async function removeFiles(project: Project, files: readonly StoredFile[]): Promise<null> {
  const store = new ImageStore(project.dir);
  for (const { hash, ext } of files) await store.remove(hash, ext);
  return null;
}

export function datasetHandlers({ library, imports, options }: ServiceContext): HandlersOf<DatasetOperations> {
  /** In the browser host, a written zip or archive can be downloaded (a folder cannot); say where. */
  const withDownload = (projectId: string, result: ExportResult): ExportResult =>
    options.host === 'browser' && result.files.length === 1 && /\.(zip|capa)$/.test(result.files[0]!)
      ? { ...result, download: `/download/${encodeURIComponent(projectId)}/${encodeURIComponent(result.files[0]!)}` }
      : result;
  const importOptions = (classId: number | null | undefined, split: Split | undefined, ignoreFolders?: boolean | null) => ({
    classId: classId ?? null,
    ...(split ? { split } : {}),
    ...(ignoreFolders ? { ignoreFolders: true } : {}),
  });
  return {
    getDataset: ({ projectId }) => library.get(projectId).dataset(),
    listImages: ({ projectId, offset, limit, ...filter }) => library.get(projectId).images.list(filter, offset, limit),
    importPaths: async ({ projectId, paths, classId, split, ignoreFolders }) => {
      const project = library.get(projectId);
      const outcome = await runImport(project, await entriesFromPaths(paths), {
        ...importOptions(classId, split, ignoreFolders),
        label: labelOf(paths),
      });
      return outcome.report;
    },
    startImport: ({ projectId, paths, classId, split, ignoreFolders }) => ({
      importId: imports.start(library.get(projectId), () => entriesFromPaths(paths), {
        ...importOptions(classId, split, ignoreFolders),
        label: labelOf(paths),
      }),
    }),
    flatFolder: async ({ projectId, paths }) => {
      library.get(projectId); // a project that does not exist is refused, as for every operation naming one
      return { name: flatFolderName((await entriesFromPaths(paths)).map((entry) => entry.relativePath)) };
    },
    cancelImport: async ({ projectId, importId }) => {
      await imports.cancel(projectId, importId);
      return null;
    },
    importFiles: async ({ projectId, files, classId, batchId, split, ignoreFolders }) => {
      const { report, batchId: batch } = await runImport(library.get(projectId), entriesFromUploads(files), {
        ...importOptions(classId, split, ignoreFolders),
        ...(batchId !== undefined ? { batchId } : {}),
      });
      return { report, batchId: batch };
    },
    createClass: ({ projectId, name }) => library.get(projectId).classes.create(name),
    renameClass: ({ projectId, classId, name }) => library.get(projectId).classes.rename(classId, name),
    recolorClass: ({ projectId, classId, color }) => library.get(projectId).classes.recolor(classId, color),
    deleteClass: ({ projectId, classId, withImages }) => {
      const project = library.get(projectId);
      return removeFiles(project, project.classes.delete(classId, withImages));
    },
    mergeClasses: async ({ projectId, sourceClassId, targetClassId }) => {
      const project = library.get(projectId);
      const { target, purged } = project.classes.merge(sourceClassId, targetClassId);
      await removeFiles(project, purged);
      return target;
    },
    setImageClass: ({ projectId, imageIds, classId }) => {
      const project = library.get(projectId);
      return removeFiles(project, project.images.setClass(imageIds, classId));
    },
    deleteImages: ({ projectId, imageIds }) => {
      const project = library.get(projectId);
      return removeFiles(project, project.images.delete(imageIds));
    },
    undo: ({ projectId }) => library.get(projectId).undo(),
    setSplitShares: ({ projectId, train, validation, test }) => {
      const project = library.get(projectId);
      project.splits.setShares({ train, validation, test });
      return project.dataset();
    },
    pinImages: ({ projectId, imageIds, split }) => {
      library.get(projectId).splits.pin(imageIds, split);
      return null;
    },
    pinBatch: ({ projectId, batchId, split }) => {
      library.get(projectId).batches.pin(batchId, split);
      return null;
    },
    exportDataset: async ({ projectId, format }) => withDownload(projectId, await exportDataset(library.get(projectId), format)),
    exportProject: async ({ projectId }) => withDownload(projectId, await exportProjectArchive(library.get(projectId))),
    importProject: ({ path }) => importProjectArchive(library, path),
  };
}
