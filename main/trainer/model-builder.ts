// Turns a ModelSpec into a compiled tf.LayersModel: the layers in the spec's order under their
// Keras names, then Dense(numClasses, softmax). Initial weights come from seeded initializers so
// a run with the same seed starts from the same weights (and, on CPU/WASM, repeats exactly).
import { asPair, type LayerSpec, type ModelSpec, type TrainingSpec } from '../core/spec/spec';
import type { Tf } from './tf';

type Layer = import('@tensorflow/tfjs').layers.Layer;
type LayersModel = import('@tensorflow/tfjs').LayersModel;
type Optimizer = import('@tensorflow/tfjs').Optimizer;

/** A distinct, repeatable seed for the n-th randomised thing of a run. */
export function derivedSeed(seed: number, n: number): number {
  return (Math.imul(seed + 1, 2_654_435_761) + Math.imul(n + 1, 40_503)) >>> 0;
}

function toLayer(tf: Tf, layer: LayerSpec, index: number, seed: number, inputShape: number[] | undefined): Layer {
  const first = inputShape ? { inputShape } : {};
  const kernelInitializer = () => tf.initializers.glorotUniform({ seed: derivedSeed(seed, index) });
  switch (layer.type) {
    case 'Conv2D':
      return tf.layers.conv2d({
        ...first,
        filters: layer.filters,
        kernelSize: asPair(layer.kernel_size),
        strides: asPair(layer.strides),
        padding: layer.padding,
        activation: layer.activation,
        kernelInitializer: kernelInitializer(),
      });
    case 'MaxPooling2D':
      return tf.layers.maxPooling2d({
        ...first,
        poolSize: asPair(layer.pool_size),
        strides: asPair(layer.strides ?? layer.pool_size),
        padding: layer.padding,
      });
    case 'Flatten':
      return tf.layers.flatten(first);
    case 'Dense':
      return tf.layers.dense({ ...first, units: layer.units, activation: layer.activation, kernelInitializer: kernelInitializer() });
    case 'Dropout':
      // The seed is replaced before every batch (see train.ts): a fixed seed would drop the same
      // units at every step.
      return tf.layers.dropout({ ...first, rate: layer.rate, seed: derivedSeed(seed, index) });
  }
}

/** The optimizer a spec names, with its learning rate and Keras's default other parameters. */
export function makeOptimizer(tf: Tf, training: TrainingSpec): Optimizer {
  switch (training.optimizer) {
    case 'adam':
      return tf.train.adam(training.learning_rate, 0.9, 0.999, 1e-7);
    case 'sgd':
      return tf.train.sgd(training.learning_rate);
    case 'rmsprop':
      return tf.train.rmsprop(training.learning_rate, 0.9, 0, 1e-7);
  }
}

/** Builds and compiles the network of `spec` for `numClasses` classes. */
export function buildModel(tf: Tf, spec: ModelSpec, numClasses: number): LayersModel {
  if (numClasses < 2) throw new Error(`Training needs at least 2 classes with images. Received: ${numClasses}`);
  const seed = spec.training.seed;
  const inputShape = [spec.input.height, spec.input.width, spec.input.channels];
  const model = tf.sequential();
  spec.layers.forEach((layer, index) => model.add(toLayer(tf, layer, index, seed, index === 0 ? inputShape : undefined)));
  // Dense on an image would classify every pixel; Keras allows it, a classifier cannot use it.
  if (spec.layers.length === 0 || model.outputs[0]!.shape.length > 2) {
    throw new Error('The layers end with an image, not a vector: add a Flatten layer before the output layer.');
  }
  model.add(
    tf.layers.dense({
      units: numClasses,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed: derivedSeed(seed, spec.layers.length) }),
    }),
  );
  model.compile({ optimizer: makeOptimizer(tf, spec.training), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
