// A tiny pretrained-style backbone made by the tests (Conv2D + global average pooling, as a
// TensorFlow.js layers model with real files), and a loopback HTTP server that serves a folder
// the way a model host does: Range requests, request log, and ways to misbehave.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { CACHE_FOLDER } from '../../main/core/backbones/cache';
import type { BackboneEntry } from '../../main/core/backbones/catalogue';
import { writeArtifacts } from '../../main/trainer/model-files';

/** Input size of the tiny backbone. */
export const TINY_SIZE = 16;
/** Length of its feature vector. */
export const TINY_FEATURES = 16;

/**
 * Writes a layers model into `dir`: Conv2D(16, 3, stride 2) + ReLU, Conv2D(16, 3), then
 * GlobalAveragePooling2D: a 16x16 RGB image becomes 16 features. Seeded, so the files repeat.
 */
export async function writeTinyBackbone(dir: string): Promise<void> {
  await tf.setBackend('cpu');
  const model = tf.sequential({ name: 'tiny_backbone' });
  model.add(tf.layers.conv2d({ inputShape: [TINY_SIZE, TINY_SIZE, 3], filters: 16, kernelSize: 3, strides: 2, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }));
  model.add(tf.layers.conv2d({ filters: TINY_FEATURES, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }), biasInitializer: tf.initializers.constant({ value: 0.05 }) }));
  model.add(tf.layers.globalAveragePooling2d({}));
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      await writeArtifacts(tf, dir, artifacts);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  model.dispose();
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** SHA-256 of every file of a model folder by name. */
export function checksums(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((name) => [name, sha256(readFileSync(join(dir, name)))]));
}

/** A catalogue entry for the tiny backbone served at `baseUrl`. */
export function tinyEntry(id: string, baseUrl: string, sha: Record<string, string> | undefined): BackboneEntry {
  return {
    id,
    title: `Tiny test backbone ${id}`,
    description: 'Made by the tests.',
    url: `${baseUrl}/${id}/model.json`,
    query: '',
    format: 'layers',
    inputSize: TINY_SIZE,
    normalization: { scale: 1 / 255, offset: 0 },
    features: TINY_FEATURES,
    params: 0,
    sizeBytes: 1000,
    ...(sha ? { sha256: sha } : {}),
  };
}

/** A loopback model host. */
export interface ModelServer {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Every request as "<path> <range header or ->". */
  requests: string[];
  /** When set, the next response to a path ending so is cut after this many bytes (once). */
  cutOnce: { suffix: string; bytes: number } | null;
  /** When set, the next response to a path ending so sends this many bytes, then waits for `release()` (once). */
  holdOnce: { suffix: string; bytes: number } | null;
  /** Sends the rest of a held response. */
  release(): void;
  close(): Promise<void>;
}

/** Serves `root/<id>/<file>` for every id, honouring `Range: bytes=N-`. */
export async function startModelServer(root: string, folders: Record<string, string>): Promise<ModelServer> {
  let held: (() => void) | null = null;
  const state: ModelServer = {
    url: '',
    requests: [],
    cutOnce: null,
    holdOnce: null,
    release: () => held?.(),
    close: async () => undefined,
  };
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    state.requests.push(`${path} ${request.headers.range ?? '-'}`);
    const [, id, name] = path.split('/');
    const folder = folders[id ?? ''];
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(folder ?? root, name ?? ''));
    } catch {
      response.writeHead(404).end('not found');
      return;
    }
    const range = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    response.writeHead(range ? 206 : 200, { 'Content-Length': bytes.length - start, ...(range ? { 'Content-Range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` } : {}) });
    const cut = state.cutOnce;
    if (cut && path.endsWith(cut.suffix)) {
      state.cutOnce = null;
      // Half a file, then the connection drops: what a flaky network does.
      response.write(bytes.subarray(start, start + cut.bytes), () => setTimeout(() => response.destroy(), 100));
      return;
    }
    const hold = state.holdOnce;
    if (hold && path.endsWith(hold.suffix)) {
      state.holdOnce = null;
      response.write(bytes.subarray(start, start + hold.bytes));
      held = () => response.end(bytes.subarray(start + hold.bytes));
      return;
    }
    response.end(bytes.subarray(start));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  state.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

/**
 * A tiny backbone served from loopback as "tiny", listed (with its checksums) by a mirror's
 * catalogue.json in the cache folder of `dataDir`, as an organisation would ship one.
 */
export async function mirrorTinyBackbone(dataDir: string, modelDir: string): Promise<ModelServer> {
  await writeTinyBackbone(modelDir);
  const server = await startModelServer(modelDir, { tiny: modelDir });
  mkdirSync(join(dataDir, CACHE_FOLDER), { recursive: true });
  writeFileSync(join(dataDir, CACHE_FOLDER, 'catalogue.json'), JSON.stringify([tinyEntry('tiny', server.url, checksums(modelDir))]));
  return server;
}
