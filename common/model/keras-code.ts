// "Show as Keras code": a read-only Python script that builds the same model (Keras 3) and
// trains it with the same settings, so a person can take the design elsewhere. Pure: the
// renderer shows it and the CLI prints it.
import { asPair, type LayerSpec, type ModelSpec, type Regularizer } from './spec';

type PyValue = string | number | boolean | null | readonly number[] | { code: string };

/** A Python literal: strings double-quoted, tuples for pairs, True/False/None. */
function py(value: PyValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
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
  return value && (value.l1 > 0 || value.l2 > 0) ? { code: call('keras.regularizers.L1L2', [], { l1: value.l1, l2: value.l2 }) } : undefined;
}

/** One layer as its Keras line, e.g. `layers.Conv2D(32, (3, 3), activation="relu")` (also shown on the model diagram). */
export function layerCode(layer: LayerSpec): string {
  const pairOf = (v: number | readonly [number, number]) => asPair(v);
  switch (layer.type) {
    case 'Conv2D':
      return call('layers.Conv2D', [layer.filters, pairOf(layer.kernel_size)], {
        strides: pairOf(layer.strides), padding: layer.padding, activation: layer.activation,
        kernel_initializer: layer.kernel_initializer, kernel_regularizer: regularizer(layer.kernel_regularizer),
      });
    case 'SeparableConv2D':
      return call('layers.SeparableConv2D', [layer.filters, pairOf(layer.kernel_size)], {
        strides: pairOf(layer.strides), padding: layer.padding, depth_multiplier: layer.depth_multiplier, activation: layer.activation,
        depthwise_initializer: layer.depthwise_initializer, pointwise_initializer: layer.pointwise_initializer,
        depthwise_regularizer: regularizer(layer.depthwise_regularizer), pointwise_regularizer: regularizer(layer.pointwise_regularizer),
      });
    case 'DepthwiseConv2D':
      return call('layers.DepthwiseConv2D', [pairOf(layer.kernel_size)], {
        strides: pairOf(layer.strides), padding: layer.padding, depth_multiplier: layer.depth_multiplier, activation: layer.activation,
        depthwise_initializer: layer.depthwise_initializer, depthwise_regularizer: regularizer(layer.depthwise_regularizer),
      });
    case 'MaxPooling2D':
    case 'AveragePooling2D':
      return call(`layers.${layer.type}`, [pairOf(layer.pool_size)], { strides: layer.strides === null ? null : pairOf(layer.strides), padding: layer.padding });
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
    case 'Flatten':
      return call(`layers.${layer.type}`, []);
    case 'Dense':
      return call('layers.Dense', [layer.units], {
        activation: layer.activation, kernel_initializer: layer.kernel_initializer, kernel_regularizer: regularizer(layer.kernel_regularizer),
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

const BACKBONES: [prefix: string, application: string][] = [
  ['mobilenet-v2', 'MobileNetV2'],
  ['mobilenet-v3-large', 'MobileNetV3Large'],
  ['mobilenet-v3-small', 'MobileNetV3Small'],
];

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

/** The Python script for `spec` and these class names (their order is the model's output order). */
export function kerasCode(spec: ModelSpec, classNames: readonly string[]): string {
  const { input, training: t } = spec;
  const numClasses = Math.max(2, classNames.length);
  const resize = input.resize === 'crop' ? ', crop_to_aspect_ratio=True' : input.resize === 'pad' ? ', pad_to_aspect_ratio=True' : '';
  const dataset = (folder: string) =>
    `keras.utils.image_dataset_from_directory(${py(folder)}, class_names=CLASS_NAMES, label_mode="categorical", ` +
    `color_mode=${py(input.channels === 1 ? 'grayscale' : 'rgb')}, image_size=(${input.height}, ${input.width}), ` +
    `batch_size=${t.batch_size}, seed=${t.seed}${resize}).map(lambda x, y: (x / 255.0, y))`;

  const body: string[] = [`    keras.Input(shape=INPUT_SHAPE),`];
  const augment = augmentationLines(spec);
  if (augment.length > 0) body.push('    augmentation,  # active only while training');
  if (spec.backbone) body.push('    backbone,');
  for (const layer of spec.layers) body.push(`    ${layer.enabled ? '' : '# (disabled) '}${layerCode(layer)},`);
  body.push(`    ${OUTPUT_LAYER_CODE},`);

  const lines: string[] = [
    '# Generated by Capa: the model and training settings of this project, in Keras 3.',
    '# Put the images in data/train/<class>/ and data/validation/<class>/ folders, then run this file.',
    'import numpy as np',
    'import keras',
    'from keras import layers',
    '',
    `keras.utils.set_random_seed(${t.seed})`,
    '',
    `CLASS_NAMES = [${classNames.map((n) => py(n)).join(', ')}]`,
    `NUM_CLASSES = ${numClasses}`,
    `INPUT_SHAPE = (${input.height}, ${input.width}, ${input.channels})  # height, width, channels; pixels scaled to [0, 1]`,
    '',
  ];
  if (augment.length > 0) lines.push('augmentation = keras.Sequential([', ...augment.map((l) => `    ${l},`), '], name="augmentation")', '');
  if (spec.backbone) {
    const application = BACKBONES.find(([prefix]) => spec.backbone!.id.startsWith(prefix))?.[1] ?? 'MobileNetV2';
    lines.push(
      `# Capa's backbone "${spec.backbone.id}"; Keras's own pretrained weights expect pixels in [-1, 1].`,
      `backbone = keras.applications.${application}(input_shape=INPUT_SHAPE, include_top=False, pooling="avg", weights="imagenet")`,
      `backbone.trainable = ${py(spec.backbone.trainable_blocks > 0)}`,
      '',
    );
  }
  lines.push('model = keras.Sequential([', ...body, '])', '');
  lines.push(
    'model.compile(',
    `    optimizer=${optimizerCode(spec)},`,
    '    loss="categorical_crossentropy",',
    '    metrics=["accuracy"],',
    ')',
    'model.summary()',
    '',
    `train_ds = ${dataset('data/train')}`,
    t.validation === 'validation' ? `val_ds = ${dataset('data/validation')}` : 'val_ds = None',
    '',
    'callbacks = []',
  );
  if (t.early_stopping) {
    const e = t.early_stopping;
    lines.push(`callbacks.append(${call('keras.callbacks.EarlyStopping', [], { monitor: e.monitor, patience: e.patience, min_delta: e.min_delta, restore_best_weights: e.restore_best_weights })})`);
  }
  if (t.reduce_lr_on_plateau) {
    const r = t.reduce_lr_on_plateau;
    lines.push(`callbacks.append(${call('keras.callbacks.ReduceLROnPlateau', [], { monitor: r.monitor, factor: r.factor, patience: r.patience, min_lr: r.min_lr })})`);
  }
  lines.push('', 'class_weight = None');
  if (t.class_weight === 'balanced') {
    lines.push(
      '# "balanced": images / (classes x images of the class), as scikit-learn computes it.',
      'counts = np.zeros(NUM_CLASSES)',
      'for _, y in train_ds:',
      '    counts += y.numpy().sum(axis=0)',
      'class_weight = {i: float(counts.sum() / (NUM_CLASSES * c)) for i, c in enumerate(counts) if c > 0}',
    );
  }
  lines.push('', `model.fit(train_ds, validation_data=val_ds, epochs=${t.epochs}, callbacks=callbacks, class_weight=class_weight)`, '');
  return lines.join('\n');
}
