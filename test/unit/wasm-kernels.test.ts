// The kernels added to the WASM backend must give the CPU backend's gradients, and with them every
// layer, activation and optimizer of a spec must train on WASM (a kernel still missing throws).
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../main/trainer/backends';
import { buildModel } from '../../main/trainer/model-builder';
import type { Tf } from '../../main/trainer/tf';
import { WASM_EXTRA_KERNELS } from '../../main/trainer/wasm-kernels';
import { layer } from '../../common/model/presets';
import { ACTIVATIONS, modelSpecSchema, OPTIMIZERS, SPEC_VERSION, type LayerSpec, type ModelSpec } from '../../common/model/spec';
import { seededRandom } from '../helpers/shapes';

let tf: Tf;

beforeAll(async () => {
  tf = (await selectBackend({ force: 'wasm' })).tf;
});

/** Runs `f` on a backend and returns plain arrays, leaving the WASM backend active afterwards. */
async function on<T>(backend: 'cpu' | 'wasm', f: () => T): Promise<T> {
  await tf.setBackend(backend);
  try {
    return f();
  } finally {
    await tf.setBackend('wasm');
  }
}

function randomArray(n: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: n }, () => random() * 2 - 1);
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

type T = import('@tensorflow/tfjs').Tensor;
type T4 = import('@tensorflow/tfjs').Tensor4D;

/**
 * dx and dFilter of `forward(x, filter)` on a backend, for a loss that weights each output
 * differently so every gradient entry matters; checks that no tensor is left behind.
 */
function convGradients(backend: 'cpu' | 'wasm', input: number[], filterShape: number[], forward: (x: T4, filter: T4) => T) {
  return on(backend, () => {
    const before = tf.memory().numTensors;
    const result = tf.tidy(() => {
      const grad = tf.grads((xx: T, ff: T) => {
        const y = forward(xx as T4, ff as T4);
        return tf.sum(tf.mul(y, tf.tensor(randomArray(y.size, 3), y.shape)));
      });
      const x = tf.tensor(
        randomArray(
          input.reduce((a, b) => a * b),
          1,
        ),
        input,
      );
      const filter = tf.tensor(
        randomArray(
          filterShape.reduce((a, b) => a * b),
          2,
        ),
        filterShape,
      );
      const [dx, dFilter] = grad([x, filter]);
      return { dx: dx!.dataSync().slice(), dFilter: dFilter!.dataSync().slice(), shape: dFilter!.shape, dxShape: dx!.shape };
    });
    expect(tf.memory().numTensors).toBe(before);
    return result;
  });
}

describe('convolution gradients on WASM', () => {
  it('is registered and the backend needs no other kernel for our layers', () => {
    for (const name of WASM_EXTRA_KERNELS) expect(tf.getKernel(name, 'wasm')).toBeDefined();
  });

  const cases: {
    input: [number, number, number, number];
    kernel: [number, number];
    filters: number;
    strides: number | [number, number];
    padding: 'valid' | 'same';
  }[] = [];
  for (const padding of ['valid', 'same'] as const) {
    for (const strides of [1, 2]) {
      cases.push({ input: [3, 9, 8, 4], kernel: [3, 3], filters: 5, strides, padding });
      cases.push({ input: [2, 10, 11, 3], kernel: [2, 4], filters: 6, strides, padding });
      cases.push({ input: [4, 7, 7, 1], kernel: [5, 5], filters: 2, strides, padding });
    }
    cases.push({ input: [2, 9, 12, 3], kernel: [3, 2], filters: 4, strides: [1, 2], padding });
    cases.push({ input: [2, 13, 6, 2], kernel: [3, 3], filters: 3, strides: [2, 1], padding });
  }
  it.each(cases)(
    'matches the CPU gradient: input $input, kernel $kernel, strides $strides, padding $padding',
    async ({ input, kernel, filters, strides, padding }) => {
      const filterShape: [number, number, number, number] = [kernel[0], kernel[1], input[3], filters];
      const gradients = (backend: 'cpu' | 'wasm') =>
        convGradients(backend, input, filterShape, (x, f) => tf.conv2d(x, f, strides, padding));
      const cpu = await gradients('cpu');
      const wasm = await gradients('wasm');
      expect(wasm.shape).toEqual(filterShape);
      expect(maxAbsDifference(wasm.dFilter, cpu.dFilter)).toBeLessThan(1e-4);
      expect(maxAbsDifference(wasm.dx, cpu.dx)).toBeLessThan(1e-4);
    },
  );

  it('frees its intermediate buffers in the WASM backend', () => {
    const backend = tf.findBackend('wasm')!;
    const x = tf.tensor4d(randomArray(2 * 9 * 9 * 3, 4), [2, 9, 9, 3]);
    const dy = tf.tensor4d(randomArray(2 * 5 * 5 * 4, 5), [2, 5, 5, 4]);
    const run = () =>
      tf.tidy(() => {
        const grads = tf.grads((xx: import('@tensorflow/tfjs').Tensor, f: import('@tensorflow/tfjs').Tensor) =>
          tf.sum(tf.mul(tf.conv2d(xx as import('@tensorflow/tfjs').Tensor4D, f as import('@tensorflow/tfjs').Tensor4D, 2, 'same'), dy)),
        )([x, tf.ones([3, 3, 3, 4])]);
        for (const g of grads) g.dataSync();
      });
    run();
    const before = backend.numDataIds();
    run();
    run();
    expect(backend.numDataIds()).toBe(before);
    x.dispose();
    dy.dispose();
  });
});

describe('BatchMatMul on WASM (transposes done before the XNNPACK product)', () => {
  const shapes: { a: number[]; b: number[]; transposeA: boolean; transposeB: boolean }[] = [];
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      shapes.push({ a: transposeA ? [7, 5] : [5, 7], b: transposeB ? [3, 7] : [7, 3], transposeA, transposeB });
      shapes.push({ a: transposeA ? [2, 7, 5] : [2, 5, 7], b: transposeB ? [2, 3, 7] : [2, 7, 3], transposeA, transposeB });
      shapes.push({ a: transposeA ? [1, 7, 5] : [1, 5, 7], b: transposeB ? [4, 3, 7] : [4, 7, 3], transposeA, transposeB });
    }
  }
  it.each(shapes)(
    'matches the CPU for a $a, b $b, transposeA $transposeA, transposeB $transposeB',
    async ({ a, b, transposeA, transposeB }) => {
      const aValues = randomArray(
        a.reduce((x, y) => x * y),
        11,
      );
      const bValues = randomArray(
        b.reduce((x, y) => x * y),
        12,
      );
      const product = (backend: 'cpu' | 'wasm') =>
        on(backend, () => {
          const before = tf.memory().numTensors;
          const result = tf.tidy(() => tf.matMul(tf.tensor(aValues, a), tf.tensor(bValues, b), transposeA, transposeB).dataSync().slice());
          expect(tf.memory().numTensors).toBe(before);
          return result;
        });
      const backend = tf.findBackend('wasm')!;
      const ids = backend.numDataIds();
      expect(maxAbsDifference(await product('wasm'), await product('cpu'))).toBeLessThan(1e-5);
      expect(backend.numDataIds()).toBe(ids);
    },
  );
});

describe('depthwise convolution gradients on WASM', () => {
  const cases: {
    input: [number, number, number, number];
    kernel: [number, number];
    multiplier: number;
    strides: 1 | 2;
    padding: 'valid' | 'same';
  }[] = [];
  for (const padding of ['valid', 'same'] as const) {
    for (const strides of [1, 2] as const) {
      cases.push({ input: [3, 9, 8, 4], kernel: [3, 3], multiplier: 1, strides, padding });
      cases.push({ input: [2, 10, 11, 3], kernel: [2, 4], multiplier: 2, strides, padding });
      cases.push({ input: [2, 7, 7, 1], kernel: [5, 5], multiplier: 3, strides, padding });
    }
  }
  it.each(cases)(
    'matches the CPU gradient: input $input, kernel $kernel, multiplier $multiplier, strides $strides, padding $padding',
    async ({ input, kernel, multiplier, strides, padding }) => {
      const filterShape: [number, number, number, number] = [kernel[0], kernel[1], input[3], multiplier];
      const gradients = (backend: 'cpu' | 'wasm') =>
        convGradients(backend, input, filterShape, (x, f) => tf.depthwiseConv2d(x, f, strides, padding));
      const backend = tf.findBackend('wasm')!;
      const ids = backend.numDataIds();
      const cpu = await gradients('cpu');
      const wasm = await gradients('wasm');
      expect(backend.numDataIds()).toBe(ids); // intermediate buffers are freed
      expect(wasm.shape).toEqual(filterShape);
      expect(wasm.dxShape).toEqual(input);
      expect(maxAbsDifference(wasm.dFilter, cpu.dFilter)).toBeLessThan(1e-4);
      expect(maxAbsDifference(wasm.dx, cpu.dx)).toBeLessThan(1e-4);
    },
  );
});

describe('training on WASM', () => {
  const convs: LayerSpec[] = [
    layer({ type: 'Conv2D', filters: 4, kernel_size: 3, strides: 1, padding: 'same', activation: 'relu' }),
    layer({ type: 'Conv2D', filters: 4, kernel_size: [3, 2], strides: 2, padding: 'valid', activation: 'relu' }),
    layer({ type: 'MaxPooling2D', pool_size: 2, strides: null, padding: 'valid' }),
    layer({ type: 'Conv2D', filters: 3, kernel_size: 2, strides: [2, 1], padding: 'same', activation: 'relu' }),
    layer({ type: 'MaxPooling2D', pool_size: 2, strides: 1, padding: 'same' }),
    layer({ type: 'Flatten' }),
    layer({ type: 'Dropout', rate: 0.3 }),
  ];
  const combos = ACTIVATIONS.flatMap((activation, i) => ({ activation, optimizer: OPTIMIZERS[i % OPTIMIZERS.length]! }));
  it.each(combos)('fits Conv2D/MaxPooling2D/Flatten/Dropout/Dense with $activation and $optimizer', async ({ activation, optimizer }) => {
    const spec: ModelSpec = modelSpecSchema.parse({
      version: SPEC_VERSION,
      preset: 'custom',
      input: { width: 12, height: 12, channels: 3, resize: 'squash' },
      layers: [
        ...convs.map((layer) => (layer.type === 'Conv2D' ? { ...layer, activation } : layer)),
        { type: 'Dense', units: 8, activation },
      ],
      training: { optimizer, learning_rate: 0.01, epochs: 1, batch_size: 4, seed: 7 },
    });
    const model = buildModel(tf, spec, 3);
    const x = tf.tensor4d(randomArray(8 * 12 * 12 * 3, 9), [8, 12, 12, 3]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3);
    const before = tf.memory().numTensors;
    const first = (await model.trainOnBatch(x, y)) as number[];
    const afterFirst = tf.memory().numTensors; // the optimizer creates its slots on the first step
    let last = first;
    for (let i = 0; i < 5; i++) last = (await model.trainOnBatch(x, y)) as number[];
    expect(tf.memory().numTensors).toBe(afterFirst);
    expect(afterFirst).toBeGreaterThanOrEqual(before);
    expect(Number.isFinite(last[0])).toBe(true);
    expect(last[0]).toBeLessThan(first[0]!); // it learns: the gradients flow through every layer
    model.dispose();
    x.dispose();
    y.dispose();
  });
});

describe('Tile on WASM', () => {
  it.each([
    { shape: [1, 1, 1, 5], reps: [3, 4, 2, 1] },
    { shape: [2, 1, 3], reps: [1, 4, 1] },
    { shape: [2, 3], reps: [2, 2] }, // repeats axes longer than 1: the shipped kernel
    { shape: [4], reps: [3] },
  ])('matches the CPU backend: $shape x $reps', async ({ shape, reps }) => {
    const values = randomArray(
      shape.reduce((a, b) => a * b),
      21,
    );
    const tiled = (backend: 'cpu' | 'wasm') => on(backend, () => tf.tidy(() => tf.tile(tf.tensor(values, shape), reps).dataSync().slice()));
    const backend = tf.findBackend('wasm')!;
    const ids = backend.numDataIds();
    const wasm = await tiled('wasm');
    expect(backend.numDataIds()).toBe(ids);
    expect(Array.from(wasm)).toEqual(Array.from(await tiled('cpu')));
  });

  it('keeps int32 tiles exact through the shipped kernel', () => {
    expect(Array.from(tf.tidy(() => tf.tile(tf.tensor([7, 8], [1, 2], 'int32'), [2, 1]).dataSync()))).toEqual([7, 8, 7, 8]);
  });
});

describe('MaxPoolGrad on WASM (direct, on the heap)', () => {
  it.each([
    { shape: [3, 26, 26, 8], size: 2, strides: 2, pad: 'valid' as const }, // the 2x2 fast path
    { shape: [2, 7, 9, 3], size: 2, strides: 2, pad: 'valid' as const }, // odd sides: a row and a column in no window
    { shape: [2, 9, 9, 4], size: 3, strides: 2, pad: 'same' as const }, // overlapping windows with padding
    { shape: [1, 6, 6, 2], size: 3, strides: 1, pad: 'valid' as const },
    { shape: [2, 5, 5, 3], size: 2, strides: 2, pad: 'same' as const }, // padded 2x2: the general path
  ])('matches the CPU backend: $shape pool $size stride $strides $pad', async ({ shape, size, strides, pad }) => {
    const values = randomArray(
      shape.reduce((a, b) => a * b),
      31,
    );
    const dx = (backend: 'cpu' | 'wasm') =>
      on(backend, () =>
        tf.tidy(() => {
          const x = tf.tensor4d(values, shape as [number, number, number, number]);
          const y = tf.maxPool(x, size, strides, pad);
          const weights = tf.tensor(randomArray(y.size, 32), y.shape);
          return tf
            .grad((xx: T) => tf.sum(tf.mul(tf.maxPool(xx as T4, size, strides, pad), weights)))(x)
            .dataSync()
            .slice();
        }),
      );
    const backend = tf.findBackend('wasm')!;
    const ids = backend.numDataIds();
    const wasm = await dx('wasm');
    expect(backend.numDataIds()).toBe(ids);
    expect(maxAbsDifference(wasm, await dx('cpu'))).toBeLessThan(1e-6);
  });

  it('gives ties to the first position of a window, as the CPU backend does', async () => {
    const grad = (backend: 'cpu' | 'wasm') =>
      on(backend, () =>
        tf.tidy(() =>
          Array.from(
            tf
              .grad((x: T) => tf.sum(tf.maxPool(x as T4, 2, 2, 'valid')))(tf.ones([1, 2, 2, 1]))
              .dataSync(),
          ),
        ),
      );
    expect(await grad('wasm')).toEqual(await grad('cpu'));
  });
});
