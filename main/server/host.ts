// The browser host: serves the same renderer and the same contract (over a WebSocket, msgpack
// encoded) to a normal browser. Used where the Electron binary is absent, by the end-to-end
// tests, and to drive a GPU box from a laptop. Loopback by default; elsewhere a token is required.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { decode, encode } from '@msgpack/msgpack';
import { WebSocketServer, type WebSocket } from 'ws';
import { OPERATION_NAMES, type MediaKind, type OperationName, type WireCall, type WireMessage } from '../../preload/contract';
import { said } from '../../common/messages/said';
import { containedFile } from '../core/files/contained';
import { createCapaService } from '../core/service/service';
import { isLoopback, isLoopbackHostHeader } from './host-security';
import type { CapaService } from '../core/service/service-types';

export interface BrowserHostOptions {
  /** Folder that holds every project. */
  dataDir: string;
  /** Interface to bind; 127.0.0.1 unless told otherwise. */
  host?: string;
  /** TCP port; 0 picks a free one. */
  port?: number;
  /** Required from every request when set; generated when binding beyond loopback. */
  token?: string;
  /** Built renderer to serve; found next to the compiled host by default. */
  rendererDir?: string;
  /** Where refused requests are reported. */
  log?: (line: string) => void;
  /** The preferences file (theme, moved data folder); without it preferences last for the session. */
  settingsFile?: string;
}

export interface BrowserHost {
  /** Address to open, with the token when there is one. */
  url: string;
  /** The token every request must present, or null on loopback without one. */
  token: string | null;
  service: CapaService;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.tif': 'image/tiff',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.ico': 'image/x-icon',
};

/** Same policy as the renderer's meta tag; the header also covers what the meta cannot. */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

export function findRendererDir(): string {
  const candidates = [join(__dirname, '../../out/renderer'), join(__dirname, '../../renderer')];
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')) && existsSync(join(dir, 'assets')));
  if (!found) throw new Error('The renderer is not built. Run "npm run build" first.');
  return found;
}

function sameToken(given: string | null | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function tokenOf(request: IncomingMessage, url: URL): string | null {
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) return fromQuery;
  const cookie = /(?:^|;\s*)capa_token=([^;]+)/.exec(request.headers.cookie ?? '');
  return cookie ? decodeURIComponent(cookie[1]!) : null;
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? (isLoopback(host) ? null : randomBytes(24).toString('hex'));
  const log = options.log ?? ((line: string) => console.error(line));
  const rendererDir = options.rendererDir ?? findRendererDir();
  const service = createCapaService({ dataDir: options.dataDir, host: 'browser', settingsFile: options.settingsFile });

  const authorized = (request: IncomingMessage, url: URL): boolean => {
    if (token === null && !isLoopbackHostHeader(request.headers.host)) {
      log(
        `Refused ${request.method} ${url.pathname} for host ${request.headers.host ?? '(none)'}: without a token only loopback addresses are served.`,
      );
      return false;
    }
    if (token === null || sameToken(tokenOf(request, url), token)) return true;
    log(`Refused ${request.method} ${url.pathname} from ${request.socket.remoteAddress}: missing or wrong token.`);
    return false;
  };

  const send = (response: ServerResponse, status: number, body: string) => {
    response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
    response.end(body);
  };

  /** Serves `file` when it is a regular file inside `root` after symlinks are resolved (files/contained.ts); 404 otherwise. */
  const serveFile = async (
    response: ServerResponse,
    named: string,
    root: string,
    cache: string,
    extraHeaders: Record<string, string> = {},
  ) => {
    const file = await containedFile(named, root);
    const info = file === null ? null : await stat(file).catch(() => null);
    if (file === null || !info) return send(response, 404, 'Not found');
    response.writeHead(200, {
      'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': info.size,
      'Cache-Control': cache,
      'X-Content-Type-Options': 'nosniff',
      ...extraHeaders,
    });
    const stream = createReadStream(file);
    // A file removed or unreadable between the check and the read costs this reply, never the process.
    stream.on('error', (error) => {
      log(`Could not send ${named}: ${error.message}`);
      response.destroy();
    });
    stream.pipe(response);
  };

  const server = createServer((request, response) => {
    try {
      handle(request, response);
    } catch (error) {
      // A malformed address (e.g. a broken percent-escape) must cost one reply, never the process.
      log(`Refused a malformed request ${request.url ?? ''}: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) send(response, 400, 'Bad request');
    }
  });

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const url = new URL(request.url ?? '/', 'http://host');
    if (!authorized(request, url)) return send(response, 401, 'A valid token is required. Open the address printed when Capa started.');
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'Method not allowed');
    const download = /^\/download\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (download) {
      // Finished exports (zip, .capa): same token rules as media; the name is checked by the service.
      const fileName = decodeURIComponent(download[2]!);
      void service.downloadFile(decodeURIComponent(download[1]!), fileName).then((file) =>
        file
          ? serveFile(response, file, options.dataDir, 'no-store', {
              'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`,
            })
          : send(response, 404, 'Not found'),
      );
      return;
    }
    const media = /^\/media\/(thumb|image)\/([^/]+)\/(\d+)$/.exec(url.pathname);
    if (media) {
      void service
        .mediaFile(media[1] as MediaKind, decodeURIComponent(media[2]!), Number(media[3]))
        .then((file) =>
          file ? serveFile(response, file, options.dataDir, 'private, max-age=31536000, immutable') : send(response, 404, 'Not found'),
        );
      return;
    }
    const relative = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    const file = normalize(join(rendererDir, relative));
    if (!file.startsWith(rendererDir + sep)) return send(response, 404, 'Not found');
    const headers: Record<string, string> = relative === 'index.html' ? { 'Content-Security-Policy': CSP } : {};
    // The token arrives once in the address; a strict cookie carries it to assets, media and the socket.
    if (token !== null && relative === 'index.html')
      headers['Set-Cookie'] = `capa_token=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
    void serveFile(response, file, rendererDir, relative === 'index.html' ? 'no-cache' : 'private, max-age=3600', headers);
  };

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 512 * 1024 * 1024 });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://host');
    const origin = request.headers.origin;
    const sameOrigin = origin === `http://${request.headers.host}`;
    if (url.pathname !== '/api' || !sameOrigin || !authorized(request, url)) {
      if (!sameOrigin) log(`Refused a WebSocket from foreign origin ${origin ?? '(none)'}.`);
      socket.write('HTTP/1.1 403 Forbidden\r\n\r\n');
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit('connection', ws, request));
  });

  const clients = new Set<WebSocket>();
  const push = (ws: WebSocket, message: WireMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(encode(message));
  };
  const unsubscribeRuns = service.onRunEvent((event) => {
    for (const ws of clients) push(ws, { event });
  });
  const unsubscribeImports = service.onImportEvent((importEvent) => {
    for (const ws of clients) push(ws, { importEvent });
  });
  const unsubscribeBackbones = service.onBackboneEvent((backboneEvent) => {
    for (const ws of clients) push(ws, { backboneEvent });
  });
  sockets.on('connection', (ws: WebSocket) => {
    clients.add(ws);
    // ws reports a malformed frame (unmasked, a reserved opcode, invalid UTF-8, a length above
    // maxPayload) as an 'error' on this socket and closes it; without a listener that error would
    // end the whole host. It costs this one connection only.
    ws.on('error', (error) => {
      log(`Closed a WebSocket that sent a malformed frame: ${error.message}`);
      clients.delete(ws);
      ws.terminate();
    });
    ws.on('close', () => clients.delete(ws));
    ws.on('message', (data: Buffer) => {
      let call: WireCall;
      try {
        call = decode(data) as WireCall;
        if (typeof call !== 'object' || call === null || typeof call.id !== 'number') throw new Error('malformed');
      } catch {
        log('Ignored a malformed WebSocket message.');
        return;
      }
      if (!(OPERATION_NAMES as readonly string[]).includes(call.op)) {
        push(ws, {
          id: call.id,
          result: { ok: false, error: { code: 'invalid-argument', ...said('errors.request.unknownOperation', { name: String(call.op) }) } },
        });
        return;
      }
      void service.call(call.op as OperationName, call.request).then((result) => push(ws, { id: call.id, result }));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}/${token ? `?token=${token}` : ''}`;

  return {
    url,
    token,
    service,
    close: async () => {
      unsubscribeRuns();
      unsubscribeImports();
      unsubscribeBackbones();
      for (const ws of clients) ws.terminate();
      sockets.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await service.close();
    },
  };
}
