// The training process killed on its own while the app runs: the run must end "interrupted"
// with the reason, the service must keep answering, and Resume must finish the run.
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import { forkTrainerPort } from '../../main/core/runs/trainer-client';
import type { TrainerPort } from '../../main/trainer/protocol';
import { copyTemplate, type Template } from './harness';
import { runDone } from './protocol';
import type { Outcome } from './report';

/** Kills the training process after its `afterEpochs`-th epoch, then resumes the run. */
export async function trainerCrashTrial(template: Template, afterEpochs: number): Promise<Outcome> {
  const dataDir = copyTemplate(template, `trainer-crash-${afterEpochs}`);
  const ports: TrainerPort[] = [];
  const service = createCapaService({ dataDir, host: 'electron', spawnTrainer: () => ports[ports.push(forkTrainerPort()) - 1]! });
  const projectId = template.projectId;
  const name = `SIGKILL to the training process after epoch ${afterEpochs}`;
  const problems: string[] = [];
  try {
    let runId: string | undefined;
    let epochs = 0;
    const stop = service.onRunEvent((event) => {
      if (event.runId === runId && event.kind === 'epoch' && ++epochs === afterEpochs) ports.at(-1)!.kill();
    });
    const interrupted = runDone(service, () => runId);
    runId = (await callOrThrow(service, 'startRun', { projectId })).id;
    const done = await interrupted;
    stop();
    if (done.status !== 'interrupted' || !/stopped unexpectedly/.test(done.error?.message ?? ''))
      problems.push(`the run ended "${done.status}" (${done.error?.message ?? ''}), not interrupted with the reason`);
    // The app is still up: it answers, the epochs finished before the kill are kept, and the run
    // resumes in a new training process to the end.
    const cut = await callOrThrow(service, 'getRun', { projectId, runId });
    const lost = Math.max(0, afterEpochs - cut.epochs.length);
    const finished = runDone(service, () => runId);
    await callOrThrow(service, 'resumeRun', { projectId, runId });
    const resumed = await finished;
    if (resumed.status !== 'completed') problems.push(`the resumed run ended "${resumed.status}": ${resumed.error ?? ''}`);
    return { name, problems, lost };
  } finally {
    await service.close();
  }
}
