// The "look inside" part of the contract: what each layer of a trained model computes for one
// picture (feature maps and activations), and the first convolutional layer's filters as a run
// trains. Types only, plus the names.

/** Channels of a feature map sent per layer: enough to see what it detects, small enough to send. */
export const MAX_MAP_CHANNELS = 8;
/** Longest side of a feature map sent; a larger map is sampled every `step` pixels. */
export const MAX_MAP_SIDE = 64;
/** Units of a vector layer sent (a Dense layer's activations). */
export const MAX_VECTOR_UNITS = 64;
/** Filters of the first convolutional layer sent in a `filters` run event. */
export const MAX_FILTERS = 32;

/** What one layer computed for the picture: feature maps (an image-shaped output) or a vector. */
export type LayerActivations =
  | {
      kind: 'maps';
      /** Keras-style layer name, e.g. "conv2d". */
      name: string;
      /** Layer class name, e.g. "Conv2D". */
      type: string;
      /** Output shape without the batch dimension: [height, width, channels]. */
      shape: number[];
      /** Height of each map sent (the output's, or less when sampled). */
      height: number;
      /** Width of each map sent. */
      width: number;
      /** 1 when every pixel is sent; n when every n-th row and column is. */
      step: number;
      /** The first channels' maps (at most MAX_MAP_CHANNELS), each row-major `height * width` raw values. */
      maps: number[][];
    }
  | {
      kind: 'vector';
      /** Keras-style layer name, e.g. "dense". */
      name: string;
      /** Layer class name, e.g. "Dense". */
      type: string;
      /** Output shape without the batch dimension: [units]. */
      shape: number[];
      /** The first units' raw values (at most MAX_VECTOR_UNITS). */
      values: number[];
    };

/** Every layer's activations for one picture, first layer first; the last is the output (class probabilities). */
export interface ActivationsView {
  /** One entry per layer of the saved model, in order; a transfer run lists only the head's layers. */
  layers: LayerActivations[];
  /** The pretrained network a transfer run puts before these layers (shown as one block), or null. */
  backbone: string | null;
  /** Class names in the output's order. */
  classNames: string[];
}

/** The first convolutional layer's filters after an epoch, each a small image (a `filters` run event carries it). */
export interface FilterImages {
  /** Filters sent (at most MAX_FILTERS, the layer's first ones). */
  count: number;
  /** Filters in the layer. */
  total: number;
  /** Kernel height in pixels. */
  height: number;
  /** Kernel width in pixels. */
  width: number;
  /** 3 when the layer sees a colour picture (shown in colour), else 1 (input channels averaged). */
  channels: 1 | 3;
  /** 0..255 per value, each filter stretched to its own min..max; filter after filter, row-major, channels last. */
  values: number[];
}

/** Where the picture to look inside comes from: one of the project's pictures, or bytes sent by the renderer. */
export type ActivationsImage = { imageId: number } | { bytes: Uint8Array };

/** Operations that show what a network computes inside. */
export interface ActivationOperations {
  /** Runs one picture through a finished run's best weights and returns what each layer computed. */
  activations: { request: { projectId: string; runId: string; image: ActivationsImage }; response: ActivationsView };
}

export const ACTIVATION_OPERATION_NAMES = ['activations'] as const satisfies readonly (keyof ActivationOperations)[];
