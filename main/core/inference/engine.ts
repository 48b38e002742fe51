// ONNX Runtime as Capa's inference engine: sessions on the CPU with one intra-op thread per core
// (CAPA_INFERENCE_THREADS lowers it), the accelerators the onnxruntime-node package offers on
// this platform tried after, each checked against the CPU's output on the reference inputs and
// dropped with a one-line reason when it fails or disagrees. No TensorFlow here: the caller
// (the trainer) checks the CPU session against TensorFlow.js before using it.
// InferenceSession.run is asynchronous and runs on ONNX Runtime's own threads, so the calling
// process's event loop stays free while a batch runs.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Said } from '../../../preload/contract';
import { said } from '../../../common/messages/said';

type Ort = typeof import('onnxruntime-node');
type Session = import('onnxruntime-node').InferenceSession;

/** Largest absolute difference allowed between two engines' outputs (features or probabilities). */
export const INFERENCE_TOLERANCE = 1e-4;

/** Which engine does forward passes: ONNX Runtime (checked, with TensorFlow.js behind it) or TensorFlow.js only. */
export type InferenceChoice = 'onnx' | 'tfjs';

/** The engine chosen by CAPA_INFERENCE (or the setting passed the same way); ONNX Runtime unless it says tfjs. */
export function inferenceChoice(env: NodeJS.ProcessEnv = process.env): InferenceChoice {
  return env['CAPA_INFERENCE']?.trim().toLowerCase() === 'tfjs' ? 'tfjs' : 'onnx';
}

/** CPU intra-op threads: every core, or fewer when CAPA_INFERENCE_THREADS says so. */
export function cpuThreads(env: NodeJS.ProcessEnv = process.env): number {
  const cores = availableParallelism();
  const asked = Number.parseInt(env['CAPA_INFERENCE_THREADS'] ?? '', 10);
  return Number.isFinite(asked) && asked >= 1 ? Math.min(asked, cores) : cores;
}

/** The engine and provider that did a forward pass, for the screens and the CLI. */
export interface InferenceInfo {
  engine: 'onnxruntime' | 'tfjs';
  /** Execution provider (cpu, cuda, coreml, dml, webgpu); absent for TensorFlow.js. */
  provider?: string;
  /** CPU intra-op threads when the provider is the CPU. */
  threads?: number;
}

/** Where CUDA's runtime libraries usually are on Linux; ONNX Runtime's CUDA provider needs them. */
const CUDA_LIBRARIES = [
  '/usr/local/cuda/lib64/libcudart.so',
  '/usr/lib/x86_64-linux-gnu/libcudart.so',
  '/usr/lib/x86_64-linux-gnu/libcudart.so.12',
];

/** Accelerators worth trying on a platform, best first; each is checked before use. */
export function acceleratorCandidates(ort: Ort, platform: NodeJS.Platform = process.platform): string[] {
  const offered = new Map(ort.listSupportedBackends().map((b) => [b.name, b.bundled]));
  const wanted = platform === 'darwin' ? ['coreml', 'webgpu'] : platform === 'win32' ? ['dml', 'webgpu'] : ['cuda', 'webgpu'];
  return wanted.filter((name) => {
    if (!offered.has(name)) return false;
    // The npm package leaves CUDA's provider out unless its install script fetched it (off in Capa).
    if (name === 'cuda') return CUDA_LIBRARIES.some((path) => existsSync(path)) || Boolean(process.env['CUDA_PATH']);
    return true;
  });
}

let ortModule: Promise<Ort | null> | null = null;

/** onnxruntime-node, loaded once; null when it cannot load here (the reason is in `ortProblem`). */
export function loadOrt(): Promise<Ort | null> {
  ortModule ??= import('onnxruntime-node').then(
    (module) => ((module as unknown as { default?: Ort }).default ?? module) as Ort,
    (error: unknown) => {
      ortProblem = said('runs.inference.noRuntime', { reason: error instanceof Error ? error.message : String(error) });
      return null;
    },
  );
  return ortModule;
}
/** Why onnxruntime-node did not load, once loadOrt has said null. */
export let ortProblem: Said | null = null;

/** A reference input: its values and dims (NHWC, batch first). */
export interface ReferenceInput {
  values: Float32Array;
  dims: number[];
}

/** Largest absolute difference between two outputs of the same length (Infinity when the lengths differ). */
export function maxDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= worst)) worst = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
  }
  return worst;
}

/** A converted model open in ONNX Runtime, on the provider that passed its check. */
export class InferenceModel {
  constructor(
    private readonly ort: Ort,
    private readonly session: Session,
    readonly info: InferenceInfo,
  ) {}

  /** The first output for a batch (NHWC float32, batch first). */
  async run(values: Float32Array, dims: number[]): Promise<{ values: Float32Array; dims: number[] }> {
    const input = new this.ort.Tensor('float32', values, dims);
    const outputs = await this.session.run({ [this.session.inputNames[0]!]: input });
    const output = outputs[this.session.outputNames[0]!]!;
    const result = { values: output.data as Float32Array, dims: [...output.dims] };
    output.dispose();
    return result;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/** Outcome of opening a model: the model, or null with why not; and a line per accelerator that was dropped. */
export interface Opened {
  model: InferenceModel | null;
  problem: Said | null;
  notes: Said[];
}

async function outputsOf(ort: Ort, session: Session, inputs: readonly ReferenceInput[]): Promise<Float32Array[]> {
  const model = new InferenceModel(ort, session, { engine: 'onnxruntime' });
  const results: Float32Array[] = [];
  for (const input of inputs) results.push(Float32Array.from((await model.run(input.values, input.dims)).values));
  return results;
}

const worstOf = (a: Float32Array[], b: readonly Float32Array[]) => Math.max(...a.map((values, i) => maxDifference(values, b[i]!)));

/**
 * Opens `onnx` on the CPU and checks its outputs on `inputs` against `expected` (TensorFlow.js's);
 * then tries each accelerator, keeping the first whose outputs agree with the CPU's. A model that
 * fails to load or disagrees gives null and the reason.
 */
export async function openChecked(
  onnx: Uint8Array,
  inputs: readonly ReferenceInput[],
  expected: readonly Float32Array[],
  options: { accelerators?: string[]; threads?: number } = {},
): Promise<Opened> {
  const notes: Said[] = [];
  const ort = await loadOrt();
  if (!ort) return { model: null, problem: ortProblem, notes };
  const threads = options.threads ?? cpuThreads();
  let cpu: Session;
  try {
    cpu = await ort.InferenceSession.create(onnx, {
      executionProviders: ['cpu'],
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
  } catch (error) {
    return { model: null, problem: said('runs.inference.cannotLoad', { reason: reasonOf(error) }), notes };
  }
  const reference = await outputsOf(ort, cpu, inputs).catch((error: unknown) => error);
  if (!Array.isArray(reference)) {
    await cpu.release();
    return { model: null, problem: said('runs.inference.cannotRun', { reason: reasonOf(reference) }), notes };
  }
  const difference = worstOf(reference, expected);
  if (!(difference <= INFERENCE_TOLERANCE)) {
    await cpu.release();
    return {
      model: null,
      problem: said('runs.inference.disagrees', { difference: formatDifference(difference), tolerance: INFERENCE_TOLERANCE }),
      notes,
    };
  }
  for (const provider of options.accelerators ?? acceleratorCandidates(ort).filter((name) => !unavailable.has(name))) {
    let session: Session | null = null;
    try {
      session = await ort.InferenceSession.create(onnx, { executionProviders: [provider], graphOptimizationLevel: 'all' });
      const outputs = await outputsOf(ort, session, inputs);
      const off = worstOf(outputs, reference);
      if (off <= INFERENCE_TOLERANCE) {
        await cpu.release();
        return { model: new InferenceModel(ort, session, { engine: 'onnxruntime', provider }), problem: null, notes };
      }
      notes.push(said('runs.inference.providerDisagrees', { provider, difference: formatDifference(off), tolerance: INFERENCE_TOLERANCE }));
    } catch (error) {
      // A provider that cannot start (no device, no library) is not tried again in this process.
      unavailable.add(provider);
      notes.push(said('runs.inference.providerFailed', { provider, reason: reasonOf(error) }));
    }
    await session?.release().catch(() => undefined);
  }
  return { model: new InferenceModel(ort, cpu, { engine: 'onnxruntime', provider: 'cpu', threads }), problem: null, notes };
}

/** Accelerators that could not start a session in this process. */
const unavailable = new Set<string>();

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
const formatDifference = (d: number): string => (Number.isFinite(d) ? d.toExponential(2) : 'different shapes');

/** The engine line the screens and the CLI show ("ONNX Runtime, CPU (2 threads)"). */
export function describeInference(info: InferenceInfo): Said {
  if (info.engine === 'tfjs') return said('runs.inference.tfjs');
  if (info.provider === 'cpu' || !info.provider) return said('runs.inference.onnxCpu', { count: info.threads ?? 1 });
  return said('runs.inference.onnxProvider', { provider: info.provider.toUpperCase() });
}
