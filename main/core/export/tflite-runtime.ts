// Runs a .tflite file with LiteRT.js (@litertjs/core, Google's TFLite runtime compiled to
// WebAssembly), so Capa can score its own int8 export on held-out images and the tests can read
// every export back with the runtime people deploy. LiteRT.js is written for browsers and
// workers: it loads its WebAssembly glue with importScripts and reads `self.ModuleFactory`.
// In Node the glue is evaluated here with the CommonJS names it expects instead. The "compat"
// build is used because Node 20's WebAssembly lacks relaxed SIMD.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { runInThisContext } from 'node:vm';
import { unpackedPath } from '../../packaging/asar-path';
import type { InputSpec } from '../../../common/model/spec';
import { imageToPixels } from '../dataset/preprocess';
import type { CompiledModel } from '@litertjs/core' with { 'resolution-mode': 'import' };

type LiteRtModule = typeof import('@litertjs/core', { with: { 'resolution-mode': 'import' } });
let loading: Promise<LiteRtModule> | null = null;

function wasmDir(): string {
  const require = createRequire(__filename);
  return unpackedPath(join(dirname(require.resolve('@litertjs/core/package.json')), 'wasm'));
}

/** LiteRT.js, loaded once per process. */
function liteRt(): Promise<LiteRtModule> {
  loading ??= (async () => {
    const scope = globalThis as { self?: unknown; importScripts?: (url: string) => void; ModuleFactory?: unknown };
    const hadSelf = 'self' in scope;
    scope.self ??= globalThis;
    scope.importScripts = (file: string) => {
      const factory = runInThisContext(
        `(function (require, __dirname, __filename) {${readFileSync(file, 'utf8')}\n;return ModuleFactory;})`,
        { filename: file },
      ) as (require: NodeRequire, dirname: string, filename: string) => unknown;
      scope.ModuleFactory = factory(createRequire(file), dirname(file), file);
    };
    const module = await import('@litertjs/core');
    // It probes for WebGPU first and logs when there is none; the CPU (XNNPACK) path is what runs here.
    const { error, warn } = console;
    console.error = console.warn = () => {};
    try {
      await module.loadLiteRt(join(wasmDir(), 'litert_wasm_compat_internal.js'));
    } finally {
      Object.assign(console, { error, warn });
      // Emscripten builds (h5wasm, the TensorFlow.js WASM backend) take these globals for a web worker's: remove them.
      delete scope.importScripts;
      if (!hadSelf) delete scope.self;
    }
    return module;
  })();
  return loading;
}

/** A loaded .tflite model that predicts one NHWC image at a time. */
export interface TfliteModel {
  /** The model's output for one input of its input shape (batch 1). */
  predict(input: Float32Array, shape: number[]): Promise<Float32Array>;
  /** Frees the model. */
  close(): void;
}

/** Loads `model.tflite` bytes with LiteRT.js on the CPU. */
export async function loadTflite(bytes: Uint8Array): Promise<TfliteModel> {
  const { loadAndCompile, Tensor } = await liteRt();
  const model: CompiledModel = await loadAndCompile(bytes, { accelerator: 'wasm' });
  return {
    async predict(input, shape) {
      const tensor = new Tensor(input, shape);
      try {
        const [output] = await model.run(tensor);
        const values = Float32Array.from(output!.toTypedArray() as Float32Array);
        output!.delete();
        return values;
      } finally {
        tensor.delete();
      }
    },
    close: () => model.delete(),
  };
}

/** Class probabilities of a .tflite classifier for image files, prepared as training prepared them. */
export async function predictTfliteFiles(file: string, input: InputSpec, paths: string[]): Promise<number[][]> {
  const model = await loadTflite(await readFile(file));
  try {
    const rows: number[][] = [];
    for (const path of paths)
      rows.push(Array.from(await model.predict(await imageToPixels(path, input), [1, input.height, input.width, input.channels])));
    return rows;
  } finally {
    model.close();
  }
}
