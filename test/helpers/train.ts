// Training through the service as a test or benchmark needs it: start the project's current spec
// and wait for the run to end.
import type { RunEvent, RunInfo } from '../../preload/contract';
import { callOrThrow } from '../../main/core/service/service';
import type { CapaService } from '../../main/core/service/service-types';

/** A run's last event: how it ended. */
export type RunDone = Extract<RunEvent, { kind: 'done' }>;

/**
 * Resolves with the `done` event of run `runId` (completed, stopped, failed or interrupted). Call it
 * before starting the run; `runId` is read when events arrive, so it may be set once startRun answers.
 */
export function runEnded(service: CapaService, runId: () => string | undefined): Promise<RunDone> {
  return new Promise<RunDone>((resolve) => {
    const stop = service.onRunEvent((event) => {
      if (event.kind === 'done' && event.runId === runId()) {
        stop();
        resolve(event);
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
