// A tiny pretrained-style backbone made by the tests (Conv2D + global average pooling, as a
// TensorFlow.js layers model with real files), and a loopback HTTP server that serves a folder
// the way a model host does: Range requests, request log, and ways to misbehave.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { CACHE_FOLDER } from '../../main/core/backbones/cache';
import type { BackboneEntry } from '../../common/backbones/catalogue';
import { writeArtifacts } from '../../main/trainer/model-files';
import { seededRandom } from './shapes';

/** Input size of the tiny backbone. */
export const TINY_SIZE = 16;
/** Length of its feature vector. */
export const TINY_FEATURES = 16;

/**
 * Writes a layers model into `dir`: Conv2D(16, 3, stride 2) + ReLU, Conv2D(16, 3), then
 * GlobalAveragePooling2D: a 16x16 RGB image (or `size` x `size`, e.g. to stand in for a
 * 224 px MobileNet) becomes 16 features. Seeded, so the files repeat.
 */
export async function writeTinyBackbone(dir: string, size = TINY_SIZE): Promise<void> {
  await tf.setBackend('cpu');
  const model = tf.sequential({ name: 'tiny_backbone' });
  model.add(
    tf.layers.conv2d({
      inputShape: [size, size, 3],
      filters: 16,
      kernelSize: 3,
      strides: 2,
      activation: 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
    }),
  );
  model.add(
    tf.layers.conv2d({
      filters: TINY_FEATURES,
      kernelSize: 3,
      activation: 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
      biasInitializer: tf.initializers.constant({ value: 0.05 }),
    }),
  );
  model.add(tf.layers.globalAveragePooling2d({}));
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      await writeArtifacts(tf, dir, artifacts);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  model.dispose();
}

/** Length of the tiny graph backbone's feature vector. */
export const TINY_GRAPH_FEATURES = 8;

/**
 * Writes a TensorFlow.js graph model into `dir`, as tensorflowjs_converter writes TF Hub's
 * feature vectors (Placeholder, Conv2D stride 2 + Relu, Mean over height and width, with a
 * signature): a 16x16 RGB image becomes 8 features. Written by hand: the converter is Python.
 */
export function writeTinyGraphBackbone(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const random = seededRandom(4);
  const kernel = Float32Array.from({ length: 3 * 3 * 3 * TINY_GRAPH_FEATURES }, () => random() - 0.5);
  const axes = Int32Array.from([1, 2]);
  const dims = (...sizes: number[]) => ({ dim: sizes.map((size) => ({ size: String(size) })) });
  const constant = (name: string, dtype: string, shape: number[]) => ({
    name,
    op: 'Const',
    attr: { value: { tensor: { dtype, tensorShape: dims(...shape) } }, dtype: { type: dtype } },
  });
  const base64 = (text: string) => Buffer.from(text).toString('base64');
  const modelJson = {
    format: 'graph-model',
    generatedBy: '2.15.0',
    convertedBy: 'Capa tests',
    signature: {
      inputs: { x: { name: 'x:0', dtype: 'DT_FLOAT', tensorShape: dims(-1, TINY_SIZE, TINY_SIZE, 3) } },
      outputs: { features: { name: 'features:0', dtype: 'DT_FLOAT', tensorShape: dims(-1, TINY_GRAPH_FEATURES) } },
    },
    modelTopology: {
      node: [
        { name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: dims(-1, TINY_SIZE, TINY_SIZE, 3) } } },
        constant('kernel', 'DT_FLOAT', [3, 3, 3, TINY_GRAPH_FEATURES]),
        constant('axes', 'DT_INT32', [2]),
        {
          name: 'conv',
          op: 'Conv2D',
          input: ['x', 'kernel'],
          attr: {
            T: { type: 'DT_FLOAT' },
            strides: { list: { i: ['1', '2', '2', '1'] } },
            padding: { s: base64('VALID') },
            data_format: { s: base64('NHWC') },
            dilations: { list: { i: ['1', '1', '1', '1'] } },
          },
        },
        { name: 'relu', op: 'Relu', input: ['conv'], attr: { T: { type: 'DT_FLOAT' } } },
        {
          name: 'features',
          op: 'Mean',
          input: ['relu', 'axes'],
          attr: { T: { type: 'DT_FLOAT' }, Tidx: { type: 'DT_INT32' }, keep_dims: { b: false } },
        },
      ],
      library: {},
      versions: { producer: 1286 },
    },
    weightsManifest: [
      {
        paths: ['group1-shard1of1.bin'],
        weights: [
          { name: 'kernel', shape: [3, 3, 3, TINY_GRAPH_FEATURES], dtype: 'float32' },
          { name: 'axes', shape: [2], dtype: 'int32' },
        ],
      },
    ],
  };
  writeFileSync(join(dir, 'group1-shard1of1.bin'), Buffer.concat([Buffer.from(kernel.buffer), Buffer.from(axes.buffer)]));
  writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson));
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
    description: { message: 'Made by the tests.' },
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
  /** Every request as "<path><query> <range header or ->". */
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
    const url = new URL(request.url ?? '/', 'http://x');
    const path = url.pathname;
    state.requests.push(`${path}${url.search} ${request.headers.range ?? '-'}`);
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
    response.writeHead(range ? 206 : 200, {
      'Content-Length': bytes.length - start,
      ...(range ? { 'Content-Range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` } : {}),
    });
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
