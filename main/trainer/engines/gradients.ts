// One shard's gradients, as the data-parallel engine computes them on every thread: the same loss
// as `model.trainOnBatch` after `compile({ loss: 'categoricalCrossentropy', metrics: ['accuracy'] })`
// (the mean categorical cross-entropy over the shard; class weights are in the targets), so one
// shard of the whole batch gives trainOnBatch's gradients.
import type { Tf } from '../tf';

type LayersModel = import('@tensorflow/tfjs').LayersModel;
type Tensor = import('@tensorflow/tfjs').Tensor;
type Variable = import('@tensorflow/tfjs').Variable;

/** The variables the optimizer updates, in the model's order. */
export function trainableVariables(model: LayersModel): Variable[] {
  return model.trainableWeights.map((weight) => weight.read() as Variable);
}

/** Gradients of the mean loss over `x`; the caller disposes `grads`. */
export function shardGradients(tf: Tf, model: LayersModel, x: Tensor, y: Tensor): { loss: number; correct: number; grads: Tensor[] } {
  const variables = trainableVariables(model);
  let correct: Tensor | null = null;
  const { value, grads } = tf.variableGrads(() => {
    const prediction = model.apply(x, { training: true }) as Tensor;
    correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(y, -1), tf.argMax(prediction, -1)), 'float32')));
    return tf.mean(tf.metrics.categoricalCrossentropy(y, prediction)) as import('@tensorflow/tfjs').Scalar;
  }, variables);
  const loss = value.dataSync()[0]!;
  value.dispose();
  const count = correct ? (correct as Tensor).dataSync()[0]! : 0;
  (correct as Tensor | null)?.dispose();
  return { loss, correct: count, grads: variables.map((v) => grads[v.name]!) };
}

/** Sets Dropout seeds: the batch's seeds, moved by the shard's index so shards draw different masks. */
export function seedDropouts(layers: { seed?: number }[], seeds: readonly number[], shard: number): void {
  layers.forEach((layer, i) => (layer.seed = ((seeds[i] ?? 0) + shard * 7_919) >>> 0));
}
