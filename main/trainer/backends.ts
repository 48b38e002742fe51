// Chooses the fastest TensorFlow.js backend this machine can load: native TensorFlow with CUDA,
// native TensorFlow on the CPU, WebAssembly (XNNPACK), plain JavaScript. Each faster option that
// fails leaves a one-line reason, so the UI can say why training is slower than it could be.
// The `tf` object comes from the chosen backend's module (tfjs-node re-exports tfjs), so the
// trainer never loads `@tensorflow/tfjs` a second time next to tfjs-node.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import type { BackendInfo, Said } from '../../preload/contract';
import { said } from '../../common/messages/said';
import type { Tf } from './tf';
import { registerWasmTrainingKernels } from './wasm-kernels';
import { unpackedPath } from '../packaging/asar-path';
import { TrainingFailure } from './protocol';
import { ENGINE_ORDER, type EngineId, type EngineLoader, type TrainingEngine } from './engines/engine';
import { inProcessEngine } from './engines/in-process';
import { cpuThreads, parallelCpuEngine } from './engines/cpu-parallel';

/** Backend ids, fastest first; also the values `CAPA_BACKEND` accepts. */
export const BACKEND_ORDER = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendId = (typeof BACKEND_ORDER)[number];

/** The package that provides each backend, as reasons name it. */
export const BACKEND_PACKAGES: Record<BackendId, string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

/** A backend that loaded and is active. */
export interface LoadedBackend {
  /** The TensorFlow.js namespace to use with it. */
  tf: Tf;
  /** What it is, without the fallbacks (selectBackend adds them). */
  info: Omit<BackendInfo, 'fallbacks'>;
}

/** Loads and activates one backend, or throws why it cannot. */
export type BackendLoader = () => Promise<LoadedBackend>;

/** What selectBackend needs; everything defaults to the real thing. */
export interface SelectOptions {
  /** Forces one backend, as `CAPA_BACKEND` does; defaults to `process.env.CAPA_BACKEND`. */
  force?: string;
  /** Replaces loaders, so tests can simulate a missing or broken native module. */
  loaders?: Partial<Record<BackendId, BackendLoader>>;
}

/** The chosen backend with the reasons the faster ones were skipped. */
export interface SelectedBackend {
  /** The TensorFlow.js namespace bound to the chosen backend. */
  tf: Tf;
  /** Name, description and fallback reasons. */
  info: BackendInfo;
}

// Loaded through `require` (not `import`) so a missing optional package is a caught error, and so
// only the chosen one is ever loaded.
function requireTf(packageName: string): Tf {
  return require(packageName) as Tf;
}

/** The first line of an error, prefixed with its code when it has one. */
export function describeLoadError(packageName: string, error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();
  if (code === 'MODULE_NOT_FOUND' && message.includes(`'${packageName}'`)) return `${packageName}: not installed (MODULE_NOT_FOUND)`;
  return `${packageName}: ${code ? `${code}: ` : ''}${message}`;
}

/** Name of the first NVIDIA GPU, or null; tfjs-node-gpu has no device query of its own. */
function nvidiaGpuName(): string | null {
  try {
    const out = execFileSync('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader'], {
      encoding: 'utf8',
      timeout: 5000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return out.split('\n')[0]?.trim() || null;
  } catch {
    return null;
  }
}

/** A backend's description: English text for logs and the CLI, and the sentence the screen says. */
const described = (sentence: Said): Pick<BackendInfo, 'description' | 'said'> => ({ description: sentence.message, said: sentence });

async function activate(tf: Tf, name: string): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`the "${name}" backend did not initialise`);
  await tf.ready();
}

const loadTensorflowGpu: BackendLoader = async () => {
  const packageName = BACKEND_PACKAGES['tensorflow-gpu'];
  require.resolve(packageName); // "not installed" before asking the driver anything
  // Without a GPU, tfjs-node-gpu silently runs on the CPU; say so and let tfjs-node take over,
  // rather than loading a second libtensorflow into this process.
  const gpu = nvidiaGpuName();
  if (!gpu) throw new Error('installed, but no NVIDIA GPU was found (nvidia-smi failed)');
  const tf = requireTf(packageName);
  await activate(tf, 'tensorflow');
  return { tf, info: { name: 'tensorflow', ...described(said('runs.backends.gpu', { gpu })), gpu: true } };
};

const loadTensorflow: BackendLoader = async () => {
  const tf = requireTf(BACKEND_PACKAGES.tensorflow);
  await activate(tf, 'tensorflow');
  return { tf, info: { name: 'tensorflow', ...described(said('runs.backends.native')), gpu: false } };
};

/** TensorFlow.js on WebAssembly with Capa's training kernels; also what each CPU engine worker loads. */
export const loadWasmBackend: BackendLoader = async () => {
  const tf = requireTf('@tensorflow/tfjs');
  const wasm = require(BACKEND_PACKAGES.wasm) as typeof import('@tensorflow/tfjs-backend-wasm');
  // The .wasm binaries sit next to the package's main file; in Node they are read from disk.
  // Packaged, the .wasm files and their worker scripts are read from app.asar.unpacked (electron-builder.yml).
  wasm.setWasmPaths(unpackedPath(join(dirname(require.resolve(BACKEND_PACKAGES.wasm)), '/')));
  registerWasmTrainingKernels(tf);
  await activate(tf, 'wasm');
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  // tfjs-backend-wasm 4.22 turns threads off in Node (tensorflow/tfjs#3830), so this is 1 there.
  const threads = wasm.getThreadsCount();
  const features = ['XNNPACK', ...(simd ? ['SIMD'] : [])].join(', ');
  return { tf, info: { name: 'wasm', ...described(said('runs.backends.wasm', { features, count: threads })), gpu: false } };
};

const loadCpu: BackendLoader = async () => {
  const tf = requireTf('@tensorflow/tfjs');
  await activate(tf, 'cpu');
  return { tf, info: { name: 'cpu', ...described(said('runs.backends.cpu')), gpu: false } };
};

/** The real loaders. */
export const DEFAULT_LOADERS: Record<BackendId, BackendLoader> = {
  'tensorflow-gpu': loadTensorflowGpu,
  tensorflow: loadTensorflow,
  wasm: loadWasmBackend,
  cpu: loadCpu,
};

function isBackendId(value: string): value is BackendId {
  return (BACKEND_ORDER as readonly string[]).includes(value);
}

/**
 * Loads the fastest backend that works, or the forced one. A forced backend that cannot load
 * is an error, not a silent fallback: whoever forced it wants to know.
 */
export async function selectBackend(options: SelectOptions = {}): Promise<SelectedBackend> {
  const loaders = { ...DEFAULT_LOADERS, ...options.loaders };
  const asked = (options.force ?? process.env['CAPA_BACKEND'] ?? '').trim();
  // An engine that runs on WebAssembly in this process's workers or in Chromium forces WASM here.
  const force = isEngineId(asked) && !isBackendId(asked) ? 'wasm' : asked;
  if (force) {
    if (!isBackendId(force)) {
      throw new Error(`CAPA_BACKEND must be one of ${ENGINE_ORDER.join(', ')}. Received: ${JSON.stringify(force)}`);
    }
    try {
      const loaded = await loaders[force]();
      return { tf: loaded.tf, info: { ...loaded.info, fallbacks: [] } };
    } catch (error) {
      throw new Error(
        `CAPA_BACKEND=${force} was requested but ${describeLoadError(BACKEND_PACKAGES[force], error)}. Unset CAPA_BACKEND to pick the best available backend.`,
      );
    }
  }
  const fallbacks: string[] = [];
  for (const id of BACKEND_ORDER) {
    try {
      const loaded = await loaders[id]();
      return { tf: loaded.tf, info: { ...loaded.info, fallbacks } };
    } catch (error) {
      fallbacks.push(describeLoadError(BACKEND_PACKAGES[id], error));
    }
  }
  throw new TrainingFailure(said('runs.backends.none', { reasons: fallbacks.join('\n') }));
}

// ---------------------------------------------------------------------------------------------
// The engine chain: which engine runs the training steps (engines/engine.ts). Fastest first:
// native CUDA → Chromium WebGPU → Chromium WebGL → the best CPU engine (native TensorFlow,
// data-parallel WebAssembly on every core, single-thread WebAssembly) → plain JavaScript.

/** What each engine is called in a skip reason. */
export const ENGINE_PACKAGES: Record<EngineId, string> = {
  'tensorflow-gpu': BACKEND_PACKAGES['tensorflow-gpu'],
  'chromium-webgpu': 'Chromium WebGPU',
  'chromium-webgl': 'Chromium WebGL',
  tensorflow: BACKEND_PACKAGES.tensorflow,
  'wasm-parallel': 'wasm-parallel',
  wasm: BACKEND_PACKAGES.wasm,
  cpu: BACKEND_PACKAGES.cpu,
};

function isEngineId(value: string): value is EngineId {
  return (ENGINE_ORDER as readonly string[]).includes(value);
}

/** A Chromium engine, where this build has one (main/trainer/engines/chromium*.ts exports `loadChromiumEngine`). */
function chromiumLoader(api: 'webgpu' | 'webgl'): EngineLoader {
  return async () => {
    let module: { loadChromiumEngine(api: 'webgpu' | 'webgl'): Promise<TrainingEngine> };
    try {
      module = require('./engines/chromium') as typeof module;
    } catch (error) {
      if ((error as { code?: string }).code === 'MODULE_NOT_FOUND') throw new Error('not part of this build');
      throw error;
    }
    return module.loadChromiumEngine(api);
  };
}

/** The engine loaders over the process's selected backend. */
export function engineLoaders(selected: SelectedBackend, threads = cpuThreads()): Record<EngineId, EngineLoader> {
  const { info } = selected;
  // A faster backend of this process that did not load gives its engine's reason.
  const processReason = (id: BackendId) => () => {
    const reason = info.fallbacks.find((line) => line.startsWith(`${BACKEND_PACKAGES[id]}:`));
    throw new Error(reason ? reason.slice(BACKEND_PACKAGES[id].length + 1).trim() : `the trainer runs on ${info.name}`);
  };
  const own = (id: EngineId, matches: boolean, backend: BackendId): EngineLoader =>
    matches ? async () => inProcessEngine(id, info) : async () => processReason(backend)();
  return {
    'tensorflow-gpu': own('tensorflow-gpu', info.name === 'tensorflow' && info.gpu, 'tensorflow-gpu'),
    'chromium-webgpu': chromiumLoader('webgpu'),
    'chromium-webgl': chromiumLoader('webgl'),
    tensorflow: own('tensorflow', info.name === 'tensorflow' && !info.gpu, 'tensorflow'),
    'wasm-parallel': async () => {
      if (info.name !== 'wasm') processReason('wasm')();
      if (threads < 2)
        throw new Error(
          process.env['CAPA_CPU_WORKERS']
            ? `CAPA_CPU_WORKERS=${process.env['CAPA_CPU_WORKERS']} asks for one thread`
            : 'this machine has one core',
        );
      const features = info.said?.params?.['features'];
      return parallelCpuEngine(threads, {
        name: 'wasm-parallel',
        ...described(said('runs.engine.wasmParallel', { threads, features: String(features ?? 'XNNPACK') })),
        gpu: false,
      });
    },
    wasm: own('wasm', info.name === 'wasm', 'wasm'),
    cpu: own('cpu', info.name === 'cpu', 'cpu'),
  };
}

/** The chosen engine with why each faster one was skipped. */
export interface SelectedEngine {
  engine: TrainingEngine;
  /** The engine as a run records it: name, description, skip reasons (English and said). */
  info: BackendInfo;
}

/**
 * The fastest engine that loads over `selected`, or the one `CAPA_BACKEND` names (an error, not a
 * fallback, when it cannot load). Each engine skipped leaves a one-line reason.
 */
export async function selectEngine(
  selected: SelectedBackend,
  options: { force?: string; loaders?: Partial<Record<EngineId, EngineLoader>>; threads?: number } = {},
): Promise<SelectedEngine> {
  const loaders = { ...engineLoaders(selected, options.threads), ...options.loaders };
  const force = (options.force ?? process.env['CAPA_BACKEND'] ?? '').trim();
  if (force && isEngineId(force)) {
    try {
      const engine = await loaders[force]();
      return { engine, info: { ...engine.info, fallbacks: [], skipped: [] } };
    } catch (error) {
      throw new Error(
        `CAPA_BACKEND=${force} was requested but ${describeLoadError(ENGINE_PACKAGES[force], error)}. Unset CAPA_BACKEND to pick the best available engine.`,
      );
    }
  }
  const fallbacks: string[] = [];
  const skipped: Said[] = [];
  for (const id of ENGINE_ORDER) {
    try {
      const engine = await loaders[id]();
      return { engine, info: { ...engine.info, fallbacks, skipped } };
    } catch (error) {
      const line = describeLoadError(ENGINE_PACKAGES[id], error);
      fallbacks.push(line);
      skipped.push(said('runs.engine.skipped', { engine: ENGINE_PACKAGES[id], reason: line.slice(ENGINE_PACKAGES[id].length + 1).trim() }));
    }
  }
  throw new TrainingFailure(said('runs.backends.none', { reasons: fallbacks.join('\n') }));
}
