// Builds `window.capa` over an IPC implementation. Kept apart from bridge.ts (which touches
// `electron`) so it is plain code, and so the bundled preload entry exports nothing.
import { BACKBONE_EVENT_CHANNEL, IMPORT_EVENT_CHANNEL, OPERATION_NAMES, RUN_EVENT_CHANNEL, channelOf } from './contract';
import type { CapaApi } from './contract';

/** A listener as ipcRenderer calls it: the event first, then the arguments main sent. */
export type IpcListener = (event: unknown, ...args: unknown[]) => void;

/** The minimal part of ipcRenderer the bridge uses. */
export interface BridgeIpc {
  /** Sends a request on a channel and resolves with main's reply. */
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  /** Listens on a channel. */
  on(channel: string, listener: IpcListener): unknown;
  /** Stops listening on a channel. */
  removeListener(channel: string, listener: IpcListener): unknown;
}

/** Subscribes `listener` to the events main pushes on `channel`; returns the unsubscribe function. */
function subscribe<E>(ipc: BridgeIpc, channel: string, listener: (event: E) => void): () => void {
  // Drop the IpcRendererEvent: its `sender` is ipcRenderer itself.
  const wrapped: IpcListener = (_event, ...args) => listener(args[0] as E);
  ipc.on(channel, wrapped);
  return () => {
    ipc.removeListener(channel, wrapped);
  };
}

/** Builds the object exposed as `window.capa`: exactly OPERATION_NAMES, onRunEvent, onImportEvent, onBackboneEvent and pathForFile. */
export function createCapaApi(ipc: BridgeIpc, getPathForFile: (file: File) => string): CapaApi {
  const operations: Record<string, (request: unknown) => Promise<unknown>> = {};
  for (const name of OPERATION_NAMES) {
    const channel = channelOf(name);
    // Only the request crosses; nothing else the page passes reaches main.
    operations[name] = (request: unknown) => ipc.invoke(channel, request);
  }
  const extras: Pick<CapaApi, 'onRunEvent' | 'onImportEvent' | 'onBackboneEvent' | 'pathForFile'> = {
    onRunEvent: (listener) => subscribe(ipc, RUN_EVENT_CHANNEL, listener),
    onImportEvent: (listener) => subscribe(ipc, IMPORT_EVENT_CHANNEL, listener),
    onBackboneEvent: (listener) => subscribe(ipc, BACKBONE_EVENT_CHANNEL, listener),
    pathForFile(file: File): string | undefined {
      // Electron returns "" for a File that is not backed by the file system (built in the page).
      const path = getPathForFile(file);
      return path === '' ? undefined : path;
    },
  };
  // The loop builds one method per OPERATION_NAMES entry, which the contract checks is every operation.
  return { ...operations, ...extras } as CapaApi;
}
