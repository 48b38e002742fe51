// What a training engine is: the thing that runs a step (forward, gradients, optimizer update) for
// the training loop in ../train.ts. The loop, the data pipeline, validation, checkpoints, early
// stopping, class weights (baked into the targets), fine-tuning and the run's records stay in the
// trainer process and are the same whichever engine trained, so a checkpoint written after one
// engine's epoch resumes on any other. Engines: in-process.ts (tfjs-node, single-thread WASM,
// plain JS), cpu-parallel.ts (data-parallel WASM over worker threads) and the Chromium engines
// (WebGPU, WebGL), which plug in through the same interface (see ../backends.ts, ENGINE_LOADERS).
import type { BackendInfo } from '../../../preload/contract';
import type { ModelSpec } from '../../../common/model/spec';
import type { HostBatch } from '../dataset';
import type { Tf } from '../tf';

type LayersModel = import('@tensorflow/tfjs').LayersModel;

/** Engine ids, fastest first; also the values `CAPA_BACKEND` accepts. */
export const ENGINE_ORDER = ['tensorflow-gpu', 'chromium-webgpu', 'chromium-webgl', 'tensorflow', 'wasm-parallel', 'wasm', 'cpu'] as const;
export type EngineId = (typeof ENGINE_ORDER)[number];

/** One step's results, as `trainOnBatch` returns them. */
export interface StepResult {
  /** Mean loss over the batch. */
  loss: number;
  /** Share of the batch classified right. */
  accuracy: number;
}

/** One run's use of an engine, from the model's first step to its last. */
export interface EngineSession {
  /**
   * Trains one batch: the optimizer's update is applied once. `dropoutSeeds` holds one seed per
   * Dropout layer of the model (in layer order) for this batch.
   */
  step(batch: HostBatch, dropoutSeeds: readonly number[]): Promise<StepResult>;
  /**
   * Brings the trainer's model (weights and optimizer state) up to date with the engine before
   * validation, a checkpoint or saving. Engines that train the trainer's own model do nothing.
   */
  sync(): Promise<void>;
  /** The model's weights or learning rate changed in the trainer (restored, lowered): take them over. */
  reload(): Promise<void>;
  /** Ends the session; the engine itself stays up for the next run. */
  close(): Promise<void>;
}

/** The run an engine session trains. */
export interface EngineRun {
  /** The spec whose network `model` is. */
  spec: ModelSpec;
  /** The learning rate it starts with (a resumed run's may have been lowered). */
  learningRate: number;
}

/** A loaded engine, kept alive between runs. */
export interface TrainingEngine {
  id: EngineId;
  /** Name, device and description, as the run records it (selectEngine adds the fallbacks). */
  info: Omit<BackendInfo, 'fallbacks'>;
  /**
   * Starts training `model` (built and compiled in the trainer process with `tf`, its weights and
   * optimizer already restored when resuming). `run` is what an engine that builds its own copy of
   * the model needs (the Chromium engines).
   */
  open(tf: Tf, model: LayersModel, run: EngineRun): Promise<EngineSession>;
  /** Frees threads, windows and memory. */
  dispose(): Promise<void>;
}

/** Loads one engine, or throws why it cannot (the first line of the error becomes the reason). */
export type EngineLoader = () => Promise<TrainingEngine>;

/** Dropout layers of `model`, whose `seed` the engines set per batch. */
export function dropoutLayers(model: LayersModel): { seed?: number }[] {
  return model.layers.filter((layer) => layer.getClassName() === 'Dropout') as unknown as { seed?: number }[];
}
