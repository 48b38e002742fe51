// Which "Learn more" topics a layer row offers: the layer kind's own, plus the one that explains
// the parameter last focused (common/model/explanations.ts says which explains which).
import { LAYER_FIELDS, LAYER_TOPICS, type LearnTopic } from '../../../common/model/explanations';
import type { ActivationFunction, LayerType } from '../../../common/model/layers';

export type { LearnTopic } from '../../../common/model/explanations';

/** The topics that explain a layer of this kind, with the focused parameter's topic added when it is another. */
export function layerTopics(type: LayerType, focusedField: string | null = null): LearnTopic[] {
  const topics = [...LAYER_TOPICS[type]];
  const field = LAYER_FIELDS[type].find((f) => f.key === focusedField);
  if (field && !topics.includes(field.topic)) topics.push(field.topic);
  return topics;
}

/** The activation function a layer applies, for the activation picture (relu when it names none). */
export function layerActivation(layer: { activation?: string }): ActivationFunction {
  return (layer.activation as ActivationFunction | undefined) ?? 'relu';
}
