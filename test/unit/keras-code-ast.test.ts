// The one Keras emitter, read back by Python's own parser: for every optimizer x {no backbone, each
// backbone family} x {plain, with augmentation, callbacks and class weights}, both "Show as Keras
// code" and the bundle's train.py are parsed with `ast`, and every layer, argument, optimizer
// setting, callback and class weight of the spec must be there with its value. The expectations
// below are written from Keras's own signatures, not from the emitter's tables.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kerasCode, trainScript } from '../../common/model/keras-code';
import { layer } from '../../common/model/presets';
import { NO_AUGMENTATION, OPTIMIZERS, type LayerSpec, type ModelSpec, type OptimizerName } from '../../common/model/spec';
import { runPython, skipWithoutPython } from '../helpers/python';
import { everyFieldSpec } from '../helpers/specs';
import { removeTempDirs, tempDir } from '../helpers/temp';

afterAll(removeTempDirs);

/** A Python expression as the parser reads it: a literal's value, a call, a list of those, or source code. */
type Py = string | number | boolean | null | Py[] | { call: string; args: Py[]; kwargs: Record<string, Py> } | { code: string };
type Call = { call: string; args: Py[]; kwargs: Record<string, Py> };
interface Parsed {
  /** Every call anywhere in the script. */
  calls: Call[];
  /** Every assignment's value by its target's source ("model", "backbone.trainable"). */
  assigns: Record<string, Py[]>;
  /** The elements of `model = keras.Sequential([...])`. */
  model: Py[] | null;
}

const READ = String.raw`
import ast, json, sys

def value(node):
    try:
        return ast.literal_eval(node)
    except Exception:
        pass
    if isinstance(node, ast.Call):
        return {"call": ast.unparse(node.func), "args": [value(a) for a in node.args], "kwargs": {k.arg: value(k.value) for k in node.keywords}}
    if isinstance(node, (ast.List, ast.Tuple)):
        return [value(e) for e in node.elts]
    return {"code": ast.unparse(node)}

out = {}
for path in sys.argv[1:]:
    tree = ast.parse(open(path).read())
    calls, assigns, model = [], {}, None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            calls.append(value(node))
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = ast.unparse(node.targets[0])
            assigns.setdefault(target, []).append(value(node.value))
            v = node.value
            if target == "model" and isinstance(v, ast.Call) and ast.unparse(v.func) == "keras.Sequential" and v.args and isinstance(v.args[0], ast.List):
                model = [value(e) for e in v.args[0].elts]
    out[path] = {"calls": calls, "assigns": assigns, "model": model}
print(json.dumps(out))
`;

/** Keras 3's positional parameters, by layer (from the keras.layers signatures). */
const POSITIONAL: Record<string, string[]> = {
  Conv2D: ['filters', 'kernel_size'],
  SeparableConv2D: ['filters', 'kernel_size'],
  DepthwiseConv2D: ['kernel_size'],
  MaxPooling2D: ['pool_size', 'strides', 'padding'],
  AveragePooling2D: ['pool_size', 'strides', 'padding'],
  Dense: ['units', 'activation'],
  Dropout: ['rate'],
  SpatialDropout2D: ['rate'],
  Activation: ['activation'],
  Rescaling: ['scale', 'offset'],
  ZeroPadding2D: ['padding'],
  BatchNormalization: ['axis', 'momentum', 'epsilon'],
  LayerNormalization: ['axis', 'epsilon'],
  RandomFlip: ['mode'],
  RandomRotation: ['factor'],
  RandomZoom: ['height_factor', 'width_factor'],
  RandomTranslation: ['height_factor', 'width_factor'],
  RandomContrast: ['factor'],
  RandomBrightness: ['factor', 'value_range'],
};
/** Parameters that Keras takes as (height, width) pairs; a spec may write one number for both. */
const PAIRS = new Set(['kernel_size', 'strides', 'pool_size']);

/** keras.applications' network and the Rescaling from [0, 1] pixels its ImageNet weights need, by backbone. */
const APPLICATIONS: Record<string, { name: string; alpha: number; scale: number; offset: number }> = {
  'mobilenet-v2-1.0-224': { name: 'MobileNetV2', alpha: 1, scale: 2, offset: -1 },
  'mobilenet-v2-0.5-160': { name: 'MobileNetV2', alpha: 0.5, scale: 2, offset: -1 },
  'mobilenet-v3-small-224': { name: 'MobileNetV3Small', alpha: 1, scale: 255, offset: 0 },
  'mobilenet-v3-large-224': { name: 'MobileNetV3Large', alpha: 1, scale: 255, offset: 0 },
  'mobilenet-v2-0.35-224-keras': { name: 'MobileNetV2', alpha: 0.35, scale: 2, offset: -1 },
};
const INPUT_SIZE: Record<string, number> = { 'mobilenet-v2-0.5-160': 160 };
const BACKBONES: (string | null)[] = [null, ...Object.keys(APPLICATIONS)];

const OPTIMIZER_CLASS: Record<OptimizerName, string> = {
  adam: 'Adam',
  sgd: 'SGD',
  rmsprop: 'RMSprop',
  adagrad: 'Adagrad',
  adadelta: 'Adadelta',
  adamax: 'Adamax',
};

function specFor(optimizer: OptimizerName, backbone: string | null, rich: boolean): ModelSpec {
  const base = everyFieldSpec();
  const head: LayerSpec[] = [
    layer({
      type: 'Dense',
      units: 24,
      activation: 'swish',
      kernel_initializer: 'lecun_uniform',
      kernel_regularizer: { l1: 0.002, l2: 0.001 },
    }),
    layer({ type: 'Dropout', rate: 0.4 }),
    { ...layer({ type: 'Dense', units: 9 }), enabled: false },
  ];
  return {
    ...base,
    input: backbone ? { width: 50, height: 60, channels: 3, resize: 'crop' } : base.input,
    ...(backbone ? { backbone: { id: backbone, trainable_blocks: backbone.endsWith('-keras') ? 2 : 0 } } : {}),
    layers: backbone ? head : base.layers,
    augmentation: rich ? base.augmentation : NO_AUGMENTATION,
    training: {
      ...base.training,
      optimizer,
      learning_rate: 0.0123,
      momentum: 0.8,
      nesterov: true,
      validation: rich ? 'none' : 'validation',
      early_stopping: rich ? base.training.early_stopping : null,
      reduce_lr_on_plateau: rich ? base.training.reduce_lr_on_plateau : null,
      class_weight: rich ? 'balanced' : 'none',
    },
  };
}

const isCall = (v: Py | undefined): v is Call => typeof v === 'object' && v !== null && 'call' in v;
/** A layer's Keras class, whether written layers.X or keras.layers.X. */
const layerClass = (v: Py | undefined): string | null => (isCall(v) ? (/^(?:keras\.)?layers\.(\w+)$/.exec(v.call)?.[1] ?? null) : null);

/** The value a call passes for `name`, by keyword or by its Keras position. */
function argument(c: Call, cls: string, name: string): Py | undefined {
  if (name in c.kwargs) return c.kwargs[name];
  const at = (POSITIONAL[cls] ?? []).indexOf(name);
  return at >= 0 && at < c.args.length ? c.args[at] : undefined;
}

/** Checks that `c` is the Keras layer for `spec`, with every one of its fields at its value. */
function expectLayer(c: Py | undefined, spec: LayerSpec, where: string): void {
  expect(layerClass(c), where).toBe(spec.type);
  const made = c as Call;
  for (const [key, wanted] of Object.entries(spec)) {
    if (key === 'type' || key === 'enabled') continue;
    const got = argument(made, spec.type, key);
    if (key.endsWith('_regularizer')) {
      const r = wanted as { l1: number; l2: number } | null;
      if (!r || (r.l1 === 0 && r.l2 === 0)) expect(got ?? null, `${where} ${key}`).toBeNull();
      else expect(got, `${where} ${key}`).toEqual({ call: 'keras.regularizers.L1L2', args: [], kwargs: { l1: r.l1, l2: r.l2 } });
      continue;
    }
    const value =
      PAIRS.has(key) || (spec.type === 'ZeroPadding2D' && key === 'padding')
        ? typeof wanted === 'number'
          ? [wanted, wanted]
          : wanted
        : wanted;
    expect(got, `${where} ${key}`).toEqual(value);
  }
}

function callsOf(parsed: Parsed, name: string): Call[] {
  return parsed.calls.filter((c) => c.call === name);
}

/** What every script must say about `spec`; `bundle` for train.py (epochs and batch size are its flags' defaults). */
function expectSays(parsed: Parsed, spec: ModelSpec, bundle: boolean): void {
  const t = spec.training;
  const size = spec.backbone ? (INPUT_SIZE[spec.backbone.id] ?? 224) : null;
  expect(parsed.assigns['INPUT_SHAPE']).toEqual([size ? [size, size, 3] : [spec.input.height, spec.input.width, spec.input.channels]]);
  expect(callsOf(parsed, 'keras.utils.set_random_seed')).toHaveLength(1);
  const seed = callsOf(parsed, 'keras.utils.set_random_seed')[0]!.args[0];
  expect(seed === t.seed || (bundle && parsed.assigns['SEED']?.[0] === t.seed)).toBe(true);

  // The model, element by element.
  const model = parsed.model;
  expect(model, 'model = keras.Sequential([...])').not.toBeNull();
  const elements = [...model!];
  expect(elements.shift()).toEqual({ call: 'keras.Input', args: [], kwargs: { shape: { code: 'INPUT_SHAPE' } } });
  const augmenting = spec.augmentation.flip !== 'none';
  if (augmenting) {
    expect(elements.shift()).toEqual({ code: 'augmentation' });
    const a = spec.augmentation;
    const seq = parsed.assigns['augmentation']?.[0] as Call;
    expect(seq.call).toBe('keras.Sequential');
    const random = seq.args[0] as Call[];
    const find = (cls: string) => random.find((c) => layerClass(c) === cls)!;
    expect(argument(find('RandomFlip'), 'RandomFlip', 'mode')).toBe(a.flip);
    expect(argument(find('RandomRotation'), 'RandomRotation', 'factor')).toBe(a.rotation);
    expect(argument(find('RandomZoom'), 'RandomZoom', 'height_factor')).toBe(a.zoom);
    expect(argument(find('RandomTranslation'), 'RandomTranslation', 'height_factor')).toBe(a.translation);
    expect(argument(find('RandomTranslation'), 'RandomTranslation', 'width_factor')).toBe(a.translation);
    expect(argument(find('RandomContrast'), 'RandomContrast', 'factor')).toBe(a.contrast);
    expect(argument(find('RandomBrightness'), 'RandomBrightness', 'factor')).toBe(a.brightness);
    expect(argument(find('RandomBrightness'), 'RandomBrightness', 'value_range')).toEqual([0, 1]);
    for (const c of random) expect(c.kwargs['seed'], c.call).toBe(t.seed);
  } else {
    expect(parsed.assigns['augmentation']).toBeUndefined();
  }
  if (spec.backbone) {
    const app = APPLICATIONS[spec.backbone.id]!;
    expect(elements.shift()).toEqual({ code: 'prepare' });
    expect(elements.shift()).toEqual({ code: 'backbone' });
    const prepare = parsed.assigns['prepare']![0] as Call;
    expect(layerClass(prepare)).toBe('Rescaling');
    expect(argument(prepare, 'Rescaling', 'scale')).toBe(app.scale);
    expect(argument(prepare, 'Rescaling', 'offset') ?? 0).toBe(app.offset);
    const backbone = parsed.assigns['backbone']![0] as Call;
    expect(backbone.call).toBe(`keras.applications.${app.name}`);
    expect(backbone.kwargs).toMatchObject({
      alpha: app.alpha,
      include_top: false,
      weights: 'imagenet',
      pooling: 'avg',
      input_shape: { code: 'INPUT_SHAPE' },
    });
    if (app.name !== 'MobileNetV2') expect(backbone.kwargs['include_preprocessing']).toBe(true);
    if (spec.backbone.trainable_blocks === 0) expect(parsed.assigns['backbone.trainable']).toEqual([false]);
    else {
      expect(parsed.assigns['TRAINABLE_BLOCKS']).toEqual([spec.backbone.trainable_blocks]);
      expect(parsed.assigns['layer.trainable']).toEqual([false]);
    }
  }
  const written = elements.slice(0, -1);
  const enabled = spec.layers.filter((l) => l.enabled);
  expect(written).toHaveLength(enabled.length);
  enabled.forEach((l, i) => expectLayer(written[i], l, `layer ${i} ${l.type}`));
  expect(elements.at(-1)).toEqual({ call: 'layers.Dense', args: [{ code: 'NUM_CLASSES' }], kwargs: { activation: 'softmax' } });

  // Compile: the optimizer with every setting it takes.
  const compile = callsOf(parsed, 'model.compile');
  expect(compile).toHaveLength(1);
  const optimizer = compile[0]!.kwargs['optimizer'] as Call;
  expect(optimizer.call).toBe(`keras.optimizers.${OPTIMIZER_CLASS[t.optimizer]}`);
  const lr = optimizer.kwargs['learning_rate'] ?? optimizer.args[0];
  expect(lr).toBe(t.learning_rate);
  if (t.optimizer === 'sgd') expect(optimizer.kwargs).toMatchObject({ momentum: t.momentum, nesterov: t.nesterov });
  if (t.optimizer === 'rmsprop') expect(optimizer.kwargs).toMatchObject({ momentum: t.momentum });
  expect(compile[0]!.kwargs['loss']).toBe('categorical_crossentropy');

  // Callbacks, class weights and fit.
  const early = callsOf(parsed, 'keras.callbacks.EarlyStopping');
  const reduce = callsOf(parsed, 'keras.callbacks.ReduceLROnPlateau');
  if (t.early_stopping) expect(early.map((c) => c.kwargs)).toEqual([{ ...t.early_stopping }]);
  else expect(early).toEqual([]);
  if (t.reduce_lr_on_plateau) expect(reduce.map((c) => c.kwargs)).toEqual([{ ...t.reduce_lr_on_plateau }]);
  else expect(reduce).toEqual([]);
  const fit = callsOf(parsed, 'model.fit');
  expect(fit).toHaveLength(1);
  expect(fit[0]!.kwargs).toMatchObject({ callbacks: { code: 'callbacks' }, class_weight: { code: 'class_weight' } });
  const weights = parsed.assigns['class_weight']!;
  if (t.class_weight === 'balanced')
    expect(
      weights.some((w) => w !== null && typeof w === 'object' && 'code' in w && /counts\.sum\(\) \/ \(NUM_CLASSES \* c\)/.test(w.code)),
    ).toBe(true);
  else expect(weights).toEqual([null]);
  expect(parsed.assigns['val_ds']?.some((v) => v === null)).toBe(t.validation === 'none');

  const datasets = callsOf(parsed, 'keras.utils.image_dataset_from_directory');
  expect(datasets.length).toBeGreaterThan(0);
  for (const d of datasets) {
    expect(d.kwargs).toMatchObject({
      label_mode: 'categorical',
      seed: t.seed,
      color_mode: spec.input.channels === 1 && !spec.backbone ? 'grayscale' : 'rgb',
      image_size: size ? [size, size] : [spec.input.height, spec.input.width],
    });
    if (spec.input.resize !== 'squash') expect(d.kwargs[`${spec.input.resize === 'crop' ? 'crop_to' : 'pad_to'}_aspect_ratio`]).toBe(true);
  }
  if (bundle) {
    const flags = callsOf(parsed, 'parser.add_argument');
    expect(flags.find((f) => f.args[0] === '--epochs')!.kwargs['default']).toBe(t.epochs);
    expect(flags.find((f) => f.args[0] === '--batch-size')!.kwargs['default']).toBe(t.batch_size);
  } else {
    expect(fit[0]!.kwargs['epochs']).toBe(t.epochs);
    for (const d of datasets) expect(d.kwargs['batch_size']).toBe(t.batch_size);
  }
}

const CASES = OPTIMIZERS.flatMap((optimizer) =>
  BACKBONES.flatMap((backbone) => [false, true].map((rich) => ({ optimizer, backbone, rich }))),
);
const CLASSES = ['cat', 'dog', 'bird'];

/** Every case's two scripts, parsed in one Python run. */
function parseAll(write: (spec: ModelSpec, target: 'show' | 'bundle') => string): Map<string, Parsed> {
  const dir = tempDir();
  const files: string[] = [];
  for (const [i, c] of CASES.entries()) {
    for (const target of ['show', 'bundle'] as const) {
      const file = join(dir, `${i}-${target}.py`);
      writeFileSync(file, write(specFor(c.optimizer, c.backbone, c.rich), target));
      files.push(file);
    }
  }
  const parsed = runPython<Record<string, Parsed>>(READ, files);
  return new Map(Object.entries(parsed));
}

describe.skipIf(skipWithoutPython())("the Keras emitter, read by Python's ast", () => {
  const scripts = (spec: ModelSpec, target: 'show' | 'bundle') =>
    target === 'show' ? kerasCode(spec, CLASSES) : trainScript(spec, CLASSES);
  let parsed: Map<string, Parsed> | null = null;
  const get = (i: number, target: 'show' | 'bundle') => {
    parsed ??= parseAll(scripts);
    return [...parsed.entries()].find(([file]) => file.endsWith(`/${i}-${target}.py`))![1];
  };

  it.each(
    CASES.map(
      (c, i) => [c.optimizer, c.backbone ?? 'no backbone', c.rich ? 'augmentation, callbacks, class weights' : 'plain', i] as const,
    ),
  )('%s, %s, %s: both scripts say every setting', (_o, _b, _r, i) => {
    const c = CASES[i]!;
    const spec = specFor(c.optimizer, c.backbone, c.rich);
    expectSays(get(i, 'show'), spec, false);
    expectSays(get(i, 'bundle'), spec, true);
  });

  it('says so and refuses to run for a backbone keras.applications does not ship, instead of building another', () => {
    const spec = { ...specFor('adam', 'mobilenet-v2-1.0-224', false), backbone: { id: 'my-own-net', trainable_blocks: 0 } };
    for (const script of [kerasCode(spec, CLASSES), trainScript(spec, CLASSES)]) {
      expect(script).toContain('raise SystemExit("The backbone \\"my-own-net\\" is not a keras.applications network');
      expect(script).not.toMatch(/keras\.applications\.\w+\(/);
    }
  });

  it('can fail: a script that leaves out a setting is caught', () => {
    const spec = specFor('adagrad', null, true);
    const file = join(tempDir(), 'broken.py');
    writeFileSync(
      file,
      kerasCode(spec, CLASSES)
        .replace(/callbacks\.append\(keras\.callbacks\.EarlyStopping\(.*\)\)\n/, '')
        .replace('learning_rate=0.0123', 'learning_rate=0.01'),
    );
    const broken = runPython<Record<string, Parsed>>(READ, [file])[file]!;
    expect(() => expectSays(broken, spec, false)).toThrow();
  });
});
