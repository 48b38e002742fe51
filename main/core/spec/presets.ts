// Ready-made specs. Sizes follow the input so that each preset fits the image it receives.
import { SPEC_VERSION, type InputSpec, type ModelSpec, type TrainingSpec } from './spec';

/** A preset as the model screen lists it. */
export interface Preset {
  /** Stable id stored in `spec.preset`. */
  id: 'transfer' | 'small-cnn' | 'mlp';
  /** Name shown to a person. */
  title: string;
  /** One sentence on what it is and when to use it. */
  description: string;
  /** Builds the spec for an input. */
  build(input: InputSpec, training?: Partial<TrainingSpec>): ModelSpec;
}

export const DEFAULT_INPUT: InputSpec = { width: 64, height: 64, channels: 3, resize: 'squash' };
export const DEFAULT_TRAINING: TrainingSpec = { optimizer: 'adam', learning_rate: 0.001, epochs: 10, batch_size: 32, seed: 42 };

/** The backbone the transfer-learning preset starts with (see main/core/backbones/catalogue.ts). */
export const DEFAULT_BACKBONE = { id: 'mobilenet-v2-1.0-224', size: 224 } as const;

export const PRESETS: readonly Preset[] = [
  {
    id: 'small-cnn',
    title: 'Small CNN',
    description: 'Two convolution + pooling blocks that learn edges and shapes, then a dense layer that decides. A good first model.',
    build: (input, training) => ({
      version: SPEC_VERSION,
      preset: 'small-cnn',
      input,
      layers: [
        { type: 'Conv2D', filters: 16, kernel_size: 3, strides: 1, padding: 'valid', activation: 'relu' },
        { type: 'MaxPooling2D', pool_size: 2, strides: null, padding: 'valid' },
        { type: 'Conv2D', filters: 32, kernel_size: 3, strides: 1, padding: 'valid', activation: 'relu' },
        { type: 'MaxPooling2D', pool_size: 2, strides: null, padding: 'valid' },
        { type: 'Flatten' },
        { type: 'Dense', units: Math.min(128, Math.max(32, Math.round(Math.sqrt(input.width * input.height) * 1.5))), activation: 'relu' },
      ],
      training: { ...DEFAULT_TRAINING, ...training },
    }),
  },
  {
    id: 'mlp',
    title: 'MLP',
    description: 'Flatten the pixels and pass them through two dense layers: the network of the course, fine for small, centred images.',
    build: (input, training) => ({
      version: SPEC_VERSION,
      preset: 'mlp',
      input,
      layers: [
        { type: 'Flatten' },
        { type: 'Dense', units: 128, activation: 'relu' },
        { type: 'Dense', units: 64, activation: 'relu' },
      ],
      training: { ...DEFAULT_TRAINING, ...training },
    }),
  },
  {
    id: 'transfer',
    title: 'Transfer learning (recommended)',
    description: 'A network pretrained on millions of photos turns each image into features; only a small head learns your classes. Accurate with few images, and fast.',
    // Listed last until the model screen can download a backbone, so new projects keep a preset
    // that trains offline. The backbone fixes the input: it was trained on square RGB images of its own size.
    build: (_input, training) => ({
      version: SPEC_VERSION,
      preset: 'transfer',
      input: { width: DEFAULT_BACKBONE.size, height: DEFAULT_BACKBONE.size, channels: 3, resize: 'crop' },
      backbone: { id: DEFAULT_BACKBONE.id, trainable_blocks: 0 },
      layers: [{ type: 'Dropout', rate: 0.2 }],
      training: { ...DEFAULT_TRAINING, epochs: 20, ...training },
    }),
  },
];

export function presetById(id: string): Preset | undefined {
  return PRESETS.find((preset) => preset.id === id);
}
