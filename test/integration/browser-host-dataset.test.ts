// The browser host's dataset wiring, for real on 127.0.0.1: import events pushed over the
// WebSocket as { importEvent }, and finished exports downloaded under the token rules.
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { decode, encode } from '@msgpack/msgpack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ImportEvent, WireMessage } from '../../preload/contract';
import { callOrThrow } from '../../main/core/service/service';
import { startBrowserHost, type BrowserHost } from '../../main/server/host';
import { writeShapeDataset } from '../helpers/shapes';
import { removeTempDirs, tempDir } from '../helpers/temp';

const TOKEN = 'dataset-test-token-0123456789';
let host: BrowserHost;
let port: number;

beforeAll(async () => {
  host = await startBrowserHost({ dataDir: tempDir(), token: TOKEN, rendererDir: tempDir(), log: () => {} });
  port = Number(new URL(host.url).port);
});

afterAll(async () => {
  await host.close();
  removeTempDirs();
});

function get(path: string): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('browser host: datasets', () => {
  it('pushes import events to every socket until the import is done', async () => {
    const project = await callOrThrow(host.service, 'createProject', { name: 'Pushed' });
    const root = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 4, size: 16 });
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${TOKEN}`, { headers: { Origin: `http://127.0.0.1:${port}` } });
    const events: ImportEvent[] = [];
    const done = new Promise<void>((resolve, reject) => {
      ws.on('error', reject);
      ws.on('open', () => ws.send(encode({ id: 1, op: 'startImport', request: { projectId: project.id, paths: [root] } })));
      ws.on('message', (data: Buffer) => {
        const message = decode(data) as WireMessage;
        if ('importEvent' in message) {
          events.push(message.importEvent);
          if (message.importEvent.kind === 'done') resolve();
        }
      });
    });
    await done;
    ws.close();
    expect(events.at(-1)).toMatchObject({ projectId: project.id, kind: 'done', cancelled: false, report: { imported: 12 } });
    expect(events.some((e) => e.kind === 'progress')).toBe(true);
  });

  it('serves a finished zip at its download path with the token, and nothing else', async () => {
    const project = (await callOrThrow(host.service, 'listProjects', {}))[0]!;
    const result = await callOrThrow(host.service, 'exportDataset', { projectId: project.id, format: 'zip' });
    expect(result.download).toBeDefined();
    expect((await get(result.download!)).status).toBe(401);
    const ok = await get(`${result.download!}?token=${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.body.subarray(0, 2).toString()).toBe('PK');
    expect(String(ok.headers['content-disposition'])).toContain('attachment');
    expect((await get(`/download/${project.id}/..%2Fproject.db?token=${TOKEN}`)).status).toBe(404);
    expect((await get(`/download/${project.id}/nothing.zip?token=${TOKEN}`)).status).toBe(404);
  });
});
