// Turns a ModelSpec into a compiled tf.LayersModel: the enabled layers in the spec's order under
// their Keras names, then Dense(numClasses, softmax). Initial weights come from seeded
// initializers so a run with the same seed starts from the same weights (and, on CPU/WASM,
// repeats exactly).
import { asPair, type Initializer, type LayerSpec, type ModelSpec, type Regularizer, type TrainingSpec } from '../../common/model/spec';
import type { Tf } from './tf';

type Layer = import('@tensorflow/tfjs').layers.Layer;
type LayersModel = import('@tensorflow/tfjs').LayersModel;
type Optimizer = import('@tensorflow/tfjs').Optimizer;
type TfInitializer = ReturnType<Tf['initializers']['glorotUniform']>;
type TfRegularizer = ReturnType<Tf['regularizers']['l1l2']>;

/** Keras's `leaky_relu` activation function uses this negative slope. */
export const LEAKY_RELU_SLOPE = 0.2;

/** A distinct, repeatable seed for the n-th randomised thing of a run. */
export function derivedSeed(seed: number, n: number): number {
  return (Math.imul(seed + 1, 2_654_435_761) + Math.imul(n + 1, 40_503)) >>> 0;
}

function initializer(tf: Tf, name: Initializer, seed: number): TfInitializer {
  const args = { seed };
  switch (name) {
    case 'glorot_uniform':
      return tf.initializers.glorotUniform(args);
    case 'glorot_normal':
      return tf.initializers.glorotNormal(args);
    case 'he_uniform':
      return tf.initializers.heUniform(args);
    case 'he_normal':
      return tf.initializers.heNormal(args);
    case 'lecun_uniform':
      return tf.initializers.leCunUniform(args);
    case 'lecun_normal':
      return tf.initializers.leCunNormal(args);
  }
}

function regularizer(tf: Tf, value: Regularizer): TfRegularizer | undefined {
  return value && (value.l1 > 0 || value.l2 > 0) ? tf.regularizers.l1l2({ l1: value.l1, l2: value.l2 }) : undefined;
}

function toLayer(tf: Tf, layer: LayerSpec, index: number, seed: number, inputShape: number[] | undefined): Layer {
  const first = inputShape ? { inputShape } : {};
  // Two seeds per layer index: SeparableConv2D draws two kernels.
  const init = (name: Initializer, which = 0) => initializer(tf, name, derivedSeed(seed, index + which * 100_000));
  const window = (l: { strides: number | [number, number]; padding: 'valid' | 'same' }) => ({
    strides: asPair(l.strides),
    padding: l.padding,
  });
  switch (layer.type) {
    case 'Conv2D':
      return tf.layers.conv2d({
        ...first,
        ...window(layer),
        filters: layer.filters,
        kernelSize: asPair(layer.kernel_size),
        activation: layer.activation,
        kernelInitializer: init(layer.kernel_initializer),
        kernelRegularizer: regularizer(tf, layer.kernel_regularizer),
      });
    case 'SeparableConv2D':
      return tf.layers.separableConv2d({
        ...first,
        ...window(layer),
        filters: layer.filters,
        kernelSize: asPair(layer.kernel_size),
        depthMultiplier: layer.depth_multiplier,
        activation: layer.activation,
        depthwiseInitializer: init(layer.depthwise_initializer),
        pointwiseInitializer: init(layer.pointwise_initializer, 1),
        depthwiseRegularizer: regularizer(tf, layer.depthwise_regularizer),
        pointwiseRegularizer: regularizer(tf, layer.pointwise_regularizer),
      });
    case 'DepthwiseConv2D':
      return tf.layers.depthwiseConv2d({
        ...first,
        ...window(layer),
        kernelSize: asPair(layer.kernel_size),
        depthMultiplier: layer.depth_multiplier,
        activation: layer.activation,
        depthwiseInitializer: init(layer.depthwise_initializer),
        depthwiseRegularizer: regularizer(tf, layer.depthwise_regularizer),
      });
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const args = {
        ...first,
        poolSize: asPair(layer.pool_size),
        strides: asPair(layer.strides ?? layer.pool_size),
        padding: layer.padding,
      };
      return layer.type === 'MaxPooling2D' ? tf.layers.maxPooling2d(args) : tf.layers.averagePooling2d(args);
    }
    case 'GlobalAveragePooling2D':
      return tf.layers.globalAveragePooling2d(first);
    case 'GlobalMaxPooling2D':
      return tf.layers.globalMaxPooling2d(first);
    case 'Flatten':
      return tf.layers.flatten(first);
    case 'Dense':
      return tf.layers.dense({
        ...first,
        units: layer.units,
        activation: layer.activation,
        kernelInitializer: init(layer.kernel_initializer),
        kernelRegularizer: regularizer(tf, layer.kernel_regularizer),
      });
    case 'Dropout':
    case 'SpatialDropout2D':
      // The seed is replaced before every batch (see train.ts): a fixed seed would drop the same
      // units at every step. SpatialDropout2D is Keras's Dropout with noise_shape (batch, 1, 1,
      // channels): whole feature maps are dropped (null takes the input's size).
      return tf.layers.dropout({
        ...first,
        rate: layer.rate,
        seed: derivedSeed(seed, index),
        ...(layer.type === 'SpatialDropout2D' ? { noiseShape: [null, 1, 1, null] as unknown as number[] } : {}),
      });
    case 'BatchNormalization':
      return tf.layers.batchNormalization({ ...first, momentum: layer.momentum, epsilon: layer.epsilon });
    case 'LayerNormalization':
      return tf.layers.layerNormalization({ ...first, epsilon: layer.epsilon });
    case 'Activation':
      // tfjs has no 'leaky_relu' activation string; its LeakyReLU layer computes the same function.
      return layer.activation === 'leaky_relu'
        ? tf.layers.leakyReLU({ ...first, alpha: LEAKY_RELU_SLOPE })
        : tf.layers.activation({ ...first, activation: layer.activation });
    case 'Rescaling':
      return tf.layers.rescaling({ ...first, scale: layer.scale, offset: layer.offset });
    case 'ZeroPadding2D': {
      const [ph, pw] = asPair(layer.padding);
      return tf.layers.zeroPadding2d({
        ...first,
        padding: [
          [ph, ph],
          [pw, pw],
        ],
      });
    }
  }
}

/** The optimizer a spec names, with its learning rate and Keras's default other parameters. */
export function makeOptimizer(tf: Tf, training: TrainingSpec): Optimizer {
  const lr = training.learning_rate;
  switch (training.optimizer) {
    case 'adam':
      return tf.train.adam(lr, 0.9, 0.999, 1e-7);
    case 'sgd':
      return training.momentum > 0 || training.nesterov ? tf.train.momentum(lr, training.momentum, training.nesterov) : tf.train.sgd(lr);
    case 'rmsprop':
      return tf.train.rmsprop(lr, 0.9, training.momentum, 1e-7);
    case 'adagrad':
      return tf.train.adagrad(lr, 0.1);
    case 'adadelta':
      return tf.train.adadelta(lr, 0.95, 1e-7);
    case 'adamax':
      return tf.train.adamax(lr, 0.9, 0.999, 1e-7, 0);
  }
}

/** Frees an optimizer and its state. */
export function disposeOptimizer(optimizer: Optimizer): void {
  // tfjs's MomentumOptimizer.dispose() does not call SGD's, so SGD's learning-rate scalar `c`
  // would leak one tensor per run with momentum; free it when the optimizer's own dispose did not.
  const c = (optimizer as unknown as { c?: import('@tensorflow/tfjs').Tensor }).c;
  optimizer.dispose();
  if (c && !c.isDisposed) c.dispose();
}

/** Sets an optimizer's learning rate in place (reduce-on-plateau); SGD keeps it in a tensor. */
export function setLearningRate(optimizer: Optimizer, value: number): void {
  const target = optimizer as unknown as { learningRate: number; setLearningRate?: (lr: number) => void };
  if (typeof target.setLearningRate === 'function') target.setLearningRate(value);
  else target.learningRate = value;
}

/** Builds and compiles the network of `spec` for `numClasses` classes. */
export function buildModel(tf: Tf, spec: ModelSpec, numClasses: number): LayersModel {
  if (numClasses < 2) throw new Error(`Training needs at least 2 classes with images. Received: ${numClasses}`);
  const seed = spec.training.seed;
  const inputShape = [spec.input.height, spec.input.width, spec.input.channels];
  const model = tf.sequential();
  // An explicit input layer lets the first enabled layer be any kind, and a model of no layers exist.
  model.add(tf.layers.inputLayer({ inputShape }));
  spec.layers.forEach((layer, index) => {
    if (layer.enabled) model.add(toLayer(tf, layer, index, seed, undefined));
  });
  // Dense on an image would classify every pixel; Keras allows it, a classifier cannot use it.
  if (model.outputs[0]!.shape.length > 2) {
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
