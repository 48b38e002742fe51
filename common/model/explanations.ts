// Which explanation goes with each part of the Model screen: what each layer does, what each of its
// parameters means, which fields the editor shows for it, and which "Learn more" topic (a small
// picture and a few sentences) explains each layer, field and setting. Pure structure: the words
// live in the renderer's catalogue (group "explain", in every language) under the keys named here.
import { ACTIVATIONS, ACTIVATION_LAYER_FUNCTIONS, INITIALIZERS, type LayerType } from './layers';
import type { OptimizerName } from './spec';

/** Every "Learn more" topic; each has a title, a text and a picture (explain.topic.<topic>). */
export const LEARN_TOPICS = [
  'presets',
  'transfer',
  'fineTune',
  'inputSize',
  'colour',
  'resize',
  'kernel',
  'filters',
  'stride',
  'padding',
  'activation',
  'initializer',
  'regularizer',
  'pooling',
  'globalPooling',
  'flatten',
  'dense',
  'dropout',
  'normalization',
  'rescaling',
  'epochs',
  'batch',
  'learningRate',
  'optimizer',
  'validation',
  'classWeight',
  'seed',
  'earlyStopping',
  'loss',
  'reduceLr',
  'augmentation',
] as const;
/** A "Learn more" panel's subject. */
export type LearnTopic = (typeof LEARN_TOPICS)[number];

/** The one-sentence explanations of layer parameters (explain.field.<key>); several parameters share one. */
export type FieldHelp =
  | 'filters'
  | 'kernelSize'
  | 'strides'
  | 'padding'
  | 'activation'
  | 'activationLayer'
  | 'initializer'
  | 'regularizer'
  | 'depthMultiplier'
  | 'poolSize'
  | 'poolStrides'
  | 'units'
  | 'rate'
  | 'momentum'
  | 'epsilon'
  | 'scale'
  | 'offset'
  | 'zeroPadding';

/** How the editor shows one parameter of a layer. */
export type FieldKind =
  | { kind: 'int'; min: number }
  | { kind: 'number'; min: number; max: number; step: number }
  | { kind: 'pair' }
  | { kind: 'choice'; options: readonly string[] }
  | { kind: 'regularizer' };

/** One editable parameter of a layer, by Keras's name. */
export type LayerField = FieldKind & {
  /** Keras's argument name, also the spec's key. */
  key: string;
  /** Its one-sentence explanation (explain.field.<help>). */
  help: FieldHelp;
  /** The "Learn more" topic that explains it. */
  topic: LearnTopic;
};

/** The topics that explain each layer kind as a whole (its sentence is explain.layer.<type>). */
export const LAYER_TOPICS: Record<LayerType, readonly LearnTopic[]> = {
  Conv2D: ['kernel', 'filters', 'activation'],
  SeparableConv2D: ['kernel', 'filters', 'activation'],
  DepthwiseConv2D: ['kernel', 'activation'],
  MaxPooling2D: ['pooling'],
  AveragePooling2D: ['pooling'],
  GlobalAveragePooling2D: ['globalPooling'],
  GlobalMaxPooling2D: ['globalPooling'],
  Flatten: ['flatten'],
  Dense: ['dense', 'activation'],
  Dropout: ['dropout'],
  SpatialDropout2D: ['dropout'],
  BatchNormalization: ['normalization'],
  LayerNormalization: ['normalization'],
  Activation: ['activation'],
  Rescaling: ['rescaling'],
  ZeroPadding2D: ['padding'],
};

const filters: LayerField = { key: 'filters', kind: 'int', min: 1, help: 'filters', topic: 'filters' };
const kernelSize: LayerField = { key: 'kernel_size', kind: 'pair', help: 'kernelSize', topic: 'kernel' };
const strides: LayerField = { key: 'strides', kind: 'pair', help: 'strides', topic: 'stride' };
const padding: LayerField = { key: 'padding', kind: 'choice', options: ['valid', 'same'], help: 'padding', topic: 'padding' };
const activation: LayerField = { key: 'activation', kind: 'choice', options: ACTIVATIONS, help: 'activation', topic: 'activation' };
const initializer = (key: string): LayerField => ({
  key,
  kind: 'choice',
  options: INITIALIZERS,
  help: 'initializer',
  topic: 'initializer',
});
const regularizer = (key: string): LayerField => ({ key, kind: 'regularizer', help: 'regularizer', topic: 'regularizer' });
const depthMultiplier: LayerField = { key: 'depth_multiplier', kind: 'int', min: 1, help: 'depthMultiplier', topic: 'filters' };
const poolSize: LayerField = { key: 'pool_size', kind: 'pair', help: 'poolSize', topic: 'pooling' };
const poolStrides: LayerField = { key: 'strides', kind: 'pair', help: 'poolStrides', topic: 'stride' };
const rate: LayerField = { key: 'rate', kind: 'number', min: 0, max: 0.95, step: 0.05, help: 'rate', topic: 'dropout' };
const epsilon: LayerField = { key: 'epsilon', kind: 'number', min: 1e-12, max: 1, step: 0.0001, help: 'epsilon', topic: 'normalization' };

/** The parameters the editor shows for each layer kind, in Keras's order. */
export const LAYER_FIELDS: Record<LayerType, readonly LayerField[]> = {
  Conv2D: [filters, kernelSize, strides, padding, activation, initializer('kernel_initializer'), regularizer('kernel_regularizer')],
  SeparableConv2D: [
    filters,
    kernelSize,
    strides,
    padding,
    depthMultiplier,
    activation,
    initializer('depthwise_initializer'),
    initializer('pointwise_initializer'),
    regularizer('depthwise_regularizer'),
    regularizer('pointwise_regularizer'),
  ],
  DepthwiseConv2D: [
    kernelSize,
    strides,
    padding,
    depthMultiplier,
    activation,
    initializer('depthwise_initializer'),
    regularizer('depthwise_regularizer'),
  ],
  MaxPooling2D: [poolSize, poolStrides, padding],
  AveragePooling2D: [poolSize, poolStrides, padding],
  GlobalAveragePooling2D: [],
  GlobalMaxPooling2D: [],
  Flatten: [],
  Dense: [
    { key: 'units', kind: 'int', min: 1, help: 'units', topic: 'dense' },
    activation,
    initializer('kernel_initializer'),
    regularizer('kernel_regularizer'),
  ],
  Dropout: [rate],
  SpatialDropout2D: [rate],
  BatchNormalization: [
    { key: 'momentum', kind: 'number', min: 0, max: 0.999, step: 0.01, help: 'momentum', topic: 'normalization' },
    epsilon,
  ],
  LayerNormalization: [epsilon],
  Activation: [{ key: 'activation', kind: 'choice', options: ACTIVATION_LAYER_FUNCTIONS, help: 'activationLayer', topic: 'activation' }],
  Rescaling: [
    { key: 'scale', kind: 'number', min: -1000, max: 1000, step: 0.1, help: 'scale', topic: 'rescaling' },
    { key: 'offset', kind: 'number', min: -1000, max: 1000, step: 0.1, help: 'offset', topic: 'rescaling' },
  ],
  ZeroPadding2D: [{ key: 'padding', kind: 'pair', help: 'zeroPadding', topic: 'padding' }],
};

/** The parts of the Model screen that hold settings. */
export type SettingSection = 'preset' | 'backbone' | 'input' | 'training' | 'augmentation';

/**
 * Every setting of the Model screen outside the layers: where it is shown and the topic its "Learn
 * more" opens. Its one sentence is explain.setting.<key>.
 */
export const SETTINGS = {
  preset: { section: 'preset', topic: 'presets' },
  backbone: { section: 'backbone', topic: 'transfer' },
  trainableBlocks: { section: 'backbone', topic: 'fineTune' },
  inputSize: { section: 'input', topic: 'inputSize' },
  colour: { section: 'input', topic: 'colour' },
  resize: { section: 'input', topic: 'resize' },
  epochs: { section: 'training', topic: 'epochs' },
  batchSize: { section: 'training', topic: 'batch' },
  learningRate: { section: 'training', topic: 'learningRate' },
  optimizer: { section: 'training', topic: 'optimizer' },
  momentum: { section: 'training', topic: 'optimizer' },
  nesterov: { section: 'training', topic: 'optimizer' },
  validation: { section: 'training', topic: 'validation' },
  classWeight: { section: 'training', topic: 'classWeight' },
  seed: { section: 'training', topic: 'seed' },
  earlyStopping: { section: 'training', topic: 'earlyStopping' },
  monitor: { section: 'training', topic: 'loss' },
  patience: { section: 'training', topic: 'earlyStopping' },
  restoreBest: { section: 'training', topic: 'earlyStopping' },
  reduceLr: { section: 'training', topic: 'reduceLr' },
  factor: { section: 'training', topic: 'reduceLr' },
  augmentation: { section: 'augmentation', topic: 'augmentation' },
  flip: { section: 'augmentation', topic: 'augmentation' },
  rotation: { section: 'augmentation', topic: 'augmentation' },
  zoom: { section: 'augmentation', topic: 'augmentation' },
  translation: { section: 'augmentation', topic: 'augmentation' },
  brightness: { section: 'augmentation', topic: 'augmentation' },
  contrast: { section: 'augmentation', topic: 'augmentation' },
} as const satisfies Record<string, { section: SettingSection; topic: LearnTopic }>;
/** A setting of the Model screen outside the layers. */
export type SettingKey = keyof typeof SETTINGS;

/** Optimizers by the names their authors gave them (the same in every language); each has explain.optimizer.<name>. */
export const OPTIMIZER_NAMES: Record<OptimizerName, string> = {
  adam: 'Adam',
  sgd: 'SGD',
  rmsprop: 'RMSprop',
  adagrad: 'Adagrad',
  adadelta: 'Adadelta',
  adamax: 'Adamax',
};
