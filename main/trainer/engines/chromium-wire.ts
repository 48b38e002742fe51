// The Chromium engine's wire format, the same on both sides (Node and the engine page): one
// binary frame per message, [u32 header length][header JSON][parts...], where the header holds
// the message and the byte length of each part (pixels, targets, a model's state). Pure: no
// node:*, so the page's bundle includes it too.
import type { ModelSpec } from '../../../common/model/spec';
import type { ModelState, TensorEntry } from '../model-state';

/** The Chromium backends, fastest first. */
export type ChromiumBackend = 'webgpu' | 'webgl';
export const CHROMIUM_BACKENDS: readonly ChromiumBackend[] = ['webgpu', 'webgl'];

/** What the page found for one backend. */
export interface ProbeResult {
  backend: ChromiumBackend;
  /** Null when the backend cannot run at all (no adapter, no WebGL2 context), with `reason`. */
  device: string | null;
  /** A fallback adapter, SwiftShader or llvmpipe: the CPU pretending to be a GPU. */
  software: boolean;
  /** Why it cannot run, when it cannot. */
  reason: 'no-navigator-gpu' | 'no-adapter' | 'no-webgl2' | null;
}

/** Requests from Node to the page; each gets one reply with the same id. */
export type EngineRequest =
  | {
      id: number;
      type: 'begin';
      backend: ChromiumBackend;
      spec: ModelSpec;
      numClasses: number;
      learningRate: number;
      state: Omit<ModelState, 'data'>;
    }
  | { id: number; type: 'batch'; shape: number[]; numClasses: number; dropoutSeeds: number[] }
  | { id: number; type: 'sync' }
  | { id: number; type: 'rate'; learningRate: number }
  | { id: number; type: 'end' }
  /** Tests: the gradient of the loss for each trainable weight of the model in `state`. */
  | {
      id: number;
      type: 'gradients';
      backend: ChromiumBackend;
      spec: ModelSpec;
      numClasses: number;
      shape: number[];
      state: Omit<ModelState, 'data'>;
    };

/** Messages from the page: its probe once connected, then one reply per request. */
export type EngineMessage =
  { type: 'ready'; probes: ProbeResult[] } | EngineReply | { type: 'reply'; id: number; ok: false; error: string };

/** A request's answer: what the request type gives. */
export interface EngineReply {
  type: 'reply';
  id: number;
  ok: true;
  loss?: number;
  accuracy?: number;
  tensors?: TensorEntry[];
  optimizerNumbers?: Record<string, number>;
  /** Tensors alive in the page after the request. */
  numTensors?: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One frame holding `message` and `parts`. */
export function encodeFrame(message: object, parts: readonly Uint8Array[] = []): Uint8Array {
  const header = encoder.encode(JSON.stringify({ message, parts: parts.map((part) => part.byteLength) }));
  // Parts start 4-byte aligned so the receiver can view them as Float32Array without a copy.
  const start = 4 + header.byteLength + ((4 - (header.byteLength % 4)) % 4);
  const frame = new Uint8Array(start + parts.reduce((sum, part) => sum + part.byteLength + ((4 - (part.byteLength % 4)) % 4), 0));
  new DataView(frame.buffer).setUint32(0, header.byteLength, true);
  frame.set(header, 4);
  let offset = start;
  for (const part of parts) {
    frame.set(part, offset);
    offset += part.byteLength + ((4 - (part.byteLength % 4)) % 4);
  }
  return frame;
}

/** The message and parts of a frame (parts are views into `frame`). */
export function decodeFrame<T>(frame: Uint8Array): { message: T; parts: Uint8Array[] } {
  const length = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0, true);
  const { message, parts } = JSON.parse(decoder.decode(frame.subarray(4, 4 + length))) as { message: T; parts: number[] };
  let offset = 4 + length + ((4 - (length % 4)) % 4);
  const views = parts.map((bytes) => {
    const view = frame.subarray(offset, offset + bytes);
    offset += bytes + ((4 - (bytes % 4)) % 4);
    return view;
  });
  return { message, parts: views };
}

/** Float32 values as bytes, without a copy. */
export const bytesOf = (values: Float32Array): Uint8Array => new Uint8Array(values.buffer, values.byteOffset, values.byteLength);

/** A view of bytes as Float32 values, copied only when misaligned. */
export function floatsOf(bytes: Uint8Array): Float32Array {
  if (bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return new Float32Array(new Uint8Array(bytes).buffer);
}

/** Whether a WebGL renderer string names a software rasteriser. */
export const isSoftwareRenderer = (renderer: string): boolean => /swiftshader|llvmpipe|softpipe|software/i.test(renderer);

type Tf = typeof import('@tensorflow/tfjs');

/**
 * The gradient of the mean categorical cross-entropy on (x, y) for each trainable weight of
 * `model`, in the training phase: what trainOnBatch descends. The same code runs in the page (on
 * WebGL or WebGPU) and in the tests on the CPU backend, so their results compare.
 */
export function lossGradients(
  tf: Tf,
  model: import('@tensorflow/tfjs').LayersModel,
  x: import('@tensorflow/tfjs').Tensor,
  y: import('@tensorflow/tfjs').Tensor,
): import('@tensorflow/tfjs').Tensor[] {
  const weights = model.trainableWeights.map((w) => (w as unknown as { val: import('@tensorflow/tfjs').Variable }).val);
  const { grads } = tf.variableGrads(
    () =>
      tf.metrics
        .categoricalCrossentropy(y, model.apply(x, { training: true }) as import('@tensorflow/tfjs').Tensor)
        .mean() as import('@tensorflow/tfjs').Scalar,
    weights,
  );
  return weights.map((w) => grads[w.name]!);
}

/** Between the trainer (a utilityProcess) and Electron's main: open, close and the end of Capa's hidden engine window. */
export type EngineWindowMessage =
  { type: 'engine-window'; url: string } | { type: 'engine-window-close' } | { type: 'engine-window-closed'; reason: string };

export const isEngineWindowMessage = (value: unknown): value is EngineWindowMessage =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { type?: unknown }).type === 'string' &&
  (value as { type: string }).type.startsWith('engine-window');
