// The model spec: versioned JSON that names layers and parameters exactly as Keras does.
// This module is pure (zod only) so the renderer, IPC validation, the store and the CLI share it.
import { z } from 'zod';
import type { Said } from '../messages/said';
import { readSaid, zodSays } from '../messages/said';
import { numberIn, oneOf, positiveInt, shown } from './fields';
import { layerSchema } from './layers';

export * from './fields';
export * from './layers';

/** Version 2 added layer kinds, augmentation and training callbacks; version 1 specs are migrated. */
export const SPEC_VERSION = 2;

export const inputSchema = z.object({
  /** Image width in pixels after resizing. */
  width: positiveInt('width').max(1024, zodSays('model.spec.widthTooLarge', { max: 1024 })),
  /** Image height in pixels after resizing. */
  height: positiveInt('height').max(1024, zodSays('model.spec.heightTooLarge', { max: 1024 })),
  /** 3 for RGB, 1 for grayscale. */
  channels: z.union([z.literal(1), z.literal(3)], { error: (i) => zodSays('model.spec.channels', { received: shown(i.input) }) }),
  /** How an image of another shape is fitted: squash (stretch), crop (centre), pad. */
  resize: oneOf('resizeMode', ['squash', 'crop', 'pad']).default('squash'),
});
export type InputSpec = z.infer<typeof inputSchema>;

/** Random changes applied to training images only, batch by batch, as Keras's Random* layers do. */
export const augmentationSchema = z.object({
  /** Mirror images: Keras's RandomFlip mode, or none. */
  flip: oneOf('flip', ['none', 'horizontal', 'vertical', 'horizontal_and_vertical']).default('none'),
  /** Largest rotation, as a fraction of a full turn (0.1 = up to 36 degrees either way). */
  rotation: numberIn('rotation', 0, 0.5).default(0),
  /** Largest zoom in or out, as a fraction of the size. */
  zoom: numberIn('zoom', 0, 0.9).default(0),
  /** Largest shift, as a fraction of the width and height. */
  translation: numberIn('translation', 0, 0.5).default(0),
  /** Largest change of brightness, as a fraction of the full range. */
  brightness: numberIn('brightness', 0, 1).default(0),
  /** Largest change of contrast, as a fraction (0.2 = between 80% and 120%). */
  contrast: numberIn('contrast', 0, 1).default(0),
});
export type AugmentationSpec = z.infer<typeof augmentationSchema>;
export const NO_AUGMENTATION: AugmentationSpec = { flip: 'none', rotation: 0, zoom: 0, translation: 0, brightness: 0, contrast: 0 };

/** Optimizers by Keras's names (lower case, as `optimizer='adam'` takes them). */
export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop', 'adagrad', 'adadelta', 'adamax'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];
/** Quantities a callback can watch after each epoch. */
export const MONITORS = ['val_loss', 'val_accuracy', 'loss', 'accuracy'] as const;
export type Monitor = (typeof MONITORS)[number];
const monitor = oneOf('monitor', MONITORS);

export const earlyStoppingSchema = z.object({
  /** The quantity watched. */
  monitor: monitor.default('val_loss'),
  /** Epochs without improvement before training stops. */
  patience: positiveInt('patience').max(1000).default(5),
  /** Smallest change that counts as an improvement. */
  min_delta: numberIn('min_delta', 0, 10).default(0),
  /** Put back the weights of the best epoch when training stops. */
  restore_best_weights: z.boolean().default(true),
});
export type EarlyStoppingSpec = z.infer<typeof earlyStoppingSchema>;

export const reduceLrSchema = z.object({
  /** The quantity watched. */
  monitor: monitor.default('val_loss'),
  /** The learning rate is multiplied by this when progress stalls. */
  factor: numberIn('factor', 0, 1, true)
    .refine((v) => v > 0, { error: (i) => zodSays('model.spec.factor', { received: shown(i.input) }) })
    .default(0.1),
  /** Epochs without improvement before the rate is lowered. */
  patience: positiveInt('patience').max(1000).default(3),
  /** The rate is never lowered below this. */
  min_lr: numberIn('min_lr', 0, 1).default(0),
});
export type ReduceLrSpec = z.infer<typeof reduceLrSchema>;

export const trainingSchema = z.object({
  /** The rule that turns gradients into weight updates. */
  optimizer: oneOf('optimizer', OPTIMIZERS).default('adam'),
  /** Step size of each weight update. */
  learning_rate: z
    .number()
    .positive(zodSays('model.spec.learningRatePositive'))
    .max(10, zodSays('model.spec.learningRateTooHigh', { max: 10 }))
    .default(0.001),
  /** SGD and RMSprop: how much of the previous update carries into the next. */
  momentum: numberIn('momentum', 0, 1, true).default(0),
  /** SGD: look ahead along the momentum before computing the gradient. */
  nesterov: z.boolean().default(false),
  /** Passes over the whole training set. */
  epochs: positiveInt('epochs').max(10000).default(10),
  /** Images per weight update; one batch is one iteration. */
  batch_size: positiveInt('batch_size').max(4096).default(32),
  /** Which images measure progress: the dataset's validation split, or none. */
  validation: oneOf('validationSource', ['validation', 'none']).default('validation'),
  /** Stop when the monitored quantity stops improving; null to always run every epoch. */
  early_stopping: earlyStoppingSchema.nullable().default(null),
  /** Lower the learning rate when the monitored quantity stalls; null to keep it. */
  reduce_lr_on_plateau: reduceLrSchema.nullable().default(null),
  /** "balanced" weighs each class's errors by how rare it is, as scikit-learn's formula does. */
  class_weight: oneOf('classWeight', ['none', 'balanced']).default('none'),
  /** At most this many minutes of training: it ends at the epoch boundary where another epoch would not fit, with the best weights kept; null for no limit. */
  time_budget_minutes: numberIn('time_budget_minutes', 0.1, 10000).nullable().default(null),
  /** Makes shuffling, augmentation and initial weights repeatable. */
  seed: z
    .number()
    .int()
    .nonnegative()
    .max(2 ** 31 - 1)
    .default(42),
});
export type TrainingSpec = z.infer<typeof trainingSchema>;

export const backboneSchema = z.object({
  /** Id of a pretrained network in the backbone catalogue (or of one imported from a folder), e.g. "mobilenet-v2-1.0-224". */
  id: z.string().min(1, zodSays('model.spec.chooseBackbone')).max(100),
  /** How many of the backbone's last blocks are trained too; 0 keeps it frozen (features only). */
  trainable_blocks: z
    .number()
    .int()
    .min(0, zodSays('model.spec.trainableBlocksNegative'))
    .max(20, zodSays('model.spec.trainableBlocksTooMany', { max: 20 }))
    .default(0),
});
export type BackboneSpec = z.infer<typeof backboneSchema>;

export const modelSpecSchema = z.object({
  version: z.literal(SPEC_VERSION, { error: (i) => zodSays('model.spec.version', { received: shown(i.input), newest: SPEC_VERSION }) }),
  /** Which preset the spec started from ("custom" once edited). */
  preset: z.string().max(64).default('custom'),
  /** The images the model receives. */
  input: inputSchema,
  /** A pretrained network that turns each image into a feature vector; `layers` then form the head on those features. */
  backbone: backboneSchema.optional(),
  /** Random changes to training images; none by default. */
  augmentation: augmentationSchema.default(NO_AUGMENTATION),
  /** Hidden layers in order; the softmax output layer (one unit per class) is added at build time. */
  layers: z.array(layerSchema).max(200, zodSays('model.spec.tooManyLayers', { max: 200 })),
  /** Optimizer, epochs, batches and callbacks. */
  training: trainingSchema,
});
export type ModelSpec = z.infer<typeof modelSpecSchema>;
/** A spec as a person or a file may write it: fields with defaults may be left out. */
export type ModelSpecInput = z.input<typeof modelSpecSchema>;

/**
 * Brings an older spec to the current version. Version 1 differs only by fields that version 2
 * adds with defaults (augmentation, callbacks, layer options), so the defaults complete it.
 */
export function migrateSpec(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && (value as { version?: unknown }).version === 1)
    return { ...value, version: SPEC_VERSION };
  return value;
}

/** Migrates, parses and fills defaults; throws nothing, returns the issues with their paths. */
export function parseSpec(value: unknown): { ok: true; spec: ModelSpec } | { ok: false; issues: SpecIssue[] } {
  const parsed = modelSpecSchema.safeParse(migrateSpec(value), { error: builtInCheck });
  if (parsed.success) return { ok: true, spec: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => ({ path: issue.path.map(String), ...readSaid(issue.message) })),
  };
}

/**
 * The sentence for a check the schema states no message for (a missing field, a wrong type, a
 * bound written without one), so that no field shows zod's own English.
 */
function builtInCheck(issue: z.core.$ZodRawIssue): string {
  const field = String(issue.path?.at(-1) ?? 'spec');
  const received = shown(issue.input);
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? zodSays('model.spec.required', { field })
        : zodSays('model.spec.wrongType', { field, expected: issue.expected, received });
    case 'too_small':
      return zodSays('model.spec.tooSmall', { field, limit: Number(issue.minimum), received });
    case 'too_big':
      return zodSays('model.spec.tooBig', { field, limit: Number(issue.maximum), received });
    default:
      return zodSays('model.spec.invalid', { field, received });
  }
}

/** One problem with a spec, next to the field it concerns. */
export interface SpecIssue extends Said {
  /** Field path, e.g. ["layers", "2", "units"]. */
  path: string[];
}
