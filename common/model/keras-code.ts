// The one Keras emitter: "Show as Keras code" (kerasCode, a read-only script a person can take
// elsewhere) and the training bundle's train.py (trainScript, the same model and settings under
// tf.distribute) are written by the same functions, so they cannot disagree. Backbones come from
// the backbone catalogue (its keras.applications name and the pixels its weights expect). Pure:
// the renderer shows it, the CLI prints it, the export writes it.
import { BACKBONES, kerasApplicationOf, ZERO_TO_ONE, type BackboneNormalization } from '../backbones/catalogue';
import { asPair, type LayerSpec, type ModelSpec, type Regularizer } from './spec';

type PyValue = string | number | boolean | null | readonly number[] | { code: string };

/** A Python literal: strings double-quoted, tuples for pairs, True/False/None. */
function py(value: PyValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') value = Number(value.toPrecision(12)); // 2 / 255 * 255 is 2, not 2.0000000000000004
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value).replace(/^(-?)\./, '$10.');
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `(${value.map((v) => py(v)).join(', ')}${value.length === 1 ? ',' : ''})`;
  return (value as { code: string }).code;
}

/** `name(arg, key=value, ...)`, leaving out keyword arguments that are undefined. */
function call(name: string, args: PyValue[], kwargs: Record<string, PyValue | undefined> = {}): string {
  const parts = [...args.map(py), ...Object.entries(kwargs).flatMap(([k, v]) => (v === undefined ? [] : [`${k}=${py(v)}`]))];
  return `${name}(${parts.join(', ')})`;
}

function regularizer(value: Regularizer): PyValue | undefined {
  return value && (value.l1 > 0 || value.l2 > 0)
    ? { code: call('keras.regularizers.L1L2', [], { l1: value.l1, l2: value.l2 }) }
    : undefined;
}

/** One layer as its Keras line, e.g. `layers.Conv2D(32, (3, 3), activation="relu")` (also shown on the model diagram). */
export function layerCode(layer: LayerSpec): string {
  const pairOf = (v: number | readonly [number, number]) => asPair(v);
  switch (layer.type) {
    case 'Conv2D':
      return call('layers.Conv2D', [layer.filters, pairOf(layer.kernel_size)], {
        strides: pairOf(layer.strides),
        padding: layer.padding,
        activation: layer.activation,
        kernel_initializer: layer.kernel_initializer,
        kernel_regularizer: regularizer(layer.kernel_regularizer),
      });
    case 'SeparableConv2D':
      return call('layers.SeparableConv2D', [layer.filters, pairOf(layer.kernel_size)], {
        strides: pairOf(layer.strides),
        padding: layer.padding,
        depth_multiplier: layer.depth_multiplier,
        activation: layer.activation,
        depthwise_initializer: layer.depthwise_initializer,
        pointwise_initializer: layer.pointwise_initializer,
        depthwise_regularizer: regularizer(layer.depthwise_regularizer),
        pointwise_regularizer: regularizer(layer.pointwise_regularizer),
      });
    case 'DepthwiseConv2D':
      return call('layers.DepthwiseConv2D', [pairOf(layer.kernel_size)], {
        strides: pairOf(layer.strides),
        padding: layer.padding,
        depth_multiplier: layer.depth_multiplier,
        activation: layer.activation,
        depthwise_initializer: layer.depthwise_initializer,
        depthwise_regularizer: regularizer(layer.depthwise_regularizer),
      });
    case 'MaxPooling2D':
    case 'AveragePooling2D':
      return call(`layers.${layer.type}`, [pairOf(layer.pool_size)], {
        strides: layer.strides === null ? null : pairOf(layer.strides),
        padding: layer.padding,
      });
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
    case 'Flatten':
      return call(`layers.${layer.type}`, []);
    case 'Dense':
      return call('layers.Dense', [layer.units], {
        activation: layer.activation,
        kernel_initializer: layer.kernel_initializer,
        kernel_regularizer: regularizer(layer.kernel_regularizer),
      });
    case 'Dropout':
    case 'SpatialDropout2D':
      return call(`layers.${layer.type}`, [layer.rate]);
    case 'BatchNormalization':
      return call('layers.BatchNormalization', [], { momentum: layer.momentum, epsilon: layer.epsilon });
    case 'LayerNormalization':
      return call('layers.LayerNormalization', [], { epsilon: layer.epsilon });
    case 'Activation':
      return call('layers.Activation', [layer.activation]);
    case 'Rescaling':
      return call('layers.Rescaling', [layer.scale], { offset: layer.offset });
    case 'ZeroPadding2D':
      return call('layers.ZeroPadding2D', [], { padding: pairOf(layer.padding) });
  }
}

/** Keras's Random* layers for the spec's augmentation, one call per line (none when it changes nothing). */
function augmentationLines(spec: ModelSpec): string[] {
  const a = spec.augmentation;
  const seed = spec.training.seed;
  const lines: string[] = [];
  if (a.flip !== 'none') lines.push(call('layers.RandomFlip', [a.flip], { seed }));
  if (a.rotation > 0) lines.push(call('layers.RandomRotation', [a.rotation], { fill_mode: 'reflect', seed }));
  if (a.zoom > 0) lines.push(call('layers.RandomZoom', [a.zoom], { fill_mode: 'reflect', seed }));
  if (a.translation > 0) lines.push(call('layers.RandomTranslation', [a.translation, a.translation], { fill_mode: 'reflect', seed }));
  if (a.contrast > 0) lines.push(call('layers.RandomContrast', [a.contrast], { seed }));
  if (a.brightness > 0) lines.push(call('layers.RandomBrightness', [a.brightness], { value_range: [0, 1], seed }));
  return lines;
}

function optimizerCode(spec: ModelSpec): string {
  const t = spec.training;
  const lr = t.learning_rate;
  switch (t.optimizer) {
    case 'sgd':
      return call('keras.optimizers.SGD', [], { learning_rate: lr, momentum: t.momentum, nesterov: t.nesterov });
    case 'rmsprop':
      return call('keras.optimizers.RMSprop', [], { learning_rate: lr, momentum: t.momentum });
    case 'adam':
      return call('keras.optimizers.Adam', [], { learning_rate: lr });
    case 'adagrad':
      return call('keras.optimizers.Adagrad', [], { learning_rate: lr });
    case 'adadelta':
      return call('keras.optimizers.Adadelta', [], { learning_rate: lr });
    case 'adamax':
      return call('keras.optimizers.Adamax', [], { learning_rate: lr });
  }
}

/** The output layer Capa adds after the spec's layers, as its Keras line. */
export const OUTPUT_LAYER_CODE = 'layers.Dense(NUM_CLASSES, activation="softmax")';

/** Capa feeds a model pixels as byte * scale + offset: [0, 1] (main/core/dataset/preprocess.ts's PIXEL_NORMALIZATION). */
const CAPA_PIXELS: BackboneNormalization = ZERO_TO_ONE;

/** The Rescaling that turns Capa's pixels into those `wanted` expects (byte * scale + offset). */
function rescalingFor(wanted: BackboneNormalization): string {
  const factor = wanted.scale / CAPA_PIXELS.scale;
  return call('layers.Rescaling', [factor], { offset: wanted.offset - CAPA_PIXELS.offset * factor });
}

/** The image size the model receives: the backbone's square input when there is one (Capa resizes to it), else the spec's. */
function inputShape(spec: ModelSpec): [height: number, width: number, channels: number] {
  const entry = spec.backbone && BACKBONES.find((b) => b.id === spec.backbone!.id);
  if (spec.backbone) return [entry?.inputSize ?? spec.input.height, entry?.inputSize ?? spec.input.width, 3];
  return [spec.input.height, spec.input.width, spec.input.channels];
}

/** Groups a Keras model's layers with weights into blocks as Capa's fine-tuning does (main/trainer/fine-tune.ts blocksOf). */
const BLOCKS_OF = [
  'def blocks_of(model):',
  '    """Layers with weights grouped by MobileNet block (block_<n>_..., expanded_conv_<n>_...), as Capa counts blocks."""',
  '    blocks = []',
  '    for layer in model.layers:',
  '        if not layer.weights:',
  '            continue',
  '        match = re.match(r"^(block_?\\d+|expanded_conv(?:_\\d+)?)_", layer.name)',
  '        key = match.group(1) if match else layer.name',
  '        if blocks and (blocks[-1][0] == key or isinstance(layer, layers.BatchNormalization)):',
  '            blocks[-1][1].append(layer)',
  '        else:',
  '            blocks.append((key, [layer]))',
  '    return [group for _, group in blocks]',
];

/**
 * The backbone's lines: `prepare` (the Rescaling to the pixels its Keras weights expect) and
 * `backbone`; for a backbone keras.applications does not ship, a line that refuses to run and says why.
 */
function backboneLines(spec: ModelSpec): string[] {
  const { id, trainable_blocks: blocks } = spec.backbone!;
  const keras = kerasApplicationOf(id);
  if (!keras) {
    return [
      `# Capa's backbone "${id}" has no counterpart in keras.applications, so this script cannot rebuild it.`,
      `raise SystemExit(${py(`The backbone "${id}" is not a keras.applications network; replace these lines with your own copy of it.`)})`,
    ];
  }
  const pixels =
    keras.normalization === ZERO_TO_ONE ? 'pixels in [0, 1]' : keras.normalization.scale === 1 ? 'pixels in [0, 255]' : 'pixels in [-1, 1]';
  const lines = [
    `# Capa's backbone "${id}" is keras.applications.${keras.name}; its ImageNet weights expect ${pixels}.`,
    `prepare = ${rescalingFor(keras.normalization)}`,
    `backbone = ${call(`keras.applications.${keras.name}`, [], {
      input_shape: { code: 'INPUT_SHAPE' },
      alpha: keras.alpha,
      include_top: false,
      pooling: 'avg',
      weights: 'imagenet',
      include_preprocessing: keras.name === 'MobileNetV2' ? undefined : true,
    })}`,
  ];
  if (blocks === 0) lines.push('backbone.trainable = False');
  else
    lines.push(
      `TRAINABLE_BLOCKS = ${blocks}  # Capa trains the backbone's last blocks with the head`,
      'for group in blocks_of(backbone)[:-TRAINABLE_BLOCKS]:',
      '    for layer in group:',
      '        layer.trainable = False',
    );
  return lines;
}

/** Builds and compiles `model`: augmentation, backbone, the spec's layers, the softmax output. */
function modelLines(spec: ModelSpec): string[] {
  const augment = augmentationLines(spec);
  const lines: string[] = [];
  const body: string[] = ['    keras.Input(shape=INPUT_SHAPE),'];
  if (augment.length > 0) {
    lines.push('augmentation = keras.Sequential([', ...augment.map((l) => `    ${l},`), '], name="augmentation")');
    body.push('    augmentation,  # active only while training');
  }
  if (spec.backbone) {
    lines.push(...backboneLines(spec));
    body.push('    prepare,', '    backbone,');
  }
  for (const layer of spec.layers) body.push(`    ${layer.enabled ? '' : '# (disabled) '}${layerCode(layer)},`);
  body.push(`    ${OUTPUT_LAYER_CODE},`);
  lines.push('model = keras.Sequential([', ...body, '])');
  lines.push(
    'model.compile(',
    `    optimizer=${optimizerCode(spec)},`,
    '    loss="categorical_crossentropy",',
    '    metrics=["accuracy"],',
    ')',
  );
  return lines;
}

/** `callbacks`: the spec's EarlyStopping and ReduceLROnPlateau. */
function callbackLines(spec: ModelSpec): string[] {
  const t = spec.training;
  const lines = ['callbacks = []'];
  if (t.early_stopping) {
    const e = t.early_stopping;
    lines.push(
      `callbacks.append(${call('keras.callbacks.EarlyStopping', [], { monitor: e.monitor, patience: e.patience, min_delta: e.min_delta, restore_best_weights: e.restore_best_weights })})`,
    );
  }
  if (t.reduce_lr_on_plateau) {
    const r = t.reduce_lr_on_plateau;
    lines.push(
      `callbacks.append(${call('keras.callbacks.ReduceLROnPlateau', [], { monitor: r.monitor, factor: r.factor, patience: r.patience, min_lr: r.min_lr })})`,
    );
  }
  return lines;
}

/** `class_weight`: None, or "balanced" counted over `dataset`. */
function classWeightLines(spec: ModelSpec, dataset: string): string[] {
  if (spec.training.class_weight !== 'balanced') return ['class_weight = None'];
  return [
    '# "balanced": images / (classes x images of the class), as scikit-learn computes it.',
    'counts = np.zeros(NUM_CLASSES)',
    `for _, y in ${dataset}:`,
    '    counts += y.numpy().sum(axis=0)',
    'class_weight = {i: float(counts.sum() / (NUM_CLASSES * c)) for i, c in enumerate(counts) if c > 0}',
  ];
}

/** keras.utils.image_dataset_from_directory's arguments for the spec's input, after the folder. */
function datasetArguments(spec: ModelSpec): string {
  const { input } = spec;
  const [height, width, channels] = inputShape(spec);
  const resize = input.resize === 'crop' ? ', crop_to_aspect_ratio=True' : input.resize === 'pad' ? ', pad_to_aspect_ratio=True' : '';
  return `label_mode="categorical", color_mode=${py(channels === 1 ? 'grayscale' : 'rgb')}, image_size=(${height}, ${width}), seed=${spec.training.seed}${resize}`;
}

const indent = (lines: string[], by = '    '): string[] => lines.map((l) => (l === '' ? l : by + l));

function header(spec: ModelSpec, classNames: readonly string[]): string[] {
  const [height, width, channels] = inputShape(spec);
  return [
    `CLASS_NAMES = [${classNames.map((n) => py(n)).join(', ')}]`,
    `NUM_CLASSES = ${Math.max(2, classNames.length)}`,
    `INPUT_SHAPE = (${height}, ${width}, ${channels})  # height, width, channels; pixels scaled to [0, 1]`,
  ];
}

/** "Show as Keras code": the Python script for `spec` and these class names (their order is the model's output order). */
export function kerasCode(spec: ModelSpec, classNames: readonly string[]): string {
  const t = spec.training;
  const dataset = (folder: string) =>
    `keras.utils.image_dataset_from_directory(${py(folder)}, class_names=CLASS_NAMES, ${datasetArguments(spec)}, batch_size=${t.batch_size}).map(lambda x, y: (x / 255.0, y))`;
  const lines: string[] = [
    '# Generated by Capa: the model and training settings of this project, in Keras 3.',
    '# Put the images in data/train/<class>/ and data/validation/<class>/ folders, then run this file.',
    ...(spec.backbone && spec.backbone.trainable_blocks > 0 ? ['import re', ''] : []),
    'import numpy as np',
    'import keras',
    'from keras import layers',
    '',
    `keras.utils.set_random_seed(${t.seed})`,
    '',
    ...header(spec, classNames),
    '',
    ...(spec.backbone && spec.backbone.trainable_blocks > 0 ? [...BLOCKS_OF, '', ''] : []),
    ...modelLines(spec),
    'model.summary()',
    '',
    `train_ds = ${dataset('data/train')}`,
    t.validation === 'validation' ? `val_ds = ${dataset('data/validation')}` : 'val_ds = None',
    '',
    ...callbackLines(spec),
    '',
    ...classWeightLines(spec, 'train_ds'),
    '',
    `model.fit(train_ds, validation_data=val_ds, epochs=${t.epochs}, callbacks=callbacks, class_weight=class_weight)`,
    '',
  ];
  return lines.join('\n');
}

/**
 * The training bundle's train.py: the same model and settings as kerasCode, trained under a
 * tf.distribute strategy (every local GPU, or a cluster when TF_CONFIG is set) on the bundle's
 * data/<split>/<class>/ folders, saved to trained/model.keras with metadata.json beside it.
 */
export function trainScript(spec: ModelSpec, classNames: readonly string[]): string {
  const t = spec.training;
  const lines: string[] = [
    '#!/usr/bin/env python3',
    '"""Train the Capa model described by spec.json on the images under data/.',
    '',
    '  pip install tensorflow          # Keras 3 comes with TensorFlow 2.16+',
    '  python train.py                 # every GPU of this machine (MirroredStrategy)',
    '  TF_CONFIG=... python train.py   # one process per worker of a cluster (MultiWorkerMirroredStrategy)',
    '',
    'data/train/<class>/ and data/validation/<class>/ hold the images as Capa split them; the model',
    'is written to trained/model.keras with metadata.json beside it. Generated by Capa from spec.json.',
    '"""',
    'import argparse',
    'import json',
    'import os',
    'import re',
    'from pathlib import Path',
    '',
    'import numpy as np',
    'import tensorflow as tf',
    'import keras',
    'from keras import layers',
    '',
    'HERE = Path(__file__).resolve().parent',
    'METADATA = json.loads((HERE / "metadata.json").read_text())',
    ...header(spec, classNames),
    '# Folder names under data/<split>/, in the order of CLASS_NAMES (names a file system refuses are changed).',
    'CLASS_FOLDERS = json.loads((HERE / "classes.json").read_text())',
    `SEED = ${t.seed}`,
    '',
    '',
    'def strategy():',
    '    if "TF_CONFIG" in os.environ:',
    '        return tf.distribute.MultiWorkerMirroredStrategy()',
    '    return tf.distribute.MirroredStrategy()',
    '',
    '',
    'def dataset(split, batch_size, shuffle):',
    '    folder = HERE / "data" / split',
    '    if not folder.exists():',
    '        return None',
    `    images = keras.utils.image_dataset_from_directory(folder, class_names=CLASS_FOLDERS, ${datasetArguments(spec)}, batch_size=batch_size, shuffle=shuffle)`,
    '    # Capa feeds pixel / 255 (0..1), in the NHWC layout Keras uses too.',
    '    return images.map(lambda x, y: (x / 255.0, y)).prefetch(tf.data.AUTOTUNE)',
    '',
    '',
    ...BLOCKS_OF,
    '',
    '',
    'def build_model():',
    ...indent(modelLines(spec)),
    '    return model',
    '',
    '',
    'def main():',
    '    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])',
    `    parser.add_argument("--epochs", type=int, default=${t.epochs})`,
    `    parser.add_argument("--batch-size", type=int, default=${t.batch_size}, help="per replica")`,
    '    parser.add_argument("--out", type=Path, default=HERE / "trained")',
    '    args = parser.parse_args()',
    '    keras.utils.set_random_seed(SEED)',
    '    distribution = strategy()',
    '    print("Training on", distribution.num_replicas_in_sync, "replica(s)")',
    '    global_batch = args.batch_size * distribution.num_replicas_in_sync',
    '    train_ds = dataset("train", global_batch, shuffle=True)',
    t.validation === 'validation'
      ? '    val_ds = dataset("validation", global_batch, shuffle=False)'
      : '    val_ds = None  # the spec trains without validation',
    '    with distribution.scope():',
    '        model = build_model()',
    '    model.summary()',
    ...indent(callbackLines(spec)),
    ...indent(classWeightLines(spec, 'train_ds')),
    '    model.fit(train_ds, validation_data=val_ds, epochs=args.epochs, callbacks=callbacks, class_weight=class_weight)',
    '    args.out.mkdir(parents=True, exist_ok=True)',
    '    model.save(args.out / "model.keras")',
    '    (args.out / "metadata.json").write_text(json.dumps(METADATA, indent=2))',
    '    print("Saved", args.out / "model.keras")',
    '',
    '',
    'if __name__ == "__main__":',
    '    main()',
    '',
  ];
  return lines.join('\n');
}
