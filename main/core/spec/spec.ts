// The model spec: versioned JSON that names layers and parameters exactly as Keras does.
// This module is pure (zod only) so the renderer, IPC validation, the store and the CLI share it.
import { z } from 'zod';

export const SPEC_VERSION = 1;

export const ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'swish'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

const positiveInt = (what: string) =>
  z.number({ error: (i) => `Expected a positive integer for "${what}". Received: ${JSON.stringify(i.input)}` })
    .int({ error: (i) => `Expected a positive integer for "${what}". Received: ${JSON.stringify(i.input)}` })
    .positive({ error: (i) => `Expected a positive integer for "${what}". Received: ${JSON.stringify(i.input)}` });

/** A pair like Keras's `kernel_size=(3, 3)`; a single number means a square. */
const pair = (what: string) => z.union([positiveInt(what), z.tuple([positiveInt(what), positiveInt(what)])]);

const activation = z.enum(ACTIVATIONS, {
  error: (i) => `Unknown activation ${JSON.stringify(i.input)}. Use one of: ${ACTIVATIONS.join(', ')}.`,
});
const padding = z.enum(['valid', 'same'], {
  error: (i) => `Padding must be "valid" or "same". Received: ${JSON.stringify(i.input)}`,
});

export const conv2dSchema = z.object({
  type: z.literal('Conv2D'),
  /** Number of filters (output channels). */
  filters: positiveInt('filters'),
  /** Height and width of each filter. */
  kernel_size: pair('kernel_size'),
  /** Step of the filter across the image. */
  strides: pair('strides').default(1),
  /** "valid" shrinks the image by the kernel; "same" pads to keep its size. */
  padding: padding.default('valid'),
  activation: activation.default('relu'),
});

export const maxPooling2dSchema = z.object({
  type: z.literal('MaxPooling2D'),
  /** Size of the window whose maximum is kept. */
  pool_size: pair('pool_size').default(2),
  /** Defaults to pool_size, as in Keras. */
  strides: pair('strides').nullable().default(null),
  padding: padding.default('valid'),
});

export const flattenSchema = z.object({ type: z.literal('Flatten') });

export const denseSchema = z.object({
  type: z.literal('Dense'),
  /** Number of neurons; each computes Z = WX + b then its activation. */
  units: positiveInt('units'),
  activation: activation.default('relu'),
});

export const dropoutSchema = z.object({
  type: z.literal('Dropout'),
  /** Fraction of inputs set to zero at each training step. */
  rate: z.number().min(0, 'Dropout rate must be at least 0.').lt(1, 'Dropout rate must be below 1.'),
});

export const layerSchema = z.discriminatedUnion('type', [
  conv2dSchema,
  maxPooling2dSchema,
  flattenSchema,
  denseSchema,
  dropoutSchema,
]);
export type LayerSpec = z.infer<typeof layerSchema>;
export type LayerType = LayerSpec['type'];

export const inputSchema = z.object({
  /** Image width in pixels after resizing. */
  width: positiveInt('width').max(1024, 'Input width above 1024 pixels is not supported.'),
  /** Image height in pixels after resizing. */
  height: positiveInt('height').max(1024, 'Input height above 1024 pixels is not supported.'),
  /** 3 for RGB, 1 for grayscale. */
  channels: z.union([z.literal(1), z.literal(3)], { error: 'Channels must be 1 (grayscale) or 3 (RGB).' }),
  /** How an image of another shape is fitted: squash (stretch), crop (centre), pad. */
  resize: z.enum(['squash', 'crop', 'pad']).default('squash'),
});
export type InputSpec = z.infer<typeof inputSchema>;

export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop'] as const;

export const trainingSchema = z.object({
  optimizer: z.enum(OPTIMIZERS).default('adam'),
  /** Step size of each weight update. */
  learning_rate: z.number().positive('Learning rate must be above 0.').max(10, 'Learning rate above 10 diverges.').default(0.001),
  /** Passes over the whole training set. */
  epochs: positiveInt('epochs').max(10000).default(10),
  /** Images per weight update; one batch is one iteration. */
  batch_size: positiveInt('batch_size').max(4096).default(32),
  /** Makes shuffling and initial weights repeatable. */
  seed: z.number().int().nonnegative().default(42),
});
export type TrainingSpec = z.infer<typeof trainingSchema>;

export const backboneSchema = z.object({
  /** Id of a pretrained network in the backbone catalogue (or of one imported from a folder), e.g. "mobilenet-v2-1.0-224". */
  id: z.string().min(1, 'Choose a pretrained network.').max(100),
  /** How many of the backbone's last blocks are trained too; 0 keeps it frozen (features only). */
  trainable_blocks: z.number().int().min(0, 'Trainable blocks cannot be negative.').max(20, 'At most 20 blocks can be fine-tuned.').default(0),
});
export type BackboneSpec = z.infer<typeof backboneSchema>;

export const modelSpecSchema = z.object({
  version: z.literal(SPEC_VERSION, { error: (i) => `Unsupported spec version ${JSON.stringify(i.input)}; this Capa reads version ${SPEC_VERSION}.` }),
  /** Which preset the spec started from. */
  preset: z.string().max(64).default('custom'),
  input: inputSchema,
  /** A pretrained network that turns each image into a feature vector; `layers` then form the head on those features. */
  backbone: backboneSchema.optional(),
  /** Hidden layers in order; the softmax output layer (one unit per class) is added at build time. */
  layers: z.array(layerSchema).max(200),
  training: trainingSchema,
});
export type ModelSpec = z.infer<typeof modelSpecSchema>;
/** A spec as a person or a file may write it: fields with defaults may be left out. */
export type ModelSpecInput = z.input<typeof modelSpecSchema>;

/** Parses and fills defaults; throws nothing, returns the issues with their paths. */
export function parseSpec(value: unknown): { ok: true; spec: ModelSpec } | { ok: false; issues: SpecIssue[] } {
  const parsed = modelSpecSchema.safeParse(value);
  if (parsed.success) return { ok: true, spec: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message })),
  };
}

/** One problem with a spec, next to the field it concerns. */
export interface SpecIssue {
  /** Field path, e.g. ["layers", "2", "units"]. */
  path: string[];
  /** A sentence a person can act on. */
  message: string;
}

/** Normalises a Keras pair (`3` or `[3, 3]`) to `[h, w]`. */
export function asPair(value: number | readonly [number, number]): [number, number] {
  return typeof value === 'number' ? [value, value] : [value[0], value[1]];
}
