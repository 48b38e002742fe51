// The browser host started for real on 127.0.0.1: real HTTP requests and real WebSockets with
// missing, wrong and right tokens, foreign origins and foreign Host names (DNS rebinding), and
// malformed addresses that must not bring the process down.
import { request as httpRequest } from 'node:http';
import { decode, encode } from '@msgpack/msgpack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WireMessage } from '../../preload/contract';
import { startBrowserHost, type BrowserHost } from '../../main/server/host';
import { isLoopbackHostHeader } from '../../main/server/host-security';
import { removeTempDirs, tempDir } from '../helpers/temp';

const TOKEN = 'a-test-token-0123456789abcdef';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a WebSocket to /api; resolves with the reply to listProjects, or the refusal's status code. */
function callOverSocket(port: number, query: string, headers: Record<string, string>): Promise<{ refused: number } | { result: unknown }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api${query}`, { headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve({ refused: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.on('error', (error) => reject(error));
    ws.on('open', () => ws.send(encode({ id: 1, op: 'listProjects', request: {} })));
    ws.on('message', (data: Buffer) => {
      const message = decode(data) as WireMessage;
      if ('id' in message && message.id === 1) {
        resolve({ result: message.result });
        ws.close();
      }
    });
  });
}

const portOf = (host: BrowserHost): number => Number(new URL(host.url).port);

describe('browser host with a token', () => {
  let host: BrowserHost;
  let port: number;
  const log: string[] = [];

  beforeAll(async () => {
    host = await startBrowserHost({ dataDir: tempDir('capa-host-'), token: TOKEN, log: (line) => log.push(line) });
    port = portOf(host);
  });
  afterAll(async () => host.close());

  it('prints its address with the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${port}/?token=${TOKEN}`);
    expect(host.token).toBe(TOKEN);
  });

  it('refuses pages, assets and media without the token or with a wrong one, and logs each refusal', async () => {
    log.length = 0;
    for (const path of [
      '/',
      '/index.html',
      '/media/thumb/x/1',
      '/download/x/y.zip',
      `/?token=${TOKEN}x`,
      '/?token=',
      `/?token=${TOKEN.slice(0, -1)}`,
    ]) {
      const reply = await get(port, path);
      expect(reply.status, path).toBe(401);
      expect(reply.body).not.toContain('<html');
    }
    expect(await get(port, '/', { Cookie: 'capa_token=wrong' })).toMatchObject({ status: 401 });
    expect(log.filter((line) => line.includes('missing or wrong token'))).toHaveLength(8);
  });

  it('serves the page with the right token and hands it a strict cookie', async () => {
    const reply = await get(port, `/?token=${TOKEN}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('<div id="app">');
    expect(String(reply.headers['set-cookie'])).toMatch(/^capa_token=[^;]+; HttpOnly; SameSite=Strict; Path=\/$/);
    expect(reply.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect((await get(port, '/index.html', { Cookie: `capa_token=${TOKEN}` })).status).toBe(200);
  });

  it('refuses WebSockets without the token, with a wrong one, or from a foreign origin', async () => {
    const origin = `http://127.0.0.1:${port}`;
    expect(await callOverSocket(port, '', { Origin: origin })).toEqual({ refused: 403 });
    expect(await callOverSocket(port, '?token=nope', { Origin: origin })).toEqual({ refused: 403 });
    expect(await callOverSocket(port, '', { Origin: origin, Cookie: 'capa_token=nope' })).toEqual({ refused: 403 });
    log.length = 0;
    expect(await callOverSocket(port, `?token=${TOKEN}`, { Origin: 'https://evil.example' })).toEqual({ refused: 403 });
    expect(await callOverSocket(port, `?token=${TOKEN}`, {})).toEqual({ refused: 403 });
    expect(log.filter((line) => line.includes('foreign origin'))).toHaveLength(2);
  });

  it('answers a WebSocket with the right token from its own origin', async () => {
    const origin = `http://127.0.0.1:${port}`;
    expect(await callOverSocket(port, `?token=${TOKEN}`, { Origin: origin })).toEqual({ result: { ok: true, value: [] } });
    expect(await callOverSocket(port, '', { Origin: origin, Cookie: `capa_token=${TOKEN}` })).toEqual({ result: { ok: true, value: [] } });
  });
});

describe('browser host on loopback without a token', () => {
  let host: BrowserHost;
  let port: number;
  const log: string[] = [];

  beforeAll(async () => {
    host = await startBrowserHost({ dataDir: tempDir('capa-host-'), log: (line) => log.push(line) });
    port = portOf(host);
  });
  afterAll(async () => {
    await host.close();
    removeTempDirs();
  });

  it('binds to 127.0.0.1 and needs no token there', async () => {
    expect(host.url).toBe(`http://127.0.0.1:${port}/`);
    expect(host.token).toBeNull();
    expect((await get(port, '/')).status).toBe(200);
  });

  it('refuses requests that name another host (DNS rebinding) and logs them', async () => {
    log.length = 0;
    expect((await get(port, '/', { Host: `evil.example:${port}` })).status).toBe(401);
    expect(await callOverSocket(port, '', { Host: `evil.example:${port}`, Origin: `http://evil.example:${port}` })).toEqual({
      refused: 403,
    });
    expect(log.some((line) => line.includes('evil.example'))).toBe(true);
  });

  it('refuses a WebSocket from a foreign origin', async () => {
    expect(await callOverSocket(port, '', { Origin: 'https://evil.example' })).toEqual({ refused: 403 });
    expect(await callOverSocket(port, '', { Origin: `http://127.0.0.1:${port}` })).toEqual({ result: { ok: true, value: [] } });
  });

  it('survives malformed addresses and path traversal, and keeps serving', async () => {
    expect((await get(port, '/%E0%A4%A')).status).toBe(400);
    expect((await get(port, '/media/thumb/%E0%A4%A/1')).status).toBe(400);
    for (const path of [
      '/..%2f..%2fpackage.json',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/assets/..%2f..%2f..%2fpackage.json',
      '/media/thumb/..%2f..%2f/1',
    ]) {
      const reply = await get(port, path);
      expect(reply.status, path).toBe(404);
    }
    expect((await get(port, '/')).status).toBe(200);
  });

  it('tells loopback Host headers from others', () => {
    for (const header of ['127.0.0.1:5817', 'localhost:80', 'LOCALHOST', '[::1]:5817', '127.1.2.3'])
      expect(isLoopbackHostHeader(header), header).toBe(true);
    for (const header of [undefined, '', 'evil.example', '127.0.0.1.evil.example:80', '[::2]:80', '0.0.0.0:5817', 'localhost.evil:1']) {
      expect(isLoopbackHostHeader(header), String(header)).toBe(false);
    }
  });
});

describe('browser host beyond loopback', () => {
  it('generates a 48-character token, prints it once in its address, and requires it', async () => {
    const host = await startBrowserHost({ dataDir: tempDir('capa-host-'), host: '0.0.0.0', log: () => {} });
    try {
      expect(host.token).toMatch(/^[0-9a-f]{48}$/);
      expect(host.url).toContain(`?token=${host.token}`);
      const port = portOf(host);
      expect((await get(port, '/')).status).toBe(401);
      expect((await get(port, `/?token=${host.token}`)).status).toBe(200);
    } finally {
      await host.close();
    }
  });
});
