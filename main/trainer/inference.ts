// The trainer's side of ONNX Runtime: a layers model (a run's weights, or a layers backbone) is
// converted (main/core/inference/convert.ts), opened (engine.ts) and, before its first use,
// checked against TensorFlow.js's own outputs on a few reference inputs. Whatever fails (no
// runtime, a layer the converter cannot express, a difference above 1e-4) leaves a line in the
// log and null: the caller then does the work in TensorFlow.js. This lives in the trainer because
// the check and the fallback need the TensorFlow.js model it already holds; onnxruntime's run is
// asynchronous on its own threads, so it does not block this process's message loop.
import type { Said } from '../../preload/contract';
import { seededRandom } from '../../common/model/augment';
import { nested, said } from '../../common/messages/said';
import { convertLayersModel } from '../core/inference/convert';
import {
  describeInference,
  inferenceChoice,
  openChecked,
  type InferenceInfo,
  type InferenceModel,
  type ReferenceInput,
} from '../core/inference/engine';

/** How many reference inputs, and pictures in each, a converted model is checked on. */
const REFERENCE_INPUTS = 2;
const REFERENCE_BATCH = 2;

/** Writes a sentence to the trainer's log (its stderr, which the app keeps). */
export function logInference(line: Said): void {
  console.warn(`[inference] ${line.message}`);
}

/** Seeded inputs of `shape` (without batch) in [low, high]: the same every time. */
export function referenceInputs(shape: readonly number[], range: [number, number] = [-1, 1]): ReferenceInput[] {
  const random = seededRandom(16);
  const size = shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: REFERENCE_INPUTS }, () => ({
    values: Float32Array.from({ length: REFERENCE_BATCH * size }, () => range[0] + random() * (range[1] - range[0])),
    dims: [REFERENCE_BATCH, ...shape],
  }));
}

interface Entry {
  key: string;
  model: InferenceModel | null;
}
const opened = new Map<string, Entry>();

/** What the last forward pass of each kind ran on, for the screens and the CLI. */
export const lastInference: { features: InferenceInfo | null; predictions: InferenceInfo | null } = { features: null, predictions: null };

/**
 * The checked ONNX Runtime model of the layers model in `modelDir` (opened once per `key`: the
 * caller's name for these weights), or null when TensorFlow.js must do the work. `reference`
 * gives TensorFlow.js's output for an input; `features` converts a backbone (pooled features).
 */
export async function checkedOnnx(
  modelDir: string,
  key: string,
  inputShape: readonly number[],
  reference: (input: ReferenceInput) => Promise<Float32Array>,
  options: { features?: boolean; range?: [number, number] } = {},
): Promise<InferenceModel | null> {
  const entry = opened.get(modelDir);
  if (entry?.key === key) return entry.model;
  await entry?.model?.release().catch(() => undefined);
  opened.delete(modelDir);
  const model = await openFor(modelDir, inputShape, reference, options);
  opened.set(modelDir, { key, model });
  return model;
}

async function openFor(
  modelDir: string,
  inputShape: readonly number[],
  reference: (input: ReferenceInput) => Promise<Float32Array>,
  options: { features?: boolean; range?: [number, number] },
): Promise<InferenceModel | null> {
  if (inferenceChoice() === 'tfjs') {
    logInference(said('runs.inference.forced'));
    return null;
  }
  const conversion = await convertLayersModel(modelDir, { features: options.features }).catch((error: unknown) => ({
    refused: said('runs.inference.convertFailed', { reason: error instanceof Error ? error.message : String(error) }),
  }));
  if ('refused' in conversion) {
    logInference(conversion.refused);
    return null;
  }
  const inputs = referenceInputs(inputShape, options.range);
  const expected: Float32Array[] = [];
  for (const input of inputs) expected.push(await reference(input));
  const { model, problem, notes } = await openChecked(conversion.onnx, inputs, expected);
  for (const note of notes) logInference(note);
  if (problem) logInference(problem);
  if (model)
    logInference(
      said('runs.inference.using', {
        what: nested(said(options.features ? 'runs.inference.features' : 'runs.inference.predictions')),
        engine: nested(describeInference(model.info)),
      }),
    );
  return model;
}

/** Closes every open session (the trainer is shutting down). */
export async function forgetInference(): Promise<void> {
  const entries = [...opened.values()];
  opened.clear();
  await Promise.all(entries.map((entry) => entry.model?.release().catch(() => undefined)));
}

/** The engine lines of the last features and predictions ("Features: ONNX Runtime, CPU (2 threads)"). */
export function inferenceReport(): { features: Said | null; predictions: Said | null } {
  const line = (what: 'runs.inference.features' | 'runs.inference.predictions', info: InferenceInfo | null) =>
    info ? said('runs.inference.using', { what: nested(said(what)), engine: nested(describeInference(info)) }) : null;
  return {
    features: line('runs.inference.features', lastInference.features),
    predictions: line('runs.inference.predictions', lastInference.predictions),
  };
}
