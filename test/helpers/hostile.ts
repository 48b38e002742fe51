// Shared pieces of the hostile-input tests: a canary file outside the data folder (whose bytes
// must never appear in any answer or export, and which must still be there unchanged), a seeded
// byte source, and a raw WebSocket client that can send frames no well-behaved client would.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';

export interface Canary {
  file: string;
  content: string;
  /** Throws unless the canary still exists with exactly its content. */
  assertUnchanged(): void;
}

/** Writes a canary file with a unique text into `dir` (a folder outside the data folder). */
export function plantCanary(dir: string): Canary {
  const content = `CANARY-${randomBytes(12).toString('hex')}`;
  const file = join(dir, 'canary.txt');
  writeFileSync(file, content);
  return {
    file,
    content,
    assertUnchanged() {
      if (readFileSync(file, 'utf8') !== content) throw new Error('the canary file changed');
    },
  };
}

/** A WebSocket frame, masked unless told otherwise; `length` overrides the declared payload length. */
export function frame(
  opcode: number,
  payload: Buffer,
  options: { fin?: boolean; mask?: boolean; length?: bigint; rsv?: number } = {},
): Buffer {
  const fin = options.fin ?? true;
  const mask = options.mask ?? true;
  const declared = options.length ?? BigInt(payload.length);
  const head = [(fin ? 0x80 : 0) | ((options.rsv ?? 0) << 4) | opcode];
  let extended = Buffer.alloc(0);
  if (declared < 126n) head.push((mask ? 0x80 : 0) | Number(declared));
  else if (declared < 65536n) {
    head.push((mask ? 0x80 : 0) | 126);
    extended = Buffer.alloc(2);
    extended.writeUInt16BE(Number(declared));
  } else {
    head.push((mask ? 0x80 : 0) | 127);
    extended = Buffer.alloc(8);
    extended.writeBigUInt64BE(declared);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), extended, payload]);
  const key = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ key[i % 4]!));
  return Buffer.concat([Buffer.from(head), extended, key, masked]);
}

/** Opens /api with a raw TCP socket (same-origin headers) and resolves once the host has answered 101. */
export function rawSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', reject);
    socket.once('connect', () =>
      socket.write(
        `GET /api HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      ),
    );
    socket.once('data', (data: Buffer) =>
      data.toString('latin1').startsWith('HTTP/1.1 101') ? resolve(socket) : reject(new Error(data.toString('latin1'))),
    );
  });
}

/** Resolves when the socket is closed by the other side, or after `ms` (then destroys it): whichever comes first. */
export function closedWithin(socket: Socket, ms: number): Promise<'closed' | 'open'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('open');
    }, ms);
    socket.on('error', () => undefined);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve('closed');
    });
  });
}

/** GET `path` from a host on 127.0.0.1:`port`: its status and body (bytes as latin1, so a canary's bytes can be searched in it). */
export function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('latin1')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
