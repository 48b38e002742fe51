// The training process under Electron: a utilityProcess (a Node child managed by Electron, with
// its own crash reporting and service name) behind the same TrainerPort as child_process.fork.
import type { ForkOptions, UtilityProcess } from 'electron';
import type { TrainerMessage, TrainerPort, TrainerRequest } from '../trainer/protocol';

/** Electron's `utilityProcess.fork`, passed in so this module never imports `electron` at run time. */
export type UtilityFork = (modulePath: string, args?: string[], options?: ForkOptions) => UtilityProcess;

/** The name the trainer shows in the OS task manager and in Electron's crash reports. */
export const TRAINER_SERVICE_NAME = 'Capa trainer';

/** Starts the trainer script in a utility process and adapts it to TrainerPort. */
export function forkUtilityTrainer(fork: UtilityFork, modulePath: string, env: NodeJS.ProcessEnv = process.env): TrainerPort {
  const child = fork(modulePath, [], {
    serviceName: TRAINER_SERVICE_NAME,
    // The trainer's stdout and stderr carry TensorFlow's own diagnostics: keep them visible.
    stdio: 'inherit',
    env,
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  return {
    send(message: TrainerRequest): void {
      // Posting to a dead process throws; the service learns of the exit through onExit instead.
      if (!exited) child.postMessage(message);
    },
    onMessage(listener: (message: TrainerMessage) => void): void {
      // Messages are structured clones of what the trainer posted through process.parentPort.
      child.on('message', (message: unknown) => listener(message as TrainerMessage));
    },
    onExit(listener: (code: number | null) => void): void {
      child.once('exit', (code: number) => listener(code));
    },
    kill(): void {
      if (!exited) child.kill();
    },
  };
}
