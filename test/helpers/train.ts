// Training through the service as a test or benchmark needs it: start the project's current spec
// and wait for the run to end.
import type { RunInfo } from '../../preload/contract';
import { callOrThrow } from '../../main/core/service/service';
import type { CapaService } from '../../main/core/service/service-types';

/** Resolves when run `runId` ends (completed, stopped or failed). */
export function runEnded(service: CapaService, runId: () => string | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = service.onRunEvent((event) => {
      if (event.kind === 'done' && event.runId === runId()) {
        stop();
        resolve();
      }
    });
  });
}

/** Trains the project's current spec to the end and returns the finished run. */
export async function trainProject(service: CapaService, projectId: string): Promise<RunInfo> {
  let runId: string | undefined;
  const ended = runEnded(service, () => runId);
  runId = (await callOrThrow(service, 'startRun', { projectId })).id;
  await ended;
  return callOrThrow(service, 'getRun', { projectId, runId });
}
