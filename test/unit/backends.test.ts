// Backend choice: order, forcing with CAPA_BACKEND, and the reason each faster backend was skipped.
// The loaders of the native backends are replaced by ones that fail the way a broken install does.
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BACKEND_ORDER,
  DEFAULT_LOADERS,
  describeLoadError,
  selectBackend,
  type BackendId,
  type BackendLoader,
} from '../../main/trainer/backends';

/** Throws like `require` of a package that is not there. */
function notInstalled(packageName: string): BackendLoader {
  return async () => {
    throw Object.assign(new Error(`Cannot find module '${packageName}'\nRequire stack:\n- /x/backends.js`), { code: 'MODULE_NOT_FOUND' });
  };
}

/** Throws like tfjs-node whose libtensorflow is missing or built for another system. */
const brokenNative: BackendLoader = async () => {
  throw Object.assign(
    new Error('libtensorflow.so.2: cannot open shared object file: No such file or directory\n    at Module._extensions..node'),
    {
      code: 'ERR_DLOPEN_FAILED',
    },
  );
};

const savedEnv = process.env['CAPA_BACKEND'];
afterEach(() => {
  if (savedEnv === undefined) delete process.env['CAPA_BACKEND'];
  else process.env['CAPA_BACKEND'] = savedEnv;
});

describe('selectBackend', () => {
  it('tries the backends fastest first and explains each one it skipped', async () => {
    const tried: BackendId[] = [];
    const track =
      (id: BackendId, loader: BackendLoader): BackendLoader =>
      async () => {
        tried.push(id);
        return loader();
      };
    const selected = await selectBackend({
      force: '',
      loaders: {
        'tensorflow-gpu': track('tensorflow-gpu', notInstalled('@tensorflow/tfjs-node-gpu')),
        tensorflow: track('tensorflow', brokenNative),
        wasm: track('wasm', DEFAULT_LOADERS.wasm),
        cpu: track('cpu', DEFAULT_LOADERS.cpu),
      },
    });
    expect(tried).toEqual(['tensorflow-gpu', 'tensorflow', 'wasm']);
    expect(selected.info.name).toBe('wasm');
    expect(selected.tf.getBackend()).toBe('wasm');
    expect(selected.info.fallbacks).toEqual([
      '@tensorflow/tfjs-node-gpu: not installed (MODULE_NOT_FOUND)',
      '@tensorflow/tfjs-node: ERR_DLOPEN_FAILED: libtensorflow.so.2: cannot open shared object file: No such file or directory',
    ]);
  });

  it('falls through to plain JavaScript when WASM fails too', async () => {
    const selected = await selectBackend({
      force: '',
      loaders: {
        'tensorflow-gpu': notInstalled('@tensorflow/tfjs-node-gpu'),
        tensorflow: notInstalled('@tensorflow/tfjs-node'),
        wasm: async () => {
          throw new Error('WebAssembly.instantiate(): out of memory');
        },
      },
    });
    expect(selected.info.name).toBe('cpu');
    expect(selected.tf.getBackend()).toBe('cpu');
    expect(selected.info.fallbacks).toHaveLength(3);
    expect(selected.info.fallbacks[2]).toBe('@tensorflow/tfjs-backend-wasm: WebAssembly.instantiate(): out of memory');
  });

  it('says why when nothing loads', async () => {
    const failing = Object.fromEntries(BACKEND_ORDER.map((id) => [id, brokenNative]));
    await expect(selectBackend({ force: '', loaders: failing })).rejects.toThrow(
      /^No TensorFlow.js backend could be loaded:\n@tensorflow\/tfjs-node-gpu: ERR_DLOPEN_FAILED/,
    );
    // A sentence a person can meet: it crosses to the screen with its key, the reasons as they are.
    await expect(selectBackend({ force: '', loaders: failing })).rejects.toMatchObject({
      said: { key: 'runs.backends.none', params: { reasons: expect.stringMatching(/^@tensorflow\/tfjs-node-gpu: ERR_DLOPEN_FAILED/) } },
    });
  });

  it('on this machine, without native packages, reports them missing and uses WASM', async () => {
    let nativeInstalled = true;
    try {
      createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    } catch {
      nativeInstalled = false;
    }
    const selected = await selectBackend({ force: '' });
    if (nativeInstalled) {
      expect(selected.info.name).toBe('tensorflow');
    } else {
      expect(selected.info.name).toBe('wasm');
      expect(selected.info.description).toMatch(/^WebAssembly \(XNNPACK(, SIMD)?, \d+ threads?\)$/);
      expect(selected.info.fallbacks).toEqual([
        '@tensorflow/tfjs-node-gpu: not installed (MODULE_NOT_FOUND)',
        '@tensorflow/tfjs-node: not installed (MODULE_NOT_FOUND)',
      ]);
    }
  });

  it('uses the backend CAPA_BACKEND forces, skipping faster ones without trying them', async () => {
    process.env['CAPA_BACKEND'] = 'cpu';
    const gpu = brokenNative;
    let gpuTried = false;
    const selected = await selectBackend({
      loaders: {
        'tensorflow-gpu': async () => {
          gpuTried = true;
          return gpu();
        },
      },
    });
    expect(gpuTried).toBe(false);
    expect(selected.info).toMatchObject({ name: 'cpu', gpu: false, fallbacks: [] });
    expect(selected.tf.getBackend()).toBe('cpu');
  });

  it('fails with the reason when the forced backend cannot load, instead of silently falling back', async () => {
    await expect(selectBackend({ force: 'tensorflow', loaders: { tensorflow: brokenNative } })).rejects.toThrow(
      'CAPA_BACKEND=tensorflow was requested but @tensorflow/tfjs-node: ERR_DLOPEN_FAILED: libtensorflow.so.2',
    );
  });

  it('rejects an unknown CAPA_BACKEND value, listing the valid ones', async () => {
    await expect(selectBackend({ force: 'webgpu' })).rejects.toThrow(
      'CAPA_BACKEND must be one of tensorflow-gpu, chromium-webgpu, chromium-webgl, tensorflow, wasm-parallel, wasm, cpu. Received: "webgpu"',
    );
  });
});

describe('describeLoadError', () => {
  it('calls a package not installed only when the missing module is that package', () => {
    const inner = Object.assign(new Error("Cannot find module '/x/tfjs-node/lib/napi-v8/tfjs_binding.node'"), { code: 'MODULE_NOT_FOUND' });
    expect(describeLoadError('@tensorflow/tfjs-node', inner)).toBe(
      "@tensorflow/tfjs-node: MODULE_NOT_FOUND: Cannot find module '/x/tfjs-node/lib/napi-v8/tfjs_binding.node'",
    );
  });
});
