// The layer kinds of a spec: Keras's class names and parameter names, with Keras's defaults.
import { z } from 'zod';
import { zodSays } from '../messages/said';
import { numberIn, oneOf, pair, positiveInt, shown, unknownWord } from './fields';

/** Activations a Dense or convolution layer can apply, by Keras's names. */
export const ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'gelu', 'swish'] as const;
export type Activation = (typeof ACTIVATIONS)[number];
/** The Activation layer also offers leaky ReLU (Keras's `leaky_relu`, negative slope 0.2). */
export const ACTIVATION_LAYER_FUNCTIONS = [...ACTIVATIONS, 'leaky_relu'] as const;
export type ActivationFunction = (typeof ACTIVATION_LAYER_FUNCTIONS)[number];

/** Keras initializer names for a layer's starting weights. */
export const INITIALIZERS = ['glorot_uniform', 'glorot_normal', 'he_uniform', 'he_normal', 'lecun_uniform', 'lecun_normal'] as const;
export type Initializer = (typeof INITIALIZERS)[number];

const activation = z.enum(ACTIVATIONS, {
  error: (i) => (i.input === 'leaky_relu' ? zodSays('model.layers.leakyReluHere') : unknownWord('activation', i.input, ACTIVATIONS)),
});
const padding = oneOf('padding', ['valid', 'same']);
const initializer = oneOf('initializer', INITIALIZERS);

/** Keras's `L1L2` regularizer: adds l1 * sum|w| + l2 * sum w^2 to the loss; null for none. */
export const regularizerSchema = z
  .object({
    /** Weight of the sum of absolute weights. */
    l1: numberIn('l1', 0, 1).default(0),
    /** Weight of the sum of squared weights. */
    l2: numberIn('l2', 0, 1).default(0),
  })
  .nullable()
  .default(null);
export type Regularizer = z.infer<typeof regularizerSchema>;

/** Fields every layer has. */
const common = {
  /** A disabled layer stays in the list but is left out of the model. */
  enabled: z.boolean().default(true),
};

const rate = (what: string) => numberIn(what, 0, 1, true);

export const conv2dSchema = z.object({
  type: z.literal('Conv2D'),
  ...common,
  /** Number of filters (output channels). */
  filters: positiveInt('filters'),
  /** Height and width of each filter. */
  kernel_size: pair('kernel_size'),
  /** Step of the filter across the image. */
  strides: pair('strides').default(1),
  /** "valid" shrinks the image by the kernel; "same" pads to keep its size. */
  padding: padding.default('valid'),
  /** Function applied to each output. */
  activation: activation.default('relu'),
  /** How the starting weights are drawn. */
  kernel_initializer: initializer.default('glorot_uniform'),
  /** Penalty on large weights. */
  kernel_regularizer: regularizerSchema,
});

export const separableConv2dSchema = z.object({
  type: z.literal('SeparableConv2D'),
  ...common,
  /** Number of filters (output channels) of the pointwise step. */
  filters: positiveInt('filters'),
  /** Height and width of each per-channel filter. */
  kernel_size: pair('kernel_size'),
  /** Step of the filter across the image. */
  strides: pair('strides').default(1),
  /** "valid" shrinks the image by the kernel; "same" pads to keep its size. */
  padding: padding.default('valid'),
  /** Per-channel filters for each input channel. */
  depth_multiplier: positiveInt('depth_multiplier').max(64).default(1),
  /** Function applied to each output. */
  activation: activation.default('relu'),
  /** How the starting per-channel weights are drawn. */
  depthwise_initializer: initializer.default('glorot_uniform'),
  /** How the starting 1x1 mixing weights are drawn. */
  pointwise_initializer: initializer.default('glorot_uniform'),
  /** Penalty on large per-channel weights. */
  depthwise_regularizer: regularizerSchema,
  /** Penalty on large mixing weights. */
  pointwise_regularizer: regularizerSchema,
});

export const depthwiseConv2dSchema = z.object({
  type: z.literal('DepthwiseConv2D'),
  ...common,
  /** Height and width of each per-channel filter. */
  kernel_size: pair('kernel_size'),
  /** Step of the filter across the image. */
  strides: pair('strides').default(1),
  /** "valid" shrinks the image by the kernel; "same" pads to keep its size. */
  padding: padding.default('valid'),
  /** Filters per input channel; output channels = input channels x this. */
  depth_multiplier: positiveInt('depth_multiplier').max(64).default(1),
  /** Function applied to each output. */
  activation: activation.default('linear'),
  /** How the starting weights are drawn. */
  depthwise_initializer: initializer.default('glorot_uniform'),
  /** Penalty on large weights. */
  depthwise_regularizer: regularizerSchema,
});

const pooling = <T extends string>(type: T) =>
  z.object({
    type: z.literal(type),
    ...common,
    /** Size of the window that is reduced to one value. */
    pool_size: pair('pool_size').default(2),
    /** Defaults to pool_size, as in Keras. */
    strides: pair('strides').nullable().default(null),
    /** "valid" drops incomplete windows; "same" pads to keep them. */
    padding: padding.default('valid'),
  });
export const maxPooling2dSchema = pooling('MaxPooling2D');
export const averagePooling2dSchema = pooling('AveragePooling2D');
export const globalAveragePooling2dSchema = z.object({ type: z.literal('GlobalAveragePooling2D'), ...common });
export const globalMaxPooling2dSchema = z.object({ type: z.literal('GlobalMaxPooling2D'), ...common });
export const flattenSchema = z.object({ type: z.literal('Flatten'), ...common });

export const denseSchema = z.object({
  type: z.literal('Dense'),
  ...common,
  /** Number of neurons; each computes Z = WX + b then its activation. */
  units: positiveInt('units').max(65536),
  /** Function applied to each neuron's Z. */
  activation: activation.default('relu'),
  /** How the starting weights are drawn. */
  kernel_initializer: initializer.default('glorot_uniform'),
  /** Penalty on large weights. */
  kernel_regularizer: regularizerSchema,
});

export const dropoutSchema = z.object({
  type: z.literal('Dropout'),
  ...common,
  /** Fraction of inputs set to zero at each training step. */
  rate: rate('rate'),
});

export const spatialDropout2dSchema = z.object({
  type: z.literal('SpatialDropout2D'),
  ...common,
  /** Fraction of whole channels (feature maps) set to zero at each training step. */
  rate: rate('rate'),
});

export const batchNormalizationSchema = z.object({
  type: z.literal('BatchNormalization'),
  ...common,
  /** How slowly the running mean and variance follow each batch's. */
  momentum: numberIn('momentum', 0, 1, true).default(0.99),
  /** Small number added to the variance so nothing is divided by zero. */
  epsilon: numberIn('epsilon', 1e-12, 1).default(0.001),
});

export const layerNormalizationSchema = z.object({
  type: z.literal('LayerNormalization'),
  ...common,
  /** Small number added to the variance so nothing is divided by zero. */
  epsilon: numberIn('epsilon', 1e-12, 1).default(0.001),
});

export const activationLayerSchema = z.object({
  type: z.literal('Activation'),
  ...common,
  /** The function applied to every value. */
  activation: oneOf('activation', ACTIVATION_LAYER_FUNCTIONS),
});

export const rescalingSchema = z.object({
  type: z.literal('Rescaling'),
  ...common,
  /** Every value is multiplied by this... */
  scale: numberIn('scale', -1000, 1000),
  /** ...then this is added. */
  offset: numberIn('offset', -1000, 1000).default(0),
});

export const zeroPadding2dSchema = z.object({
  type: z.literal('ZeroPadding2D'),
  ...common,
  /** Rows (top and bottom) and columns (left and right) of zeros added around the image. */
  padding: pair('padding').default(1),
});

export const layerSchema = z.discriminatedUnion(
  'type',
  [
    conv2dSchema,
    separableConv2dSchema,
    depthwiseConv2dSchema,
    maxPooling2dSchema,
    averagePooling2dSchema,
    globalAveragePooling2dSchema,
    globalMaxPooling2dSchema,
    flattenSchema,
    denseSchema,
    dropoutSchema,
    spatialDropout2dSchema,
    batchNormalizationSchema,
    layerNormalizationSchema,
    activationLayerSchema,
    rescalingSchema,
    zeroPadding2dSchema,
  ],
  { error: (i) => zodSays('model.layers.unknownType', { received: shown((i.input as { type?: unknown } | undefined)?.type ?? i.input) }) },
);
export type LayerSpec = z.infer<typeof layerSchema>;
export type LayerType = LayerSpec['type'];
/** Every layer kind, in the order the editor offers them. */
export const LAYER_TYPES = layerSchema.options.map((option) => option.shape.type.value) as LayerType[];
