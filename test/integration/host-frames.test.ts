// A frame fuzzer against the real browser host on loopback: malformed frames (unmasked, reserved
// opcodes, invalid UTF-8, reserved bits), fragments out of order, lengths above maxPayload, slow
// senders and seeded random bytes. After every one the host must still serve other clients.
import { request as httpRequest } from 'node:http';
import { decode, encode } from '@msgpack/msgpack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WireMessage } from '../../preload/contract';
import { startBrowserHost, type BrowserHost } from '../../main/server/host';
import { seededRandom } from '../../common/model/augment';
import { closedWithin, frame, rawSocket } from '../helpers/hostile';
import { removeTempDirs, tempDir } from '../helpers/temp';

/** The cases named in issue 19, each a sequence of writes (a slow sender writes byte by byte). */
const CASES: Record<string, Buffer> = {
  unmasked: Buffer.from([0x82, 0x03, 0x01, 0x02, 0x03]),
  opcode3: frame(0x3, Buffer.from('x')),
  invalidUtf8: frame(0x1, Buffer.from([0xc3, 0x28])),
  aboveMaxPayload: frame(0x2, Buffer.alloc(0), { length: 1n << 40n }),
  lengthTop: frame(0x2, Buffer.alloc(0), { length: (1n << 63n) + 5n }),
  reservedBits: frame(0x2, Buffer.from('x'), { rsv: 0b111 }),
  continuationFirst: frame(0x0, Buffer.from('late')),
  fragmentThenNewText: Buffer.concat([frame(0x1, Buffer.from('he'), { fin: false }), frame(0x1, Buffer.from('llo'))]),
  fragmentedControl: frame(0x9, Buffer.from('ping'), { fin: false }),
  longClose: frame(0x8, Buffer.alloc(200)),
  msgpackGarbage: frame(0x2, Buffer.from([0xc1, 0xff, 0x00])),
  deepRequest: frame(0x2, deepCall(7, 'listProjects', 5000)),
};

/** A call whose request is an array nested `depth` deep, written as msgpack bytes directly (the encoder itself recurses). */
function deepCall(id: number, op: string, depth: number): Buffer {
  const head = Buffer.from(encode({ id, op, request: 0 }));
  // 0x91 is a one-element array; the trailing 0 of `request: 0` is replaced by the nest.
  return Buffer.concat([head.subarray(0, head.length - 1), Buffer.alloc(depth, 0x91), Buffer.from([1])]);
}

/** Well-formed frames holding a hostile message: the connection stays, the message is refused or ignored. */
const STAYS_OPEN = new Set(['msgpackGarbage', 'deepRequest']);

const portOf = (host: BrowserHost): number => Number(new URL(host.url).port);

function listOverSocket(port: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api`, { headers: { Origin: `http://127.0.0.1:${port}` } });
    ws.on('error', reject);
    ws.on('open', () => ws.send(encode({ id: 1, op: 'listProjects', request: {} })));
    ws.on('message', (data: Buffer) => {
      const message = decode(data) as WireMessage;
      if ('id' in message && message.id === 1) {
        resolve(message.result);
        ws.close();
      }
    });
  });
}

function getStatus(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the browser host under malformed WebSocket frames', () => {
  let host: BrowserHost;
  let port: number;
  const log: string[] = [];
  /** A client connected before the fuzzing, which must keep being served throughout. */
  let bystander: WebSocket;

  beforeAll(async () => {
    host = await startBrowserHost({ dataDir: tempDir('capa-frames-'), log: (line) => log.push(line) });
    port = portOf(host);
    bystander = new WebSocket(`ws://127.0.0.1:${port}/api`, { headers: { Origin: `http://127.0.0.1:${port}` } });
    await new Promise((resolve) => bystander.once('open', resolve));
  });
  afterAll(async () => {
    bystander.terminate();
    await host.close();
    removeTempDirs();
  });

  const bystanderAnswers = (id: number) =>
    new Promise<unknown>((resolve) => {
      const onMessage = (data: Buffer) => {
        const message = decode(data) as WireMessage;
        if ('id' in message && message.id === id) {
          bystander.off('message', onMessage);
          resolve(message.result);
        }
      };
      bystander.on('message', onMessage);
      bystander.send(encode({ id, op: 'listProjects', request: {} }));
    });

  it.each(Object.keys(CASES))('closes the connection that sent %s and keeps serving everyone else', async (name) => {
    const socket = await rawSocket(port);
    const closed = closedWithin(socket, STAYS_OPEN.has(name) ? 500 : 3000);
    socket.write(CASES[name]!);
    expect(await closed).toBe(STAYS_OPEN.has(name) ? 'open' : 'closed');
    expect(await listOverSocket(port)).toEqual({ ok: true, value: [] });
    expect(await bystanderAnswers(100 + Object.keys(CASES).indexOf(name))).toEqual({ ok: true, value: [] });
    expect(await getStatus(port)).toBe(200);
  });

  it('refuses a request nested thousands deep with a sentence, not a stack overflow', async () => {
    const reply = await new Promise<unknown>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/api`, { headers: { Origin: `http://127.0.0.1:${port}` } });
      ws.on('error', reject);
      ws.on('open', () => ws.send(deepCall(9, 'createProject', 10_000)));
      ws.on('message', (data: Buffer) => {
        resolve((decode(data) as { result: unknown }).result);
        ws.close();
      });
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-argument', key: 'errors.hostile.tooDeep' } });
    expect(JSON.stringify(reply)).not.toMatch(/call stack/i);
  });

  it('survives slow senders writing malformed frames a byte at a time', async () => {
    const slow = await Promise.all(
      [CASES.unmasked!, CASES.invalidUtf8!, CASES.aboveMaxPayload!].map(async (bytes) => {
        const socket = await rawSocket(port);
        const closed = closedWithin(socket, 5000);
        for (const byte of bytes) {
          if (socket.destroyed) break;
          socket.write(Buffer.from([byte]));
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        return closed;
      }),
    );
    expect(slow).toEqual(['closed', 'closed', 'closed']);
    expect(await listOverSocket(port)).toEqual({ ok: true, value: [] });
  });

  it('survives 60 connections of seeded random bytes (bounded: 64 KiB each at most)', async () => {
    const random = seededRandom(19);
    for (let round = 0; round < 60; round++) {
      const socket = await rawSocket(port);
      const closed = closedWithin(socket, 300);
      const length = 1 + Math.floor(random() * (round % 10 === 0 ? 65536 : 64));
      const bytes = Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
      socket.write(bytes);
      await closed;
    }
    expect(await listOverSocket(port)).toEqual({ ok: true, value: [] });
    expect(await bystanderAnswers(999)).toEqual({ ok: true, value: [] });
    expect(log.some((line) => line.includes('malformed frame'))).toBe(true);
  });
});
