// The platform adapter: the same CapaApi whether the app runs in Electron (window.capa from the
// preload) or in a browser tab talking to the browser host over a msgpack WebSocket at /api.
import { decode, encode } from '@msgpack/msgpack';
import {
  OPERATION_NAMES,
  mediaPath,
  type CapaApi,
  type BackboneEvent,
  type ImportEvent,
  type MediaKind,
  type OperationName,
  type Result,
  type RunEvent,
  type WireCall,
  type WireMessage,
} from '../../../preload/contract';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser. */
    capa?: CapaApi;
  }
}

/** Whether the renderer can currently reach the app. */
export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting';

/** What the rest of the renderer needs from the host it runs in. */
export interface Platform {
  /** Every operation, one method each. */
  api: CapaApi;
  host: 'electron' | 'browser';
  /** URL of an image or its thumbnail. */
  mediaUrl(kind: MediaKind, projectId: string, imageId: number): string;
  /** Subscribes to connection changes; called at once with the current status. */
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
}

/** Creates the platform for this window. */
export function createPlatform(): Platform {
  if (window.capa) return electronPlatform(window.capa);
  return browserPlatform();
}

function electronPlatform(api: CapaApi): Platform {
  return {
    api,
    host: 'electron',
    mediaUrl: (kind, projectId, imageId) => `capa-media://media/${mediaPath(kind, projectId, imageId)}`,
    onStatus: (listener) => {
      listener('open');
      return () => {};
    },
  };
}

function browserPlatform(): Platform {
  const token = new URLSearchParams(location.search).get('token');
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const client = new WireClient(`${scheme}//${location.host}/api${query}`);
  const methods = Object.fromEntries(OPERATION_NAMES.map((op) => [op, (request: unknown) => client.call(op, request)]));
  const api = {
    ...methods,
    onRunEvent: (listener: (event: RunEvent) => void) => client.onEvent(listener),
    onImportEvent: (listener: (event: ImportEvent) => void) => client.onImportEvent(listener),
    onBackboneEvent: (listener: (event: BackboneEvent) => void) => client.onBackboneEvent(listener),
  } as unknown as CapaApi;
  return {
    api,
    host: 'browser',
    mediaUrl: (kind, projectId, imageId) => `/media/${mediaPath(kind, projectId, imageId)}${query}`,
    onStatus: (listener) => client.onStatus(listener),
  };
}

interface Pending {
  call: WireCall;
  resolve: (result: Result<unknown>) => void;
  sent: boolean;
}

/** One WebSocket to the browser host that reconnects by itself and queues calls while down. */
class WireClient {
  private socket: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly eventListeners = new Set<(event: RunEvent) => void>();
  private readonly importListeners = new Set<(event: ImportEvent) => void>();
  private readonly backboneListeners = new Set<(event: BackboneEvent) => void>();
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();
  private status: ConnectionStatus = 'connecting';
  private retryDelay = 500;

  constructor(private readonly url: string) {
    this.connect();
  }

  call(op: OperationName, request: unknown): Promise<Result<unknown>> {
    return new Promise((resolve) => {
      const entry: Pending = { call: { id: this.nextId++, op, request }, resolve, sent: false };
      this.pending.set(entry.call.id, entry);
      this.send(entry);
    });
  }

  onEvent(listener: (event: RunEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onImportEvent(listener: (event: ImportEvent) => void): () => void {
    this.importListeners.add(listener);
    return () => this.importListeners.delete(listener);
  }

  onBackboneEvent(listener: (event: BackboneEvent) => void): () => void {
    this.backboneListeners.add(listener);
    return () => this.backboneListeners.delete(listener);
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    listener(this.status);
    return () => this.statusListeners.delete(listener);
  }

  private setStatus(status: ConnectionStatus): void {
    this.status = status;
    for (const listener of this.statusListeners) listener(status);
  }

  private send(entry: Pending): void {
    if (this.socket?.readyState !== WebSocket.OPEN) return; // sent on (re)connect
    this.socket.send(encode(entry.call));
    entry.sent = true;
  }

  private connect(): void {
    const socket = new WebSocket(this.url);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.onopen = () => {
      this.retryDelay = 500;
      this.setStatus('open');
      for (const entry of this.pending.values()) if (!entry.sent) this.send(entry);
    };
    socket.onmessage = (message) => {
      if (!(message.data instanceof ArrayBuffer)) return;
      this.receive(decode(new Uint8Array(message.data)) as WireMessage);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      // Calls already sent may or may not have run; say so rather than wait forever.
      for (const [id, entry] of this.pending) {
        if (!entry.sent) continue;
        this.pending.delete(id);
        entry.resolve({
          ok: false,
          error: { code: 'io', message: 'The connection to Capa was lost before it answered. Check the result and try again if needed.' },
        });
      }
      this.setStatus('reconnecting');
      setTimeout(() => this.connect(), this.retryDelay);
      this.retryDelay = Math.min(this.retryDelay * 2, 5000);
    };
  }

  private receive(message: WireMessage): void {
    if ('event' in message) {
      for (const listener of this.eventListeners) listener(message.event);
      return;
    }
    if ('importEvent' in message) {
      for (const listener of this.importListeners) listener(message.importEvent);
      return;
    }
    if ('backboneEvent' in message) {
      for (const listener of this.backboneListeners) listener(message.backboneEvent);
      return;
    }
    const entry = this.pending.get(message.id);
    if (!entry) return;
    this.pending.delete(message.id);
    entry.resolve(message.result);
  }
}
