// A spec that uses every layer kind and sets every field away from its default, for round-trip,
// Keras-code and summary tests.
import { layer } from '../../common/model/presets';
import { SPEC_VERSION, type ModelSpec } from '../../common/model/spec';

export function everyFieldSpec(): ModelSpec {
  return {
    version: SPEC_VERSION,
    preset: 'custom',
    input: { width: 40, height: 32, channels: 1, resize: 'pad' },
    augmentation: { flip: 'horizontal_and_vertical', rotation: 0.1, zoom: 0.2, translation: 0.15, brightness: 0.3, contrast: 0.25 },
    layers: [
      layer({ type: 'Rescaling', scale: 2, offset: -1 }),
      layer({ type: 'ZeroPadding2D', padding: [2, 1] }),
      layer({ type: 'Conv2D', filters: 8, kernel_size: [5, 3], strides: [1, 2], padding: 'same', activation: 'elu', kernel_initializer: 'he_normal', kernel_regularizer: { l1: 0.001, l2: 0.01 } }),
      layer({ type: 'BatchNormalization', momentum: 0.9, epsilon: 0.01 }),
      layer({ type: 'Activation', activation: 'leaky_relu' }),
      layer({ type: 'SeparableConv2D', filters: 12, kernel_size: 3, strides: 1, padding: 'valid', depth_multiplier: 2, activation: 'gelu', depthwise_initializer: 'lecun_normal', pointwise_initializer: 'he_uniform', depthwise_regularizer: { l1: 0, l2: 0.02 }, pointwise_regularizer: { l1: 0.03, l2: 0 } }),
      layer({ type: 'MaxPooling2D', pool_size: [2, 3], strides: [2, 1], padding: 'same' }),
      layer({ type: 'DepthwiseConv2D', kernel_size: 3, strides: 2, padding: 'same', depth_multiplier: 3, activation: 'selu', depthwise_initializer: 'glorot_normal', depthwise_regularizer: { l1: 0.1, l2: 0.2 } }),
      layer({ type: 'SpatialDropout2D', rate: 0.1 }),
      layer({ type: 'AveragePooling2D', pool_size: 2, strides: 1, padding: 'valid' }),
      layer({ type: 'LayerNormalization', epsilon: 0.0001 }),
      { ...layer({ type: 'GlobalMaxPooling2D' }), enabled: false },
      layer({ type: 'GlobalAveragePooling2D' }),
      layer({ type: 'Flatten' }),
      layer({ type: 'Dense', units: 24, activation: 'swish', kernel_initializer: 'lecun_uniform', kernel_regularizer: { l1: 0, l2: 0.001 } }),
      layer({ type: 'Dropout', rate: 0.4 }),
    ],
    training: {
      optimizer: 'sgd',
      learning_rate: 0.05,
      momentum: 0.9,
      nesterov: true,
      epochs: 7,
      batch_size: 16,
      validation: 'none',
      early_stopping: { monitor: 'val_accuracy', patience: 3, min_delta: 0.01, restore_best_weights: false },
      reduce_lr_on_plateau: { monitor: 'loss', factor: 0.5, patience: 2, min_lr: 0.0001 },
      class_weight: 'balanced',
      time_budget_minutes: 30,
      seed: 1234,
    },
  };
}
