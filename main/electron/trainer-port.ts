// The training process under Electron: a utilityProcess (a Node child managed by Electron, with
// its own crash reporting and service name) behind the same TrainerPort as child_process.fork.
import type { ForkOptions, UtilityProcess } from 'electron';
import type { TrainerMessage, TrainerPort, TrainerRequest } from '../trainer/protocol';
import { isEngineWindowMessage } from '../trainer/engines/chromium-wire';
import type { EngineWindow } from './engine-window';

/** Electron's `utilityProcess.fork`, passed in so this module never imports `electron` at run time. */
export type UtilityFork = (modulePath: string, args?: string[], options?: ForkOptions) => UtilityProcess;

/** The name the trainer shows in the OS task manager and in Electron's crash reports. */
export const TRAINER_SERVICE_NAME = 'Capa trainer';

/** Starts the trainer script in a utility process and adapts it to TrainerPort. */
export function forkUtilityTrainer(
  fork: UtilityFork,
  modulePath: string,
  env: NodeJS.ProcessEnv = process.env,
  openEngineWindow?: (url: string) => EngineWindow,
): TrainerPort {
  const child = fork(modulePath, [], {
    serviceName: TRAINER_SERVICE_NAME,
    // The trainer's stdout and stderr carry TensorFlow's own diagnostics: keep them visible.
    stdio: 'inherit',
    env,
  });
  let exited = false;
  let engineWindow: EngineWindow | null = null;
  child.once('exit', () => {
    exited = true;
    engineWindow?.close();
  });
  // The trainer's Chromium engine asks for Capa's hidden window; those messages never reach the client.
  child.on('message', (message: unknown) => {
    if (!isEngineWindowMessage(message)) return;
    if (message.type === 'engine-window' && openEngineWindow) {
      engineWindow?.close();
      const opened = openEngineWindow(message.url);
      engineWindow = opened;
      opened.onClosed((reason) => {
        if (engineWindow === opened) engineWindow = null;
        if (!exited) child.postMessage({ type: 'engine-window-closed', reason });
      });
    } else if (message.type === 'engine-window')
      child.postMessage({ type: 'engine-window-closed', reason: 'this Capa opens no engine window' });
    else if (message.type === 'engine-window-close') engineWindow?.close();
  });
  return {
    send(message: TrainerRequest): void {
      // Posting to a dead process throws; the service learns of the exit through onExit instead.
      if (!exited) child.postMessage(message);
    },
    onMessage(listener: (message: TrainerMessage) => void): void {
      // Messages are structured clones of what the trainer posted through process.parentPort.
      child.on('message', (message: unknown) => {
        if (!isEngineWindowMessage(message)) listener(message as TrainerMessage);
      });
    },
    onExit(listener: (code: number | null) => void): void {
      child.once('exit', (code: number) => listener(code));
    },
    kill(): void {
      if (!exited) child.kill();
    },
  };
}
