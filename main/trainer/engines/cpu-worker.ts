// A worker thread of the data-parallel CPU engine (cpu-parallel.ts): its own TensorFlow.js on
// WebAssembly with Capa's training kernels (../wasm-kernels.ts), a copy of the run's model, and
// one answer per message: the gradients of its shard of a batch at the weights it is sent.
import { parentPort } from 'node:worker_threads';
import { loadWasmBackend } from '../backends';
import type { Tf } from '../tf';
import { dropoutLayers } from './engine';
import { seedDropouts, shardGradients } from './gradients';
import type { WorkerReply, WorkerRequest } from './cpu-parallel';

type LayersModel = import('@tensorflow/tfjs').LayersModel;

const port = parentPort!;
const ready: Promise<Tf> = loadWasmBackend().then((loaded) => loaded.tf);
let model: LayersModel | null = null;

function setWeights(
  tf: Tf,
  weights: readonly { write(value: import('@tensorflow/tfjs').Tensor): unknown; shape: (number | null)[] }[],
  values: readonly Float32Array[],
): void {
  weights.forEach((weight, i) => {
    const value = tf.tensor(values[i]!, weight.shape as number[]);
    weight.write(value);
    value.dispose();
  });
}

async function answer(request: WorkerRequest): Promise<WorkerReply> {
  const tf = await ready;
  switch (request.type) {
    case 'hello':
      return { id: request.id, type: 'ok' };
    case 'model': {
      model?.dispose();
      model = await tf.models.modelFromJSON(request.topology as never);
      setWeights(tf, model.weights, request.weights);
      return { id: request.id, type: 'ok' };
    }
    case 'step': {
      if (!model) throw new Error('step before model');
      setWeights(tf, model.trainableWeights, request.weights);
      seedDropouts(dropoutLayers(model), request.seeds, request.shard);
      const x = tf.tensor(request.x, request.shape);
      const y = tf.tensor2d(request.y, [request.shape[0]!, request.y.length / request.shape[0]!]);
      try {
        const { loss, correct, grads } = shardGradients(tf, model, x, y);
        // Own buffers (a WASM read is a copy; checked, since a view of the heap must never be transferred).
        const values = grads.map((g) => {
          const data = g.dataSync() as Float32Array;
          return data.byteLength === data.buffer.byteLength ? data : data.slice();
        });
        grads.forEach((g) => g.dispose());
        return { id: request.id, type: 'gradients', loss, correct, grads: values };
      } finally {
        x.dispose();
        y.dispose();
      }
    }
    case 'close':
      model?.dispose();
      model = null;
      return { id: request.id, type: 'ok' };
  }
}

port.on('message', (request: WorkerRequest) => {
  answer(request).then(
    (reply) => port.postMessage(reply, reply.type === 'gradients' ? reply.grads.map((g) => g.buffer as ArrayBuffer) : []),
    (error: unknown) =>
      port.postMessage({
        id: request.id,
        type: 'error',
        message: error instanceof Error ? error.message : String(error),
      } satisfies WorkerReply),
  );
});
