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
    const out = execFileSync('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader'], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
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

const loadWasm: BackendLoader = async () => {
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
  wasm: loadWasm,
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
  const force = (options.force ?? process.env['CAPA_BACKEND'] ?? '').trim();
  if (force) {
    if (!isBackendId(force)) {
      throw new Error(`CAPA_BACKEND must be one of ${BACKEND_ORDER.join(', ')}. Received: ${JSON.stringify(force)}`);
    }
    try {
      const loaded = await loaders[force]();
      return { tf: loaded.tf, info: { ...loaded.info, fallbacks: [] } };
    } catch (error) {
      throw new Error(`CAPA_BACKEND=${force} was requested but ${describeLoadError(BACKEND_PACKAGES[force], error)}. Unset CAPA_BACKEND to pick the best available backend.`);
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
