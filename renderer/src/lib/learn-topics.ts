// Which "Learn more" topic explains which setting: a layer's kind picks its picture.
import type { ActivationFunction, LayerType } from '../../../main/core/spec/layers';

/** A "Learn more" panel: its picture and sentences (catalogue namespace "learn"). */
export type LearnTopic = 'activation' | 'kernel' | 'dropout' | 'pooling' | 'batch' | 'learningRate' | 'augmentation';

/** The topics that explain a layer of this kind (none for the few with nothing to draw). */
export function layerTopics(type: LayerType): LearnTopic[] {
  switch (type) {
    case 'Conv2D':
    case 'SeparableConv2D':
    case 'DepthwiseConv2D':
      return ['kernel', 'activation'];
    case 'Dense':
    case 'Activation':
      return ['activation'];
    case 'Dropout':
    case 'SpatialDropout2D':
      return ['dropout'];
    case 'MaxPooling2D':
    case 'AveragePooling2D':
    case 'GlobalMaxPooling2D':
    case 'GlobalAveragePooling2D':
      return ['pooling'];
    default:
      return [];
  }
}

/** The activation function a layer applies, for the activation picture (relu when it names none). */
export function layerActivation(layer: { activation?: string }): ActivationFunction {
  return (layer.activation as ActivationFunction | undefined) ?? 'relu';
}
