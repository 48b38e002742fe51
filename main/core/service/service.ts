// The application service: every operation of the contract, validated, run against core, and
// returned as a value or an error value. Electron IPC, the browser host and the CLI share it.
import { join } from 'node:path';
import type {
  AppInfo,
  BackboneEvent,
  ImportEvent,
  OperationName,
  Operations,
  RequestOf,
  ResponseOf,
  RunEvent,
} from '../../../preload/contract';
import type { ServiceContext } from './context';
import { backboneHandlers } from '../backbones/handlers';
import { BackboneCache, CACHE_FOLDER } from '../backbones/cache';
import { datasetHandlers } from '../dataset/handlers';
import { evaluateHandlers } from '../evaluation/handlers';
import { exportHandlers } from '../export/handlers';
import { guideHandlers } from '../guide/handlers';
import { activationHandlers } from '../activations/handlers';
import { modelHandlers } from '../model/handlers';
import { runHandlers } from '../runs/handlers';
import { settingsHandlers } from '../settings/handlers';
import { predictHandlers } from '../predict/handlers';
import { predictOne } from '../predict/batch-predict';
import { attempt, CapaError } from '../../../common/messages/errors';
import { EvaluationRunner, finalEvaluation } from '../evaluation/evaluate';
import { said } from '../../../common/messages/said';
import { BackgroundImports } from '../dataset/background-imports';
import { ProjectLibrary, projectName } from '../projects/library';
import { parseRequest } from './requests';
import type { CapaService, CapaServiceOptions } from './service-types';
import { ImageStore } from '../dataset/image-store';
import { containedFile } from '../files/contained';
import { forkTrainerPort, TrainerClient } from '../runs/trainer-client';
import { TrainingQueue } from '../runs/queue';
import { CAPA_VERSION } from './version';
import { TEMPORARY_NAME } from '../files/atomic';

type Handlers = { [K in OperationName]: (request: RequestOf<K>) => ResponseOf<K> | Promise<ResponseOf<K>> };

export function createCapaService(options: CapaServiceOptions): CapaService {
  const library = new ProjectLibrary(options.dataDir);
  const trainer = new TrainerClient(options.spawnTrainer ?? forkTrainerPort);
  const backbones = new BackboneCache(join(options.dataDir, CACHE_FOLDER));
  const queue = new TrainingQueue(trainer, backbones);
  const imports = new BackgroundImports();
  const evaluations = new EvaluationRunner(trainer, backbones);
  queue.afterEachRun((project, runId) => finalEvaluation(evaluations, project, runId));
  const context: ServiceContext = { library, trainer, queue, imports, backbones, evaluations, options };

  const handlers: Handlers = {
    ...datasetHandlers(context),
    ...modelHandlers(context),
    ...backboneHandlers(context),
    ...evaluateHandlers(context),
    ...exportHandlers(context),
    ...settingsHandlers(context),
    ...runHandlers(context),
    ...predictHandlers(context),
    ...guideHandlers(context),
    ...activationHandlers(context),
    appInfo: (): AppInfo => ({ version: CAPA_VERSION, dataDirectory: options.dataDir, host: options.host }),
    listProjects: () => library.list(),
    createProject: ({ name }) => library.create(name).summary(),
    renameProject: ({ projectId, name }) => library.get(projectId).rename(projectName(name)),
    deleteProject: async ({ projectId }) => {
      await imports.cancelAll(projectId);
      await library.delete(projectId);
      return null;
    },
    predict: ({ projectId, runId, bytes }) => predictOne(context, projectId, runId, bytes),
  };

  return {
    call: (name, request) =>
      attempt(() => {
        const handler = handlers[name] as (request: unknown) => unknown;
        if (typeof handler !== 'function')
          throw new CapaError('invalid-argument', said('errors.request.unknownOperation', { name: String(name) }));
        return handler(parseRequest(name, request));
      }),
    onRunEvent: (listener: (event: RunEvent) => void) => queue.onEvent(listener),
    onImportEvent: (listener: (event: ImportEvent) => void) => imports.onEvent(listener),
    onBackboneEvent: (listener: (event: BackboneEvent) => void) => backbones.onEvent(listener),
    downloadFile: async (projectId, fileName) => {
      // Only a plain name inside the project's exports folder (never a path, nor a write still under way).
      if (!/^[^/\\]+$/.test(fileName) || fileName.startsWith('.') || TEMPORARY_NAME.test(fileName)) return null;
      try {
        const exports = library.get(projectId).paths.exports;
        // A symlink in exports/ pointing out of the data folder is never followed.
        return await containedFile(join(exports, fileName), exports);
      } catch {
        return null;
      }
    },
    mediaFile: async (kind, projectId, imageId) => {
      try {
        const project = library.get(projectId);
        const file = project.images.file(imageId);
        if (!file) return null;
        const store = new ImageStore(project.dir);
        return await containedFile(kind === 'thumb' ? store.thumbnailPath(file.hash) : store.imagePath(file.hash, file.ext), project.dir);
      } catch {
        return null;
      }
    },
    close: async () => {
      await imports.cancelAll();
      await trainer.close();
      library.close();
    },
  };
}

/** Calls an operation and unwraps its value, throwing the error value's sentence (for the CLI and tests). */
export async function callOrThrow<K extends keyof Operations>(
  service: CapaService,
  name: K,
  request: RequestOf<K>,
): Promise<ResponseOf<K>> {
  const result = await service.call(name, request);
  if (!result.ok) {
    const { code, issues, ...sentence } = result.error;
    throw new CapaError(code, sentence, issues);
  }
  return result.value as ResponseOf<K>;
}
