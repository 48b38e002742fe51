// The engine that trains the trainer's own model on the process's TensorFlow.js backend with
// `trainOnBatch`: native TensorFlow (CUDA or CPU), single-thread WebAssembly, or plain JavaScript.
import type { BackendInfo } from '../../../preload/contract';
import type { Tf } from '../tf';
import { dropoutLayers, type EngineId, type EngineSession, type TrainingEngine } from './engine';
import { seedDropouts } from './gradients';

type LayersModel = import('@tensorflow/tfjs').LayersModel;

/** Input tensor shape of a batch of `count` inputs for `model` (pictures, or feature vectors). */
export function batchShape(model: LayersModel, count: number): number[] {
  return [count, ...(model.inputs[0]!.shape.slice(1) as number[])];
}

/** An engine over the process's own backend. */
export function inProcessEngine(id: EngineId, info: Omit<BackendInfo, 'fallbacks'>): TrainingEngine {
  return {
    id,
    info,
    async open(tf: Tf, model: LayersModel): Promise<EngineSession> {
      const dropouts = dropoutLayers(model);
      const classes = (model.outputs[0]!.shape as number[]).at(-1)!;
      return {
        async step(batch, seeds) {
          seedDropouts(dropouts, seeds, 0);
          const x = tf.tensor(batch.x, batchShape(model, batch.count));
          const y = tf.tensor2d(batch.y, [batch.count, classes]);
          try {
            const result = await model.trainOnBatch(x, y);
            const [loss, accuracy] = Array.isArray(result) ? [result[0]!, result[1]!] : [result, NaN];
            return { loss, accuracy };
          } finally {
            x.dispose();
            y.dispose();
          }
        },
        sync: async () => undefined,
        reload: async () => undefined,
        close: async () => undefined,
      };
    },
    dispose: async () => undefined,
  };
}
