// Export operations: which formats a run's model can be written to, and the export itself.
import { readdir } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, sep } from 'node:path';
import { z } from 'zod';
import { zodSays } from '../../../common/messages/said';
import { EXPORT_FORMATS, type ExportOperations, type ModelExportResult } from '../../../preload/contract';
import { writeZip } from '../dataset/export';
import { exportChoices, exportModel } from './export';
import { predictTfliteFiles } from './tflite-runtime';
import type { Project } from '../projects/project';
import { ImageStore } from '../dataset/image-store';
import { projectId, runId, type HandlersOf, type SchemasOf, type ServiceContext } from '../service/context';

export const EXPORT_REQUESTS: SchemasOf<ExportOperations> = {
  exportChoices: z.object({ projectId, runId }),
  exportRun: z.object({
    projectId,
    runId,
    format: z.enum(EXPORT_FORMATS, { error: zodSays('errors.export.unknownFormat') }),
    weights: z.enum(['best', 'last']).optional(),
    quantization: z.enum(['none', 'float16', 'uint8']).optional(),
    directory: z.string().max(4096).refine(isAbsolute, zodSays('errors.export.folderNotAbsolute')).optional(),
  }),
  cancelExport: z.object({ projectId, runId }),
};

/** The project's labelled images with their stored file, class name and split. */
function projectImages(project: Project) {
  const store = new ImageStore(project.dir);
  const { classNames, images } = project.images.labelled();
  return images.map((image) => ({
    path: store.imagePath(image.hash, image.ext),
    className: classNames[image.classIndex]!,
    split: image.split,
  }));
}

/**
 * In the browser host the person may be on another computer, so an export written to the
 * project's exports folder is also zipped there (one top folder, as written) for /download.
 */
async function withDownload(projectId: string, exportsDir: string, result: ModelExportResult): Promise<ModelExportResult> {
  const name = basename(result.directory);
  const entries = await readdir(result.directory, { withFileTypes: true, recursive: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  await writeZip(
    join(exportsDir, `${name}.zip`),
    files.map((file) => ({
      source: file,
      path: `${name}/${relative(result.directory, file).split(sep).join('/')}`,
      compress: !/\.(png|jpe?g|webp|gif)$/i.test(file),
    })),
  );
  return { ...result, download: `/download/${encodeURIComponent(projectId)}/${encodeURIComponent(`${name}.zip`)}` };
}

export function exportHandlers({ library, trainer, options }: ServiceContext): HandlersOf<ExportOperations> {
  // Exports being written, by project and run, so a person can stop them.
  const running = new Map<string, Set<AbortController>>();
  const keyOf = (projectId: string, runId: string) => `${projectId}/${runId}`;
  return {
    exportChoices: ({ projectId, runId }) => {
      const project = library.get(projectId);
      return exportChoices(project.runs.get(runId), project.paths.run(runId));
    },
    exportRun: ({ projectId, runId, format, weights = 'best', quantization = 'none', directory }) => {
      const project = library.get(projectId);
      const run = project.runs.get(runId);
      const controller = new AbortController();
      const key = keyOf(projectId, runId);
      const controllers = running.get(key) ?? new Set<AbortController>();
      running.set(key, controllers.add(controller));
      const exportsDir = project.paths.exports;
      return exportModel({
        signal: controller.signal,
        run,
        runFolder: project.paths.run(runId),
        format,
        weights,
        quantization,
        parent: directory ?? exportsDir,
        images: () => projectImages(project),
        // Held-out images (validation, then test) of classes the run knows, scored by the training
        // process (TensorFlow.js folders) or by LiteRT.js here (.tflite files).
        evaluate: async (model) => {
          const held = projectImages(project)
            .filter((image) => image.split !== 'train' && run.classNames.includes(image.className))
            .slice(0, 500);
          if (held.length === 0) return null;
          const paths = held.map((image) => image.path);
          const probabilities = model.endsWith('.tflite')
            ? await predictTfliteFiles(model, run.spec.input, paths)
            : await trainer.predict(
                model,
                run.spec.input,
                paths.map((path) => ({ path })),
              );
          const correct = probabilities.filter(
            (row, i) => row.indexOf(Math.max(...row)) === run.classNames.indexOf(held[i]!.className),
          ).length;
          return { images: held.length, accuracy: correct / held.length };
        },
      })
        .then((result) => (options.host === 'browser' && directory === undefined ? withDownload(projectId, exportsDir, result) : result))
        .finally(() => {
          controllers.delete(controller);
          if (controllers.size === 0) running.delete(key);
        });
    },
    cancelExport: ({ projectId, runId }) => {
      const project = library.get(projectId);
      project.runs.get(runId); // an unknown project or run is an error, not a no-op
      for (const controller of running.get(keyOf(projectId, runId)) ?? []) controller.abort();
      return null;
    },
  };
}
