// Every preset and every layer kind builds through the real builder and trains one step on WASM,
// and the summary's parameter counts equal both Keras's formulas (written out here) and the
// counts of the model TensorFlow.js builds.
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../main/trainer/backends';
import { buildModel } from '../../main/trainer/model-builder';
import type { Tf } from '../../main/trainer/tf';
import { DEFAULT_TRAINING, layer, PRESETS } from '../../common/model/presets';
import {
  ACTIVATION_LAYER_FUNCTIONS,
  LAYER_TYPES,
  OPTIMIZERS,
  SPEC_VERSION,
  NO_AUGMENTATION,
  type InputSpec,
  type LayerSpec,
  type ModelSpec,
} from '../../common/model/spec';
import { summarize } from '../../common/model/summary';
import { seededRandom } from '../helpers/shapes';

let tf: Tf;
beforeAll(async () => {
  tf = (await selectBackend({ force: 'wasm' })).tf;
});

const CLASSES = 3;

function specOf(layers: LayerSpec[], input: Partial<InputSpec> = {}, training: Partial<ModelSpec['training']> = {}): ModelSpec {
  return {
    version: SPEC_VERSION,
    preset: 'custom',
    input: { width: 12, height: 10, channels: 3, resize: 'squash', ...input },
    augmentation: { ...NO_AUGMENTATION },
    layers,
    training: { ...DEFAULT_TRAINING, learning_rate: 0.003, batch_size: 4, ...training },
  };
}

/** Steps on one batch: enough for the loss to fall whatever the layer, still fast. */
const STEPS = 8;

/** Builds `spec`, checks the summary against the built model, and returns the loss of its first and last step on one batch. */
async function trainTwoSteps(spec: ModelSpec): Promise<[number, number]> {
  const summary = summarize(spec, CLASSES);
  expect(summary.issues).toEqual([]);
  const model = buildModel(tf, spec, CLASSES);
  try {
    expect(model.countParams()).toBe(summary.totalParams);
    const nonTrainable = model.nonTrainableWeights.reduce((sum, w) => sum + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
    expect(nonTrainable).toBe(summary.nonTrainableParams);
    const outputRow = summary.rows[summary.rows.length - 1]!;
    expect(model.outputs[0]!.shape.slice(1)).toEqual(outputRow.outputShape);
    const { height, width, channels } = spec.input;
    const random = seededRandom(5);
    const x = tf.tensor4d(
      Float32Array.from({ length: 6 * height * width * channels }, () => random()),
      [6, height, width, channels],
    );
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32'), CLASSES);
    const first = (await model.trainOnBatch(x, y)) as number[];
    let last = first;
    for (let step = 1; step < STEPS; step++) last = (await model.trainOnBatch(x, y)) as number[];
    x.dispose();
    y.dispose();
    return [first[0]!, last[0]!];
  } finally {
    model.optimizer?.dispose();
    model.dispose();
  }
}

describe('each preset', () => {
  for (const preset of PRESETS.filter((p) => p.id !== 'transfer')) {
    for (const input of [
      { width: 64, height: 64, channels: 3 as const, resize: 'squash' as const },
      { width: 20, height: 12, channels: 1 as const, resize: 'crop' as const },
    ]) {
      it(`${preset.id} at ${input.width}x${input.height}x${input.channels} builds, matches its summary and trains a step on WASM`, async () => {
        const spec = preset.build(input, { batch_size: 4 });
        const [first, second] = await trainTwoSteps(spec);
        expect(Number.isFinite(first) && Number.isFinite(second)).toBe(true);
      });
    }
  }
});

// One small network per layer kind (a convolution in front gives later layers channels to work on).
const KIND_CASES: Record<LayerSpec['type'], LayerSpec[]> = {
  Conv2D: [
    layer({
      type: 'Conv2D',
      filters: 4,
      kernel_size: [3, 2],
      strides: [1, 2],
      padding: 'same',
      kernel_initializer: 'he_normal',
      kernel_regularizer: { l1: 0.001, l2: 0.01 },
    }),
    layer({ type: 'Flatten' }),
  ],
  SeparableConv2D: [
    layer({
      type: 'SeparableConv2D',
      filters: 5,
      kernel_size: 3,
      depth_multiplier: 2,
      strides: 2,
      pointwise_regularizer: { l1: 0, l2: 0.01 },
    }),
    layer({ type: 'Flatten' }),
  ],
  DepthwiseConv2D: [
    layer({
      type: 'DepthwiseConv2D',
      kernel_size: 3,
      depth_multiplier: 2,
      padding: 'same',
      activation: 'relu',
      depthwise_initializer: 'lecun_uniform',
    }),
    layer({ type: 'Flatten' }),
  ],
  MaxPooling2D: [
    layer({ type: 'Conv2D', filters: 4, kernel_size: 3 }),
    layer({ type: 'MaxPooling2D', pool_size: [2, 3], strides: 1, padding: 'same' }),
    layer({ type: 'Flatten' }),
  ],
  AveragePooling2D: [
    layer({ type: 'Conv2D', filters: 4, kernel_size: 3 }),
    layer({ type: 'AveragePooling2D', pool_size: 2 }),
    layer({ type: 'Flatten' }),
  ],
  GlobalAveragePooling2D: [layer({ type: 'Conv2D', filters: 4, kernel_size: 3 }), layer({ type: 'GlobalAveragePooling2D' })],
  GlobalMaxPooling2D: [layer({ type: 'Conv2D', filters: 4, kernel_size: 3 }), layer({ type: 'GlobalMaxPooling2D' })],
  Flatten: [layer({ type: 'Flatten' })],
  Dense: [
    layer({ type: 'Flatten' }),
    layer({ type: 'Dense', units: 7, activation: 'gelu', kernel_initializer: 'glorot_normal', kernel_regularizer: { l1: 0.01, l2: 0 } }),
  ],
  Dropout: [layer({ type: 'Flatten' }), layer({ type: 'Dropout', rate: 0.3 })],
  SpatialDropout2D: [
    layer({ type: 'Conv2D', filters: 4, kernel_size: 3 }),
    layer({ type: 'SpatialDropout2D', rate: 0.5 }),
    layer({ type: 'Flatten' }),
  ],
  BatchNormalization: [
    layer({ type: 'Conv2D', filters: 4, kernel_size: 3, activation: 'linear' }),
    layer({ type: 'BatchNormalization', momentum: 0.9 }),
    layer({ type: 'Flatten' }),
  ],
  LayerNormalization: [
    layer({ type: 'Conv2D', filters: 4, kernel_size: 3 }),
    layer({ type: 'LayerNormalization' }),
    layer({ type: 'Flatten' }),
  ],
  Activation: [
    layer({ type: 'Flatten' }),
    layer({ type: 'Dense', units: 6, activation: 'linear' }),
    layer({ type: 'Activation', activation: 'leaky_relu' }),
  ],
  Rescaling: [layer({ type: 'Rescaling', scale: 2, offset: -1 }), layer({ type: 'Flatten' })],
  ZeroPadding2D: [
    layer({ type: 'ZeroPadding2D', padding: [1, 2] }),
    layer({ type: 'Conv2D', filters: 2, kernel_size: 3 }),
    layer({ type: 'Flatten' }),
  ],
};

describe('each layer kind', () => {
  it('has a case here', () => expect(Object.keys(KIND_CASES).sort()).toEqual([...LAYER_TYPES].sort()));

  it.each(LAYER_TYPES)('%s builds, matches its summary and learns on WASM', async (type) => {
    const [first, second] = await trainTwoSteps(specOf(KIND_CASES[type]));
    expect(second).toBeLessThan(first);
  });

  it.each(ACTIVATION_LAYER_FUNCTIONS)('Activation(%s) trains on WASM', async (activation) => {
    const [first, second] = await trainTwoSteps(
      specOf([
        layer({ type: 'Conv2D', filters: 3, kernel_size: 3, activation: 'linear' }),
        layer({ type: 'Activation', activation }),
        layer({ type: 'Flatten' }),
      ]),
    );
    expect(Number.isFinite(second)).toBe(true);
    expect(second).toBeLessThanOrEqual(first);
  });

  it.each(OPTIMIZERS)('optimizer %s lowers the loss', async (optimizer) => {
    const layers = [layer({ type: 'Flatten' }), layer({ type: 'Dense', units: 8 })];
    const [first, second] = await trainTwoSteps(
      specOf(
        layers,
        {},
        {
          optimizer,
          momentum: optimizer === 'sgd' ? 0.9 : 0,
          nesterov: optimizer === 'sgd',
          learning_rate: optimizer === 'adadelta' ? 1 : 0.01,
        },
      ),
    );
    expect(second).toBeLessThan(first);
  });

  it('leaves a disabled layer out of the model and the summary', async () => {
    const layers = [layer({ type: 'Flatten' }), { ...layer({ type: 'Dense', units: 50 }), enabled: false }];
    const spec = specOf(layers);
    expect(summarize(spec, CLASSES).rows.map((r) => r.type)).toEqual(['Flatten', 'Dense']);
    const model = buildModel(tf, spec, CLASSES);
    expect(model.countParams()).toBe((12 * 10 * 3 + 1) * CLASSES);
    model.dispose();
  });
});
