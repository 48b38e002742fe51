// Ready-made specs. Sizes follow the input so that each preset fits the image it receives: a
// convolution block is added only while the image is still large enough to be halved.
import type { z } from 'zod';
import type { Said } from '../messages/said';
import { said } from '../messages/said';
import {
  layerSchema,
  SPEC_VERSION,
  trainingSchema,
  NO_AUGMENTATION,
  type InputSpec,
  type LayerSpec,
  type ModelSpec,
  type TrainingSpec,
} from './spec';

/** A preset as the model screen lists it. */
export interface Preset {
  /** Stable id stored in `spec.preset`. */
  id: string;
  /** Name shown to a person. */
  title: Said;
  /** One sentence on what it is and when to use it. */
  description: Said;
  /** Builds the spec for an input, keeping the given training settings. */
  build(input: InputSpec, training?: Partial<TrainingSpec>): ModelSpec;
}

export const DEFAULT_INPUT: InputSpec = { width: 64, height: 64, channels: 3, resize: 'squash' };
/** Keras's defaults plus Capa's epochs and seed. */
export const DEFAULT_TRAINING: TrainingSpec = trainingSchema.parse({
  optimizer: 'adam',
  learning_rate: 0.001,
  epochs: 10,
  batch_size: 32,
  seed: 42,
});

/** The preset of a project whose spec was never saved (listed first by the model screen). */
export const DEFAULT_PRESET_ID = 'transfer';

/** The preset that trains without any download, offered when the default's backbone is missing. */
export const OFFLINE_PRESET_ID = 'small-cnn';

/** The backbone the transfer-learning preset starts with (see main/core/backbones/catalogue.ts). */
export const DEFAULT_BACKBONE = { id: 'mobilenet-v2-1.0-224', size: 224 } as const;

/** A layer from its Keras arguments, with Keras's defaults filled in. */
export const layer = (args: z.input<typeof layerSchema>): LayerSpec => layerSchema.parse(args);

/** How many times an image of this input can pass a block that maps size s to `next(s)`, up to `max`. */
function blocksThatFit(input: InputSpec, next: (size: number) => number, max: number): number {
  let size = Math.min(input.width, input.height);
  let blocks = 0;
  while (blocks < max && next(size) >= 1) {
    size = next(size);
    blocks++;
  }
  return blocks;
}

function spec(id: string, input: InputSpec, layers: LayerSpec[], training?: Partial<TrainingSpec>): ModelSpec {
  return {
    version: SPEC_VERSION,
    preset: id,
    input,
    augmentation: { ...NO_AUGMENTATION },
    layers,
    training: { ...DEFAULT_TRAINING, ...training },
  };
}

export const PRESETS: readonly Preset[] = [
  {
    id: 'transfer',
    title: said('model.presets.transfer.title'),
    description: said('model.presets.transfer.description'),
    // The default, as in Teachable Machine, Lobe and Create ML. Its backbone is downloaded once on
    // the model screen; until then training says so and offers Small CNN, which needs no download.
    // The backbone fixes the input: it was trained on square RGB images of its own size.
    build: (_input, training) => ({
      ...spec(
        'transfer',
        { width: DEFAULT_BACKBONE.size, height: DEFAULT_BACKBONE.size, channels: 3, resize: 'crop' },
        [layer({ type: 'Dropout', rate: 0.2 })],
        {
          epochs: 20,
          ...training,
        },
      ),
      backbone: { id: DEFAULT_BACKBONE.id, trainable_blocks: 0 },
    }),
  },
  {
    id: 'small-cnn',
    title: said('model.presets.smallCnn.title'),
    description: said('model.presets.smallCnn.description'),
    build: (input, training) => {
      // Conv2D 3x3 'valid' then MaxPooling2D 2: s -> floor((s - 2) / 2).
      const blocks = blocksThatFit(input, (s) => (s >= 4 ? Math.floor((s - 2) / 2) : 0), 2);
      const convs = Array.from({ length: blocks }, (_, b) => [
        layer({ type: 'Conv2D', filters: 16 * 2 ** b, kernel_size: 3, activation: 'relu' }),
        layer({ type: 'MaxPooling2D', pool_size: 2 }),
      ]).flat();
      const units = Math.min(128, Math.max(32, Math.round(Math.sqrt(input.width * input.height) * 1.5)));
      return spec(
        'small-cnn',
        input,
        [...convs, layer({ type: 'Flatten' }), layer({ type: 'Dense', units, activation: 'relu' })],
        training,
      );
    },
  },
  {
    id: 'deeper-cnn',
    title: said('model.presets.deeperCnn.title'),
    description: said('model.presets.deeperCnn.description'),
    build: (input, training) => {
      // 'same' convolutions keep the size; each MaxPooling2D halves it. Stop at 4x4 or four blocks.
      const blocks = blocksThatFit(input, (s) => (s >= 8 ? Math.floor(s / 2) : 0), 4);
      const convs = Array.from({ length: blocks }, (_, b) => [
        layer({
          type: 'Conv2D',
          filters: 32 * 2 ** b,
          kernel_size: 3,
          padding: 'same',
          activation: 'linear',
          kernel_initializer: 'he_uniform',
        }),
        layer({ type: 'BatchNormalization' }),
        layer({ type: 'Activation', activation: 'relu' }),
        layer({ type: 'MaxPooling2D', pool_size: 2 }),
      ]).flat();
      const head = [
        layer({ type: 'GlobalAveragePooling2D' }),
        layer({ type: 'Dense', units: 128, activation: 'relu', kernel_initializer: 'he_uniform' }),
        layer({ type: 'Dropout', rate: 0.5 }),
      ];
      return spec('deeper-cnn', input, [...convs, ...head], training);
    },
  },
  {
    id: 'mlp',
    title: said('model.presets.mlp.title'),
    description: said('model.presets.mlp.description'),
    build: (input, training) =>
      spec(
        'mlp',
        input,
        [
          layer({ type: 'Flatten' }),
          layer({ type: 'Dense', units: 128, activation: 'relu' }),
          layer({ type: 'Dense', units: 64, activation: 'relu' }),
        ],
        training,
      ),
  },
];

/**
 * The input another preset starts from when leaving `spec`: a backbone fixed its input (224 px,
 * cropped), which nobody chose and which would make a network trained from scratch slow, so
 * leaving transfer learning goes back to the default input.
 */
export function presetInput(spec: Pick<ModelSpec, 'input' | 'backbone'>): InputSpec {
  return spec.backbone ? { ...DEFAULT_INPUT } : spec.input;
}

export function presetById(id: string): Preset | undefined {
  return PRESETS.find((preset) => preset.id === id);
}
