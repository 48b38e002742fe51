// The Chromium training engine: a page (in Capa's hidden window, or in a headless Chromium the
// browser host starts) that trains a spec's network with TensorFlow.js on WebGPU or WebGL. Node
// keeps the data pipeline and the run's records; this page only builds the same model, takes the
// state Node gives it, trains batch by batch and hands its state back after each epoch.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { buildModel, disposeOptimizer, setLearningRate } from '../../model-builder';
import { applyState, captureState } from '../../model-state';
import {
  decodeFrame,
  encodeFrame,
  floatsOf,
  isSoftwareRenderer,
  lossGradients,
  type ChromiumBackend,
  type EngineRequest,
  type ProbeResult,
} from '../chromium-wire';

type LayersModel = tf.LayersModel;

/** WebGPU's adapter, as far as this page reads it (the DOM types here have no WebGPU). */
interface Adapter {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
}

async function probeWebgpu(): Promise<ProbeResult> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(options?: object): Promise<Adapter | null> } }).gpu;
  if (!gpu) return { backend: 'webgpu', device: null, software: false, reason: 'no-navigator-gpu' };
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  if (!adapter) return { backend: 'webgpu', device: null, software: false, reason: 'no-adapter' };
  const info = adapter.info ?? {};
  const device = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') || 'WebGPU adapter';
  const software = Boolean(adapter.isFallbackAdapter ?? info.isFallbackAdapter) || isSoftwareRenderer(device);
  return { backend: 'webgpu', device, software, reason: null };
}

function probeWebgl(): ProbeResult {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return { backend: 'webgl', device: null, software: false, reason: 'no-webgl2' };
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const device = String(debug ? gl.getParameter(debug.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return { backend: 'webgl', device, software: isSoftwareRenderer(device), reason: null };
}

let model: LayersModel | null = null;
let dropouts: { seed?: number }[] = [];

function endModel(): void {
  if (!model) return;
  if (model.optimizer) disposeOptimizer(model.optimizer);
  model.dispose();
  model = null;
}

async function useBackend(backend: ChromiumBackend): Promise<void> {
  if (tf.getBackend() === backend) return;
  if (!(await tf.setBackend(backend))) throw new Error(`the ${backend} backend did not initialise`);
  await tf.ready();
}

async function handle(request: EngineRequest, parts: Uint8Array[]): Promise<[object, Uint8Array[]]> {
  switch (request.type) {
    case 'begin': {
      endModel();
      await useBackend(request.backend);
      model = buildModel(tf, request.spec, request.numClasses);
      applyState(tf, { ...request.state, data: parts[0]! }, model)?.forEach((t) => t.dispose());
      setLearningRate(model.optimizer, request.learningRate);
      dropouts = model.layers.filter((layer) => layer.getClassName() === 'Dropout') as unknown as { seed?: number }[];
      return [{ numTensors: tf.memory().numTensors }, []];
    }
    case 'batch': {
      if (!model) throw new Error('no run has begun');
      dropouts.forEach((layer, i) => (layer.seed = request.dropoutSeeds[i]));
      const x = tf.tensor4d(floatsOf(parts[0]!), request.shape as [number, number, number, number]);
      const y = tf.tensor2d(floatsOf(parts[1]!), [request.shape[0]!, request.numClasses]);
      try {
        const result = await model.trainOnBatch(x, y);
        const [loss, accuracy] = Array.isArray(result) ? [result[0]!, result[1]!] : [result, NaN];
        return [{ loss, accuracy }, []];
      } finally {
        x.dispose();
        y.dispose();
      }
    }
    case 'sync': {
      if (!model) throw new Error('no run has begun');
      const { data, ...state } = await captureState(model, null);
      return [{ ...state, numTensors: tf.memory().numTensors }, [data]];
    }
    case 'rate':
      if (model) setLearningRate(model.optimizer, request.learningRate);
      return [{}, []];
    case 'end':
      endModel();
      return [{ numTensors: tf.memory().numTensors }, []];
    case 'gradients': {
      await useBackend(request.backend);
      const probe = buildModel(tf, request.spec, request.numClasses);
      try {
        applyState(tf, { ...request.state, data: parts[0]! }, probe)?.forEach((t) => t.dispose());
        const x = tf.tensor4d(floatsOf(parts[1]!), request.shape as [number, number, number, number]);
        const y = tf.tensor2d(floatsOf(parts[2]!), [request.shape[0]!, request.numClasses]);
        const grads = lossGradients(tf, probe, x, y);
        const values = await Promise.all(grads.map((g) => g.data() as Promise<Float32Array>));
        [x, y, ...grads].forEach((t) => t.dispose());
        return [{}, values.map((v) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength))];
      } finally {
        if (probe.optimizer) disposeOptimizer(probe.optimizer);
        probe.dispose();
      }
    }
  }
}

async function main(): Promise<void> {
  const params = new URLSearchParams(location.hash.slice(1));
  const socket = new WebSocket(`ws://${location.host}/engine?token=${encodeURIComponent(params.get('token') ?? '')}`);
  socket.binaryType = 'arraybuffer';
  const send = (message: object, parts: Uint8Array[] = []) => socket.send(encodeFrame(message, parts));
  // One request at a time, in order: the engine is one model on one device.
  let queue = Promise.resolve();
  socket.onmessage = (event) => {
    const { message, parts } = decodeFrame<EngineRequest>(new Uint8Array(event.data as ArrayBuffer));
    queue = queue.then(() =>
      handle(message, parts).then(
        ([reply, replyParts]) => send({ type: 'reply', id: message.id, ok: true, ...reply }, replyParts),
        (error: unknown) =>
          send({ type: 'reply', id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
      ),
    );
  };
  await new Promise((resolve) => (socket.onopen = resolve));
  send({ type: 'ready', probes: [await probeWebgpu(), probeWebgl()] });
}

void main();
