// The multi-core CPU engine: data-parallel training over worker threads, each its own TensorFlow.js
// WebAssembly instance (cpu-worker.ts). The trainer thread keeps the model and the optimizer; each
// step it splits the batch into one shard per thread (itself included), every thread computes the
// gradients of the mean loss on its shard at the same weights, and the gradients are summed in a
// fixed order (shard 0, 1, ...), each weighted by its shard's share of the batch, then applied
// once. So a run is deterministic for a seed and a thread count, and equals one thread's
// trainOnBatch within float rounding. A worker that dies fails the step with a sentence; the
// run's checkpoint (last finished epoch) resumes on this or any other engine.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { BackendInfo } from '../../../preload/contract';
import { said } from '../../../common/messages/said';
import { TrainingFailure } from '../protocol';
import type { Tf } from '../tf';
import { dropoutLayers, type EngineSession, type TrainingEngine } from './engine';
import { seedDropouts, shardGradients, trainableVariables } from './gradients';
import { batchShape } from './in-process';

type LayersModel = import('@tensorflow/tfjs').LayersModel;

export type WorkerRequest =
  | { id: number; type: 'hello' }
  | { id: number; type: 'model'; topology: unknown; weights: Float32Array[] }
  | { id: number; type: 'step'; weights: Float32Array[]; x: Float32Array; y: Float32Array; shape: number[]; seeds: number[]; shard: number }
  | { id: number; type: 'close' };

export type WorkerReply =
  | { id: number; type: 'ok' }
  | { id: number; type: 'gradients'; loss: number; correct: number; grads: Float32Array[] }
  | { id: number; type: 'error'; message: string };

/** Threads to train on: `CAPA_CPU_WORKERS` (a lower number) or every core. */
export function cpuThreads(env: NodeJS.ProcessEnv = process.env, cores = availableParallelism()): number {
  const asked = Number.parseInt(env['CAPA_CPU_WORKERS'] ?? '', 10);
  return Number.isInteger(asked) && asked >= 1 ? Math.min(asked, cores) : cores;
}

/** One worker thread and its replies. */
export class EngineWorker {
  readonly thread: Worker;
  private next = 1;
  private readonly pending = new Map<number, { resolve(reply: WorkerReply): void; reject(error: Error): void }>();
  /** Set once the thread is gone, with why. */
  gone: Error | null = null;

  constructor() {
    // From TypeScript source (vitest, tsx) the worker registers tsx first; built, it is plain JS.
    const fromSource = __filename.endsWith('.ts');
    const entry = __filename.replace(/cpu-parallel\.(ts|js)$/, (_, ext: string) => `cpu-worker.${ext}`);
    this.thread = fromSource ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(entry)});`, { eval: true }) : new Worker(entry);
    this.thread.on('message', (reply: WorkerReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.type === 'error') waiting?.reject(new Error(reply.message));
      else waiting?.resolve(reply);
    });
    const fail = (error: Error) => {
      this.gone ??= error;
      for (const waiting of this.pending.values()) waiting.reject(this.gone);
      this.pending.clear();
    };
    this.thread.on('error', fail);
    this.thread.on('exit', (code) => fail(new TrainingFailure(said('runs.engine.workerExited', { code }))));
  }

  /** Sends a request (without its id) and waits for the reply. */
  ask(request: DistributiveOmit<WorkerRequest, 'id'>, transfer: ArrayBuffer[] = []): Promise<WorkerReply> {
    if (this.gone) return Promise.reject(this.gone);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.thread.postMessage({ ...request, id }, transfer);
    });
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Sizes of `count` pictures split over `shards` threads, the larger shards first. */
export function shardSizes(count: number, shards: number): number[] {
  const used = Math.max(1, Math.min(shards, count));
  return Array.from({ length: used }, (_, i) => Math.floor(count / used) + (i < count % used ? 1 : 0));
}

const values = (model: LayersModel, weights: 'all' | 'trainable'): Float32Array[] =>
  (weights === 'all' ? model.weights : model.trainableWeights).map((w) => w.read().dataSync() as Float32Array);

/** The data-parallel engine over `threads` threads (the trainer's and threads - 1 workers). */
export function parallelCpuEngine(threads: number, info: Omit<BackendInfo, 'fallbacks'>): TrainingEngine & { workers: EngineWorker[] } {
  const workers: EngineWorker[] = [];
  const engine = {
    id: 'wasm-parallel' as const,
    info,
    workers,
    async open(tf: Tf, model: LayersModel): Promise<EngineSession> {
      // Workers are started on demand and kept between runs; a dead one is replaced.
      for (let i = 0; i < threads - 1; i++) {
        if (!workers[i] || workers[i]!.gone) {
          void workers[i]?.thread.terminate();
          workers[i] = new EngineWorker();
        }
      }
      const topology = model.toJSON(null, false);
      await Promise.all(workers.map((worker) => worker.ask({ type: 'model', topology, weights: values(model, 'all') })));
      const dropouts = dropoutLayers(model);
      const variables = trainableVariables(model);
      const classes = (model.outputs[0]!.shape as number[]).at(-1)!;
      const optimizer = model.optimizer;
      return {
        async step(batch, seeds) {
          const sizes = shardSizes(batch.count, threads);
          const inner = batchShape(model, 1).slice(1);
          const pixels = inner.reduce((a, b) => a * b, 1);
          const weights = sizes.length > 1 ? values(model, 'trainable') : [];
          let offset = sizes[0]!;
          const asked = sizes.slice(1).map((size, i) => {
            const x = batch.x.slice(offset * pixels, (offset + size) * pixels);
            const y = batch.y.slice(offset * classes, (offset + size) * classes);
            offset += size;
            return workers[i]!.ask({ type: 'step', weights, x, y, shape: [size, ...inner], seeds: [...seeds], shard: i + 1 }, [
              x.buffer,
              y.buffer,
            ]);
          });
          // Shard 0 here, while the workers compute theirs.
          seedDropouts(dropouts, seeds, 0);
          const own = tf.tidy(() => {
            const x = tf.tensor(batch.x.subarray(0, sizes[0]! * pixels), [sizes[0]!, ...inner]);
            const y = tf.tensor2d(batch.y.subarray(0, sizes[0]! * classes), [sizes[0]!, classes]);
            const result = shardGradients(tf, model, x, y);
            result.grads.forEach((g) => tf.keep(g));
            return result;
          });
          let replies: WorkerReply[];
          try {
            replies = await Promise.all(asked);
          } catch (error) {
            own.grads.forEach((g) => g.dispose());
            throw error;
          }
          const shards = [{ loss: own.loss, correct: own.correct, grads: own.grads.map((g) => g.dataSync() as Float32Array) }];
          own.grads.forEach((g) => g.dispose());
          for (const reply of replies) if (reply.type === 'gradients') shards.push(reply);
          // The fixed-order weighted sum: the same additions in the same order for a seed and a thread count.
          const summed = variables.map((variable, k) => {
            const sum = new Float32Array(shards[0]!.grads[k]!.length);
            shards.forEach((shard, i) => {
              const share = Math.fround(sizes[i]! / batch.count);
              const grad = shard.grads[k]!;
              for (let j = 0; j < sum.length; j++) sum[j] += share * grad[j]!;
            });
            return { name: variable.name, tensor: tf.tensor(sum, variable.shape) };
          });
          optimizer.applyGradients(summed);
          summed.forEach((g) => g.tensor.dispose());
          let loss = 0;
          let correct = 0;
          shards.forEach((shard, i) => {
            loss += shard.loss * sizes[i]!;
            correct += shard.correct;
          });
          return { loss: loss / batch.count, accuracy: correct / batch.count };
        },
        sync: async () => undefined, // the trainer's model is the one trained
        reload: async () => undefined, // the trainable weights travel with every step
        async close() {
          await Promise.all(workers.filter((w) => !w.gone).map((worker) => worker.ask({ type: 'close' }).catch(() => undefined)));
        },
      };
    },
    async dispose() {
      await Promise.all(workers.splice(0).map((worker) => worker.thread.terminate()));
    },
  };
  return engine;
}
