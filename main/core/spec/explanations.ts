// Plain-language explanations, in the spirit of the course: what each layer does, what each of
// its parameters means, and which fields the editor shows for it. Pure data; the model screen
// renders it and nothing here needs a manual.
import { ACTIVATIONS, ACTIVATION_LAYER_FUNCTIONS, INITIALIZERS, type LayerType } from './layers';

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
  /** One or two plain sentences. */
  help: string;
};

/** What a layer does, in a sentence or two. */
export const LAYER_HELP: Record<LayerType, string> = {
  Conv2D: 'Slides small filters over the picture; each filter learns to spot a pattern such as an edge, a corner or a texture.',
  SeparableConv2D: 'A lighter convolution: first one small filter per channel, then a 1x1 mix of the channels. Fewer weights for a similar result.',
  DepthwiseConv2D: 'One small filter per channel, with no mixing between channels. The first half of a separable convolution.',
  MaxPooling2D: 'Keeps the largest value of each small window: shrinks the picture and keeps the strongest signals.',
  AveragePooling2D: 'Keeps the average of each small window: shrinks the picture smoothly.',
  GlobalAveragePooling2D: 'Averages each channel over the whole picture, leaving one number per channel. A light replacement for Flatten.',
  GlobalMaxPooling2D: 'Keeps the largest value of each channel over the whole picture, leaving one number per channel.',
  Flatten: 'Lays the grid of numbers out in one long row so that Dense layers can use it.',
  Dense: 'Each neuron computes Z = WX + b (weights times inputs plus a bias), then its activation. Every neuron sees every input.',
  Dropout: 'During training, randomly sets this fraction of values to zero so the model cannot rely on any single one. Fights memorising.',
  SpatialDropout2D: 'Dropout for pictures: switches off whole channels (feature maps) at random during training.',
  BatchNormalization: 'Rescales the values of each batch to a steady mean and spread, which makes training faster and steadier.',
  LayerNormalization: 'Rescales the values of each picture to a steady mean and spread, independently of the batch.',
  Activation: 'Applies a function to every value, e.g. ReLU keeps positives and sets negatives to zero. This is what lets a network learn curves, not just straight lines.',
  Rescaling: 'Multiplies every value by a number and adds another, e.g. to move pixels from 0..1 to -1..1.',
  ZeroPadding2D: 'Adds a border of zeros around the picture, so that following layers keep its edges.',
};

const activationHelp = 'The function applied to each output. relu is a good default; linear means none.';
const filters: LayerField = { key: 'filters', kind: 'int', min: 1, help: 'How many patterns this layer learns to look for. Each filter gives one output channel.' };
const kernelSize: LayerField = { key: 'kernel_size', kind: 'pair', help: 'Size of each filter in pixels (height x width), e.g. 3 means 3x3.' };
const strides: LayerField = { key: 'strides', kind: 'pair', help: 'How many pixels the window moves at each step. 2 halves the size of the picture.' };
const padding: LayerField = { key: 'padding', kind: 'choice', options: ['valid', 'same'], help: '"valid" only uses windows that fit, so the picture shrinks; "same" adds zeros around it to keep its size.' };
const activation: LayerField = { key: 'activation', kind: 'choice', options: ACTIVATIONS, help: activationHelp };
const initializer = (key: string): LayerField => ({ key, kind: 'choice', options: INITIALIZERS, help: 'How the starting weights are drawn at random. he_* suits relu; glorot_* suits the others.' });
const regularizer = (key: string): LayerField => ({ key, kind: 'regularizer', help: 'A penalty on large weights added to the loss (L1: their sizes, L2: their squares). Keeps the model simpler so it memorises less.' });
const depthMultiplier: LayerField = { key: 'depth_multiplier', kind: 'int', min: 1, help: 'How many filters each input channel gets.' };
const poolSize: LayerField = { key: 'pool_size', kind: 'pair', help: 'Size of the window reduced to one value, e.g. 2 halves the picture.' };
const poolStrides: LayerField = { key: 'strides', kind: 'pair', help: 'Step of the window; empty means the same as the pool size.' };
const rate: LayerField = { key: 'rate', kind: 'number', min: 0, max: 0.95, step: 0.05, help: 'The fraction switched off at each training step, e.g. 0.25 is one in four.' };
const epsilon: LayerField = { key: 'epsilon', kind: 'number', min: 1e-12, max: 1, step: 0.0001, help: 'A tiny number added before dividing, so nothing is divided by zero.' };

/** The parameters the editor shows for each layer kind, in Keras's order. */
export const LAYER_FIELDS: Record<LayerType, readonly LayerField[]> = {
  Conv2D: [filters, kernelSize, strides, padding, activation, initializer('kernel_initializer'), regularizer('kernel_regularizer')],
  SeparableConv2D: [filters, kernelSize, strides, padding, depthMultiplier, activation, initializer('depthwise_initializer'), initializer('pointwise_initializer'), regularizer('depthwise_regularizer'), regularizer('pointwise_regularizer')],
  DepthwiseConv2D: [kernelSize, strides, padding, depthMultiplier, activation, initializer('depthwise_initializer'), regularizer('depthwise_regularizer')],
  MaxPooling2D: [poolSize, poolStrides, padding],
  AveragePooling2D: [poolSize, poolStrides, padding],
  GlobalAveragePooling2D: [],
  GlobalMaxPooling2D: [],
  Flatten: [],
  Dense: [
    { key: 'units', kind: 'int', min: 1, help: 'How many neurons. More neurons can learn more, and need more pictures.' },
    activation,
    initializer('kernel_initializer'),
    regularizer('kernel_regularizer'),
  ],
  Dropout: [rate],
  SpatialDropout2D: [rate],
  BatchNormalization: [
    { key: 'momentum', kind: 'number', min: 0, max: 0.999, step: 0.01, help: 'How slowly the remembered mean and spread follow each batch (close to 1: slowly).' },
    epsilon,
  ],
  LayerNormalization: [epsilon],
  Activation: [{ key: 'activation', kind: 'choice', options: ACTIVATION_LAYER_FUNCTIONS, help: activationHelp + ' leaky_relu lets a little of the negatives through.' }],
  Rescaling: [
    { key: 'scale', kind: 'number', min: -1000, max: 1000, step: 0.1, help: 'Every value is multiplied by this.' },
    { key: 'offset', kind: 'number', min: -1000, max: 1000, step: 0.1, help: 'Then this is added.' },
  ],
  ZeroPadding2D: [{ key: 'padding', kind: 'pair', help: 'Rows of zeros added at the top and bottom, and columns at the left and right.' }],
};

/** Training and input settings explained. */
export const SETTING_HELP = {
  epochs: 'One epoch is one pass over every training picture. More epochs learn more, until the model starts memorising.',
  batch_size: 'Pictures looked at before each weight update. One batch is one iteration; an epoch has (pictures ÷ batch size) of them.',
  learning_rate: 'How big a step each update takes against the error (backpropagation). Too large jumps around; too small crawls.',
  optimizer: 'The rule that turns the gradients into weight updates.',
  momentum: 'How much of the previous update carries into the next, like a ball rolling downhill. 0.9 is usual; 0 turns it off.',
  nesterov: 'Looks ahead along the momentum before measuring the slope; often a little faster.',
  seed: 'Fixes the random starting weights, shuffling and augmentation, so that a run can be repeated exactly.',
  validation: 'Pictures kept aside to measure how well the model does on pictures it never learned from.',
  class_weight: '"Balanced" counts mistakes on rare classes more, so a class with few pictures is not ignored.',
  early_stopping: 'Stops training when the watched number has not improved for a while, and can go back to the best weights.',
  reduce_lr_on_plateau: 'Takes smaller steps when progress stalls, which often finds a better result.',
  monitor: 'The number watched after each epoch: loss should go down, accuracy up; "val_" ones use the validation pictures.',
  patience: 'Epochs to wait without improvement before acting.',
  augmentation: 'Random changes to the training pictures at every epoch (never to validation pictures), so the model learns the object rather than its exact position, angle or lighting.',
} as const;

/** Optimizers as a person reads them. */
export const OPTIMIZER_TEXT: Record<(typeof import('./spec'))['OPTIMIZERS'][number], { name: string; help: string }> = {
  adam: { name: 'Adam', help: 'Adam adapts the step for each weight: a safe default.' },
  sgd: { name: 'SGD', help: 'SGD is plain gradient descent; with momentum it often generalises well, and needs a larger learning rate.' },
  rmsprop: { name: 'RMSprop', help: 'RMSprop scales each step by the size of recent gradients.' },
  adagrad: { name: 'Adagrad', help: 'Adagrad gives rarely-updated weights larger steps; its steps shrink over time.' },
  adadelta: { name: 'Adadelta', help: 'Adadelta adapts its steps from recent updates; try a learning rate of 1.' },
  adamax: { name: 'Adamax', help: 'Adamax is a variant of Adam that is steadier with large gradients.' },
};
