// Training and the runs table: start, stop and resume runs; list, rename, star, delete and
// compare them.
import { rm } from 'node:fs/promises';
import { z } from 'zod';
import type { RunOperations } from '../../../preload/contract-runs';
import { CapaError } from '../../../common/messages/errors';
import { said, zodSays } from '../../../common/messages/said';
import { compareSettings } from '../../../common/runs/compare';
import { specToTrain } from '../model/auto';
import { name, projectId, runId, type HandlersOf, type SchemasOf, type ServiceContext } from '../service/context';

const run = z.object({ projectId, runId }).strict();

export const RUN_REQUESTS: SchemasOf<RunOperations> = {
  startRun: z.object({ projectId }).strict(),
  stopRun: run,
  resumeRun: run,
  listRuns: z.object({ projectId }).strict(),
  getRun: run,
  renameRun: z.object({ projectId, runId, name }).strict(),
  starRun: z.object({ projectId, runId, starred: z.boolean() }).strict(),
  deleteRun: run,
  compareRuns: z
    .object({
      projectId,
      runIds: z.array(runId).min(2, zodSays('errors.runs.compareTooFew')).max(20, zodSays('errors.runs.compareTooMany')),
    })
    .strict(),
};

export function runHandlers({ library, queue, backbones }: ServiceContext): HandlersOf<RunOperations> {
  const runsOf = (id: string) => {
    const project = library.get(id);
    return { project, runs: project.runs };
  };
  return {
    startRun: async ({ projectId }) => {
      const project = library.get(projectId);
      return queue.start(project, await specToTrain(project, backbones));
    },
    stopRun: async ({ projectId, runId }) => {
      await queue.stop(library.get(projectId), runId);
      return null;
    },
    resumeRun: ({ projectId, runId }) => queue.resume(library.get(projectId), runId),
    listRuns: ({ projectId }) => runsOf(projectId).runs.list(),
    getRun: ({ projectId, runId }) => runsOf(projectId).runs.get(runId),
    renameRun: ({ projectId, runId, name }) => runsOf(projectId).runs.rename(runId, name),
    starRun: ({ projectId, runId, starred }) => runsOf(projectId).runs.setStarred(runId, starred),
    deleteRun: async ({ projectId, runId }) => {
      const { project, runs } = runsOf(projectId);
      const target = runs.get(runId);
      if (target.status === 'running' || target.status === 'queued') {
        throw new CapaError(
          'conflict',
          said(target.status === 'running' ? 'errors.runs.deleteTraining' : 'errors.runs.deleteWaiting', { name: target.name }),
        );
      }
      // The row goes first: a run without files would be listed, files without a row are not.
      runs.delete(runId);
      await rm(project.paths.run(runId), { recursive: true, force: true });
      return null;
    },
    compareRuns: ({ projectId, runIds }) => {
      const { runs } = runsOf(projectId);
      const unique = [...new Set(runIds)];
      if (unique.length < 2) throw new CapaError('invalid-argument', said('errors.runs.compareSame'));
      const compared = unique.map((id) => runs.get(id));
      return { runs: compared, settings: compareSettings(compared) };
    },
  };
}
