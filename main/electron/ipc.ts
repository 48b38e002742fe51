// Wires every operation of the contract to the service over Electron IPC. Takes ipcMain as a
// parameter (no runtime `electron` import) so the wiring is tested with a fake.
import { OPERATION_NAMES, channelOf } from '../../preload/contract';
import type { OperationName, Result } from '../../preload/contract';
import type { CapaService } from '../core/service/service-types';
import type { IpcSenderInfo } from './security';

/** The part of ipcMain the wiring uses. */
export interface IpcRegistrar {
  /** Registers the handler of an invoke channel. */
  handle(channel: string, handler: (event: IpcSenderInfo, request: unknown) => Promise<Result<unknown>>): void;
  /** Removes it. */
  removeHandler(channel: string): void;
}

/** The Result every refused call gets: a value, never an exception, like every other error. */
export const UNTRUSTED_SENDER_RESULT: Result<never> = {
  ok: false,
  error: { code: 'invalid-argument', message: 'This call did not come from a Capa window, so it was refused.' },
};

/** Registers one handler per operation; returns a function that removes them all. */
export function registerIpcHandlers(
  ipc: IpcRegistrar,
  service: Pick<CapaService, 'call'>,
  isTrusted: (event: IpcSenderInfo) => boolean,
): () => void {
  const channels = OPERATION_NAMES.map((name: OperationName) => {
    const channel = channelOf(name);
    ipc.handle(channel, async (event, request) => {
      if (!isTrusted(event)) return UNTRUSTED_SENDER_RESULT;
      return service.call(name, request);
    });
    return channel;
  });
  return () => {
    for (const channel of channels) ipc.removeHandler(channel);
  };
}
