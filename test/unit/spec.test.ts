// The spec schema: every layer kind and every field survives spec -> JSON -> spec, version-1 specs
// are migrated, and every validation message names the value received and what would work.
import { describe, expect, it } from 'vitest';
import { DEFAULT_INPUT, layer, presetById, PRESETS } from '../../common/model/presets';
import { LAYER_TYPES, modelSpecSchema, parseSpec, SPEC_VERSION, type ModelSpec } from '../../common/model/spec';
import { summarize } from '../../common/model/summary';
import { everyFieldSpec } from '../helpers/specs';

// A preset trained from scratch (the default, transfer learning, fixes its input to its network's).
const smallCnn = presetById('small-cnn')!;

const roundTrip = (spec: ModelSpec) => parseSpec(JSON.parse(JSON.stringify(spec)));

/** Every leaf path of a JSON value, e.g. "training.early_stopping.patience". */
function leafPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [prefix];
  return Object.entries(value).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
}

describe('round trip', () => {
  it('keeps a spec that uses every layer kind and sets every field', () => {
    const spec = everyFieldSpec();
    expect(new Set(spec.layers.map((l) => l.type))).toEqual(new Set(LAYER_TYPES));
    expect(summarize(spec, 3).issues).toEqual([]);
    expect(roundTrip(spec)).toEqual({ ok: true, spec });
  });

  it('sets every field of the schema away from its default (so the round trip covers them all)', () => {
    const defaults = modelSpecSchema.parse({
      version: SPEC_VERSION,
      input: { width: 8, height: 8, channels: 3 },
      layers: [],
      training: {},
    });
    const spec = everyFieldSpec();
    for (const path of leafPaths({ ...defaults, preset: 'x' }).filter((p) => p !== 'version' && p !== 'preset')) {
      const get = (o: unknown) => path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | null)?.[k], o);
      expect(get(spec), path).not.toEqual(get(defaults));
    }
  });

  it.each(PRESETS.map((p) => [p.id, p.build(DEFAULT_INPUT)] as const))('keeps preset %s', (_id, spec) => {
    expect(roundTrip(spec)).toEqual({ ok: true, spec });
  });

  it.each(LAYER_TYPES)('keeps a %s layer written with only its required fields, defaults filled in', (type) => {
    const spec = everyFieldSpec();
    const original = spec.layers.find((l) => l.type === type)!;
    const again = roundTrip({ ...spec, layers: [original] });
    expect(again.ok && again.spec.layers[0]).toEqual(original);
  });
});

describe('version 1 specs', () => {
  const v1 = {
    version: 1,
    preset: 'small-cnn',
    input: { width: 32, height: 32, channels: 3, resize: 'squash' },
    layers: [
      { type: 'Conv2D', filters: 16, kernel_size: 3, strides: 1, padding: 'valid', activation: 'relu' },
      { type: 'MaxPooling2D', pool_size: 2, strides: null, padding: 'valid' },
      { type: 'Flatten' },
      { type: 'Dense', units: 32, activation: 'relu' },
      { type: 'Dropout', rate: 0.25 },
    ],
    training: { optimizer: 'sgd', learning_rate: 0.01, epochs: 5, batch_size: 8, seed: 3 },
  };

  it('load as version 2 with the same network and plain SGD', () => {
    const parsed = parseSpec(v1);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.spec.version).toBe(SPEC_VERSION);
    expect(parsed.spec.layers.map((l) => l.type)).toEqual(['Conv2D', 'MaxPooling2D', 'Flatten', 'Dense', 'Dropout']);
    expect(parsed.spec.layers.every((l) => l.enabled)).toBe(true);
    expect(parsed.spec.training).toMatchObject({
      optimizer: 'sgd',
      momentum: 0,
      nesterov: false,
      learning_rate: 0.01,
      early_stopping: null,
      class_weight: 'none',
      validation: 'validation',
    });
    expect(parsed.spec.augmentation).toEqual({ flip: 'none', rotation: 0, zoom: 0, translation: 0, brightness: 0, contrast: 0 });
    expect(summarize(parsed.spec, 2).totalParams).toBe((3 * 3 * 3 + 1) * 16 + (15 * 15 * 16 + 1) * 32 + (32 + 1) * 2);
  });

  it('refuses a version from the future with the versions it reads', () => {
    expect(parseSpec({ ...v1, version: 3 })).toEqual({
      ok: false,
      issues: [
        {
          path: ['version'],
          message: 'Unsupported spec version 3; this Capa reads versions 1 to 2.',
          key: 'model.spec.version',
          params: { received: '3', newest: 2 },
        },
      ],
    });
  });
});

describe('validation messages', () => {
  const base = () => smallCnn.build(DEFAULT_INPUT) as unknown as Record<string, unknown> & ModelSpec;
  const withLayer = (l: unknown) => ({ ...base(), layers: [l] });
  const cases: [string, unknown, string[], RegExp][] = [
    [
      'units 10.9',
      withLayer({ type: 'Dense', units: 10.9 }),
      ['layers', '0', 'units'],
      /^Expected a positive integer for "units"\. Received: 10\.9$/,
    ],
    [
      'filters 0',
      withLayer({ type: 'Conv2D', filters: 0, kernel_size: 3 }),
      ['layers', '0', 'filters'],
      /positive integer for "filters"\. Received: 0/,
    ],
    [
      'kernel_size "3"',
      withLayer({ type: 'Conv2D', filters: 2, kernel_size: '3' }),
      ['layers', '0', 'kernel_size'],
      /positive integer or a pair of them for "kernel_size"\. Received: "3"/,
    ],
    [
      'padding "full"',
      withLayer({ type: 'Conv2D', filters: 2, kernel_size: 3, padding: 'full' }),
      ['layers', '0', 'padding'],
      /Unknown padding "full"\. Use one of: valid, same\./,
    ],
    [
      'activation leaky_relu on Dense',
      withLayer({ type: 'Dense', units: 2, activation: 'leaky_relu' }),
      ['layers', '0', 'activation'],
      /add an Activation\("leaky_relu"\) layer/,
    ],
    [
      'activation "relu6"',
      withLayer({ type: 'Dense', units: 2, activation: 'relu6' }),
      ['layers', '0', 'activation'],
      /Unknown activation "relu6"\. Use one of: linear, relu/,
    ],
    ['dropout rate 1', withLayer({ type: 'Dropout', rate: 1 }), ['layers', '0', 'rate'], /from 0 to below 1 for "rate"\. Received: 1/],
    ['spatial dropout -0.1', withLayer({ type: 'SpatialDropout2D', rate: -0.1 }), ['layers', '0', 'rate'], /Received: -0\.1/],
    [
      'depth_multiplier 0',
      withLayer({ type: 'DepthwiseConv2D', kernel_size: 3, depth_multiplier: 0 }),
      ['layers', '0', 'depth_multiplier'],
      /positive integer for "depth_multiplier"/,
    ],
    [
      'initializer "ones"',
      withLayer({ type: 'Dense', units: 2, kernel_initializer: 'ones' }),
      ['layers', '0', 'kernel_initializer'],
      /Unknown initializer "ones"\. Use one of: glorot_uniform/,
    ],
    [
      'regularizer l2 5',
      withLayer({ type: 'Dense', units: 2, kernel_regularizer: { l1: 0, l2: 5 } }),
      ['layers', '0', 'kernel_regularizer', 'l2'],
      /from 0 to 1 for "l2"\. Received: 5/,
    ],
    [
      'momentum 1 on BatchNormalization',
      withLayer({ type: 'BatchNormalization', momentum: 1 }),
      ['layers', '0', 'momentum'],
      /below 1 for "momentum"/,
    ],
    ['epsilon 0', withLayer({ type: 'LayerNormalization', epsilon: 0 }), ['layers', '0', 'epsilon'], /for "epsilon"\. Received: 0/],
    ['unknown layer', withLayer({ type: 'Conv3D' }), ['layers', '0', 'type'], /Unknown layer type "Conv3D"/],
    ['width 0', { ...base(), input: { ...DEFAULT_INPUT, width: 0 } }, ['input', 'width'], /positive integer for "width"\. Received: 0/],
    [
      'channels 2',
      { ...base(), input: { ...DEFAULT_INPUT, channels: 2 } },
      ['input', 'channels'],
      /1 \(grayscale\) or 3 \(RGB\)\. Received: 2/,
    ],
    ['resize "fit"', { ...base(), input: { ...DEFAULT_INPUT, resize: 'fit' } }, ['input', 'resize'], /Unknown resize mode "fit"/],
    [
      'rotation 0.7',
      { ...base(), augmentation: { rotation: 0.7 } },
      ['augmentation', 'rotation'],
      /from 0 to 0\.5 for "rotation"\. Received: 0\.7/,
    ],
    ['flip "both"', { ...base(), augmentation: { flip: 'both' } }, ['augmentation', 'flip'], /Unknown flip "both"/],
    [
      'optimizer "lion"',
      { ...base(), training: { ...base().training, optimizer: 'lion' } },
      ['training', 'optimizer'],
      /Unknown optimizer "lion"\. Use one of: adam, sgd/,
    ],
    [
      'learning rate 0',
      { ...base(), training: { ...base().training, learning_rate: 0 } },
      ['training', 'learning_rate'],
      /Learning rate must be above 0/,
    ],
    [
      'batch size 0',
      { ...base(), training: { ...base().training, batch_size: 0 } },
      ['training', 'batch_size'],
      /"batch_size"\. Received: 0/,
    ],
    [
      'patience 0',
      { ...base(), training: { ...base().training, early_stopping: { patience: 0 } } },
      ['training', 'early_stopping', 'patience'],
      /"patience"\. Received: 0/,
    ],
    [
      'monitor "f1"',
      { ...base(), training: { ...base().training, reduce_lr_on_plateau: { monitor: 'f1' } } },
      ['training', 'reduce_lr_on_plateau', 'monitor'],
      /Unknown monitor "f1"\. Use one of: val_loss/,
    ],
    [
      'factor 0',
      { ...base(), training: { ...base().training, reduce_lr_on_plateau: { factor: 0 } } },
      ['training', 'reduce_lr_on_plateau', 'factor'],
      /above 0 and below 1 for "factor"\. Received: 0/,
    ],
    [
      'class weight "auto"',
      { ...base(), training: { ...base().training, class_weight: 'auto' } },
      ['training', 'class_weight'],
      /Unknown class weight "auto"\. Use one of: none, balanced/,
    ],
  ];
  it.each(cases)('%s', (_name, value, path, message) => {
    const parsed = parseSpec(value);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const issue = parsed.issues.find((i) => i.path.join('.') === path.join('.'));
    expect(issue?.message, JSON.stringify(parsed.issues)).toMatch(message);
  });
});

describe('shape checks before training', () => {
  const input = { width: 6, height: 5, channels: 3 as const, resize: 'squash' as const };
  const spec = (layers: ModelSpec['layers']) => ({ ...smallCnn.build(input), layers });
  const issuesOf = (layers: ModelSpec['layers']) => summarize(spec(layers), 3).issues;

  it('names the kernel and the input it does not fit, and what would work', () => {
    expect(
      issuesOf([
        layer({ type: 'Conv2D', filters: 2, kernel_size: 3 }),
        layer({ type: 'Conv2D', filters: 2, kernel_size: 5 }),
        layer({ type: 'Flatten' }),
      ]),
    ).toEqual([
      {
        path: ['layers', '1', 'kernel_size'],
        message: 'Kernel 5x5 is larger than the 3x4 input of this layer; use padding "same" or a smaller kernel.',
        key: 'model.summary.kernelTooLarge',
        params: { kh: 5, kw: 5, h: 3, w: 4 },
      },
    ]);
  });

  it('names a pool that does not fit', () => {
    expect(issuesOf([layer({ type: 'AveragePooling2D', pool_size: 6 }), layer({ type: 'Flatten' })])[0]).toEqual({
      path: ['layers', '0', 'pool_size'],
      message: 'Pool 6x6 is larger than the 5x6 input of this layer; use padding "same" or a smaller pool.',
      key: 'model.summary.poolTooLarge',
      params: { kh: 6, kw: 6, h: 5, w: 6 },
    });
  });

  it('refuses an image layer after Flatten, Dense on an image, and an image at the end', () => {
    expect(issuesOf([layer({ type: 'Flatten' }), layer({ type: 'SpatialDropout2D', rate: 0.1 })])[0]!.message).toMatch(
      /SpatialDropout2D needs an image .* flat vector of 90 values; move it before Flatten/,
    );
    expect(issuesOf([layer({ type: 'Dense', units: 3 })])[0]).toMatchObject({
      path: ['layers', '0', 'type'],
      message: expect.stringMatching(/shape \(5, 6, 3\); add a Flatten/),
    });
    expect(issuesOf([layer({ type: 'Conv2D', filters: 2, kernel_size: 1 })])[0]).toMatchObject({
      path: ['layers'],
      message: expect.stringMatching(/last layer gives an image of shape \(5, 6, 2\)/),
    });
  });

  it('ignores a disabled layer, which therefore cannot break the shapes', () => {
    expect(issuesOf([{ ...layer({ type: 'Conv2D', filters: 2, kernel_size: 9 }), enabled: false }, layer({ type: 'Flatten' })])).toEqual(
      [],
    );
  });

  it('refuses a model too large to train', () => {
    const big = {
      ...smallCnn.build({ width: 1024, height: 1024, channels: 3, resize: 'squash' }),
      layers: [layer({ type: 'Flatten' }), layer({ type: 'Dense', units: 64 })],
    };
    const params = (1024 * 1024 * 3 + 1) * 64 + (64 + 1) * 2;
    expect(summarize(big, 2).issues[0]!.message).toBe(
      `The model has ${params.toLocaleString('en-US')} parameters, more than the 50,000,000 Capa can train; add pooling before Flatten or use fewer units or filters.`,
    );
  });
});
