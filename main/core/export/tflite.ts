// TensorFlow Lite export: a graph of TFLite builtin operators built layer by layer from the
// saved model, encoded by tflite-flatbuffer.ts. TFLite is NHWC like TensorFlow.js, so no
// transposes: only the weights change layout (convolution filters OHWI, dense weights [out, in]).
// "int8" stores the convolution and dense weights as int8 with one scale per output channel
// (dynamic-range quantisation): activations stay float and the builtin kernels run their
// hybrid paths, so the file is about four times smaller at a small accuracy cost.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { said } from '../../../common/messages/said';
import { CAPA_VERSION } from '../service/version';
import { normalizationWeight, pairOf, transpose, zeroPadding } from './layer-math';
import { innerLayer, nestedCannotExpress, nestedNetwork, weightOf, type SavedLayer, type SavedModel, type Why } from './saved-model';
import {
  encodeTflite,
  FUSED,
  OP,
  OPTIONS,
  PADDING,
  TENSOR_TYPE,
  type BuiltinOptions,
  type OptionField,
  type TensorDef,
} from './tflite-flatbuffer';

/** How the TFLite file stores its weights. */
export type TfliteWeights = 'float32' | 'int8';
/** Names the signature gives the input and output. */
export const TFLITE_INPUT = 'input';
export const TFLITE_OUTPUT = 'probabilities';
/** File name of the model in the export folder. */
export const TFLITE_FILE = 'model.tflite';

/** Activations with a TFLite builtin (or a short chain of them), by Keras/TensorFlow.js name. */
const ACTIVATIONS = new Set(['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'swish', 'silu', 'gelu', 'leaky_relu']);
const LAYERS = new Set([
  'Conv2D',
  'SeparableConv2D',
  'DepthwiseConv2D',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling2D',
  'Flatten',
  'Reshape',
  'Dense',
  'Dropout',
  'SpatialDropout2D',
  'BatchNormalization',
  'LayerNormalization',
  'Activation',
  'LeakyReLU',
  'ReLU',
  'Rescaling',
  'ZeroPadding2D',
]);

/** The reason a layer cannot be written as TFLite builtins, or null. */
export function tfliteCannotExpress(layer: SavedLayer): Why | null {
  if (Array.isArray(layer.config['layers'])) return nestedCannotExpress(layer, tfliteCannotExpress);
  if (!LAYERS.has(layer.className)) return said('model.tflite.noLayer', { className: layer.className });
  const activation = layer.config['activation'];
  if (typeof activation === 'string' && !ACTIVATIONS.has(activation)) return said('model.tflite.noActivation', { activation });
  const max = layer.config['max_value'];
  if (
    layer.className === 'ReLU' &&
    ((max != null && Number(max) !== 6) ||
      Number(layer.config['negative_slope'] ?? 0) !== 0 ||
      Number(layer.config['threshold'] ?? 0) !== 0)
  ) {
    return said('model.tflite.relu');
  }
  if (layer.className === 'LayerNormalization' && [layer.config['axis']].flat().length !== 1) {
    return said('model.tflite.layerNormalizationAxes');
  }
  return null;
}

const field = (slot: number, kind: OptionField['kind'], value: number | boolean, otherwise: number | boolean = 0): OptionField => ({
  slot,
  kind,
  value,
  otherwise,
});
const options = (type: number, ...fields: OptionField[]): BuiltinOptions => ({ type, fields });
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const bytesOf = (values: Float32Array | Int32Array | Int8Array) => new Uint8Array(values.buffer, values.byteOffset, values.byteLength);

/** Output length of a convolution or pooling window along one axis, as TensorFlow computes it. */
function windowOut(length: number, window: number, stride: number, dilation: number, padding: unknown): number {
  return padding === 'same' ? Math.ceil(length / stride) : Math.floor((length - (window - 1) * dilation - 1) / stride) + 1;
}

/** Symmetric int8 values of `values` with one scale per slice along `axis` of `shape`. */
export function quantizeSymmetric(values: Float32Array, shape: number[], axis: number): { values: Int8Array; scale: number[] } {
  const channels = shape[axis]!;
  const inner = size(shape.slice(axis + 1));
  const channelOf = (i: number) => Math.floor(i / inner) % channels;
  const largest = new Array<number>(channels).fill(0);
  values.forEach((v, i) => (largest[channelOf(i)] = Math.max(largest[channelOf(i)]!, Math.abs(v))));
  const scale = largest.map((m) => (m > 0 ? m / 127 : 1));
  return { values: Int8Array.from(values, (v, i) => Math.round(v / scale[channelOf(i)]!)), scale };
}

/** Builds the tensors and operators while walking the layers; `current` is the running value. */
class GraphBuilder {
  readonly tensors: TensorDef[] = [];
  readonly operators: { code: number; inputs: number[]; outputs: number[]; options?: BuiltinOptions }[] = [];
  current: number;
  shape: number[];

  constructor(
    inputShape: number[],
    private readonly weights: TfliteWeights,
  ) {
    this.shape = [1, ...inputShape];
    this.current = this.activation(TFLITE_INPUT, this.shape);
  }

  private push(tensor: TensorDef): number {
    this.tensors.push(tensor);
    return this.tensors.length - 1;
  }

  private activation(name: string, shape: number[]): number {
    // Batch 1 throughout, fixed: what mobile interpreters expect; runtimes can still resize the input.
    return this.push({ name, shape, type: TENSOR_TYPE.FLOAT32, data: null });
  }

  /** A float32 (or int32) constant. */
  constant(name: string, shape: number[], values: Float32Array | Int32Array): number {
    const type = values instanceof Int32Array ? TENSOR_TYPE.INT32 : TENSOR_TYPE.FLOAT32;
    return this.push({ name: `${name}_${this.tensors.length}`, shape, type, data: bytesOf(values) });
  }

  /** A convolution filter or dense weight matrix: int8 with per-channel scales along `axis` when quantising. */
  filter(name: string, shape: number[], values: Float32Array, axis: number): number {
    if (this.weights === 'float32') return this.constant(name, shape, values);
    const q = quantizeSymmetric(values, shape, axis);
    return this.push({
      name: `${name}_${this.tensors.length}`,
      shape,
      type: TENSOR_TYPE.INT8,
      data: bytesOf(q.values),
      quantization: { scale: q.scale, dimension: axis },
    });
  }

  /** Makes tensor `index` (an earlier value) the current one. */
  resume(index: number): void {
    this.current = index;
    this.shape = this.tensors[index]!.shape;
  }

  scalar(name: string, value: number): number {
    return this.constant(name, [1], Float32Array.of(value));
  }

  /** Adds an operator on `input` (default: the current value) plus `extra`; its output becomes current. */
  op(code: number, extra: number[] = [], opts?: BuiltinOptions, shape = this.shape, input = this.current): number {
    const output = this.activation(`op${this.operators.length}`, shape);
    this.operators.push({ code, inputs: [input, ...extra], outputs: [output], ...(opts ? { options: opts } : {}) });
    this.current = output;
    this.shape = shape;
    return output;
  }
}

/** Writes `name` as operators after the current value; "relu" may instead be fused into the previous operator. */
function activation(g: GraphBuilder, name: unknown, alpha = 0.2): void {
  switch (name) {
    case undefined:
    case null:
    case 'linear':
      return;
    case 'relu':
      g.op(OP.RELU);
      return;
    case 'sigmoid':
      g.op(OP.LOGISTIC);
      return;
    case 'tanh':
      g.op(OP.TANH);
      return;
    case 'elu':
      g.op(OP.ELU);
      return;
    case 'leaky_relu':
      g.op(OP.LEAKY_RELU, [], options(OPTIONS.LeakyReluOptions, field(0, 'float32', alpha)));
      return;
    case 'softmax':
      g.op(OP.SOFTMAX, [], options(OPTIONS.SoftmaxOptions, field(0, 'float32', 1)));
      return;
    case 'gelu':
      // Exact GELU (erf), as Keras's default.
      g.op(OP.GELU, [], options(OPTIONS.GeluOptions, field(0, 'bool', false)));
      return;
    case 'swish':
    case 'silu': {
      const x = g.current;
      g.op(OP.MUL, [g.op(OP.LOGISTIC)], undefined, g.shape, x);
      return;
    }
    case 'selu': {
      // selu(x) = λ·relu(x) + λα·min(elu(x), 0), as TFLite has no SELU.
      const [lambda, alpha] = [1.0507009873554805, 1.6732632423543772];
      const x = g.current;
      g.op(OP.ELU);
      g.op(OP.MINIMUM, [g.scalar('zero', 0)]);
      const negative = g.op(OP.MUL, [g.scalar('lambda_alpha', lambda * alpha)]);
      g.op(OP.RELU, [], undefined, g.shape, x);
      g.op(OP.MUL, [g.scalar('lambda', lambda)]);
      g.op(OP.ADD, [negative]);
      return;
    }
    default:
      throw new Error(`Activation ${String(name)} has no TensorFlow Lite mapping.`);
  }
}

/** The fused activation of a convolution or dense operator, and what still has to follow it. */
const fusable = (name: unknown): { fused: number; after: unknown } =>
  name === 'relu' ? { fused: FUSED.RELU, after: null } : { fused: FUSED.NONE, after: name };

function windowOptions(layer: SavedLayer, type: number, window: [number, number]) {
  const [sh, sw] = pairOf(layer.config['strides'] ?? window);
  const padding = layer.config['padding'] === 'same' ? PADDING.SAME : PADDING.VALID;
  return { sh, sw, fields: [field(0, 'int8', padding), field(1, 'int32', sw), field(2, 'int32', sh)], type };
}

function windowShape(
  g: GraphBuilder,
  layer: SavedLayer,
  window: [number, number],
  stride: [number, number],
  dilation: [number, number],
  channels: number,
): number[] {
  const [, height, width] = g.shape as [number, number, number, number];
  const padding = layer.config['padding'];
  return [
    1,
    windowOut(height, window[0], stride[0], dilation[0], padding),
    windowOut(width, window[1], stride[1], dilation[1], padding),
    channels,
  ];
}

function convolution(
  g: GraphBuilder,
  layer: SavedLayer,
  filter: number,
  bias: number,
  window: [number, number],
  out: number,
  fused: number,
): void {
  const { sh, sw, fields } = windowOptions(layer, OPTIONS.Conv2DOptions, window);
  const [dh, dw] = pairOf(layer.config['dilation_rate'] ?? 1);
  const opts = options(OPTIONS.Conv2DOptions, ...fields, field(3, 'int8', fused), field(4, 'int32', dw, 1), field(5, 'int32', dh, 1));
  g.op(OP.CONV_2D, [filter, bias], opts, windowShape(g, layer, window, [sh, sw], [dh, dw], out));
}

const biasOr = (g: GraphBuilder, layer: SavedLayer, count: number) =>
  g.constant('bias', [count], layer.config['use_bias'] === false ? new Float32Array(count) : weightOf(layer, 'bias').values);

/** A nested functional network, layer by layer, each reading the values its inbound nodes name. */
function addNetwork(g: GraphBuilder, layer: SavedLayer): void {
  const network = nestedNetwork(layer)!;
  const values = new Map<string, number>([[network.input, g.current]]);
  for (const inner of network.layers) {
    if (inner.class_name === 'InputLayer') continue;
    const sources = inner.inbound_nodes![0]!.map(([name]) => values.get(name)!);
    g.resume(sources[0]!);
    if (inner.class_name === 'Add') for (const other of sources.slice(1)) g.op(OP.ADD, [other]);
    else addLayer(g, innerLayer(layer, inner));
    values.set(String(inner.config['name']), g.current);
  }
  g.resume(values.get(network.output)!);
}

function addLayer(g: GraphBuilder, layer: SavedLayer): void {
  const c = layer.config;
  if (Array.isArray(c['layers'])) {
    addNetwork(g, layer);
    return;
  }
  const channels = g.shape.at(-1)!;
  switch (layer.className) {
    case 'Conv2D': {
      const kernel = weightOf(layer, 'kernel');
      const [kh, kw, ci, co] = kernel.shape as [number, number, number, number];
      const filter = g.filter('kernel', [co, kh, kw, ci], transpose(kernel.values, kernel.shape, [3, 0, 1, 2]), 0);
      const { fused, after } = fusable(c['activation']);
      convolution(g, layer, filter, biasOr(g, layer, co), [kh, kw], co, fused);
      activation(g, after);
      return;
    }
    case 'DepthwiseConv2D':
    case 'SeparableConv2D': {
      const depthwise = weightOf(layer, 'depthwise_kernel');
      const [kh, kw, ci, m] = depthwise.shape as [number, number, number, number];
      const separable = layer.className === 'SeparableConv2D';
      // [height, width, channels, multiplier] is already TFLite's [1, height, width, channels * multiplier] in memory.
      const filter = g.filter('depthwise', [1, kh, kw, ci * m], depthwise.values, 3);
      const bias = separable ? g.constant('zero_bias', [ci * m], new Float32Array(ci * m)) : biasOr(g, layer, ci * m);
      const { sh, sw, fields } = windowOptions(layer, OPTIONS.DepthwiseConv2DOptions, [kh, kw]);
      const [dh, dw] = pairOf(c['dilation_rate'] ?? 1);
      const { fused, after } = fusable(c['activation']);
      const opts = options(
        OPTIONS.DepthwiseConv2DOptions,
        ...fields,
        field(3, 'int32', m),
        field(4, 'int8', separable ? FUSED.NONE : fused),
        field(5, 'int32', dw, 1),
        field(6, 'int32', dh, 1),
      );
      g.op(OP.DEPTHWISE_CONV_2D, [filter, bias], opts, windowShape(g, layer, [kh, kw], [sh, sw], [dh, dw], ci * m));
      if (separable) {
        const pointwise = weightOf(layer, 'pointwise_kernel');
        const out = pointwise.shape[3]!;
        const pw = g.filter('pointwise', [out, 1, 1, ci * m], transpose(pointwise.values, pointwise.shape, [3, 0, 1, 2]), 0);
        const pointwiseLayer = { ...layer, config: { ...c, strides: 1, padding: 'valid', dilation_rate: 1 } };
        convolution(g, pointwiseLayer, pw, biasOr(g, layer, out), [1, 1], out, fused);
      }
      activation(g, after);
      return;
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      // AVERAGE_POOL_2D averages only real pixels at "same" borders, as TensorFlow does.
      const window = pairOf(c['pool_size']);
      const { sh, sw, fields } = windowOptions(layer, OPTIONS.Pool2DOptions, window);
      const opts = options(OPTIONS.Pool2DOptions, ...fields, field(3, 'int32', window[1]), field(4, 'int32', window[0]));
      g.op(
        layer.className === 'MaxPooling2D' ? OP.MAX_POOL_2D : OP.AVERAGE_POOL_2D,
        [],
        opts,
        windowShape(g, layer, window, [sh, sw], [1, 1], channels),
      );
      return;
    }
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D': {
      const axes = g.constant('axes', [2], Int32Array.of(1, 2));
      g.op(
        layer.className === 'GlobalMaxPooling2D' ? OP.REDUCE_MAX : OP.MEAN,
        [axes],
        options(OPTIONS.ReducerOptions, field(0, 'bool', false)),
        [1, channels],
      );
      return;
    }
    case 'Flatten': {
      // NHWC flattens height, width, channels in that order, as TensorFlow.js does.
      const features = size(g.shape.slice(1));
      g.op(OP.RESHAPE, [g.constant('shape', [2], Int32Array.of(-1, features))], undefined, [1, features]);
      return;
    }
    case 'Reshape': {
      const target = (c['target_shape'] as number[]).map(Number);
      g.op(OP.RESHAPE, [g.constant('shape', [target.length + 1], Int32Array.of(-1, ...target))], undefined, [1, ...target]);
      return;
    }
    case 'Dense': {
      const kernel = weightOf(layer, 'kernel');
      const [inputs, units] = kernel.shape as [number, number];
      const weights = g.filter('kernel', [units, inputs], transpose(kernel.values, kernel.shape, [1, 0]), 0);
      const { fused, after } = fusable(c['activation']);
      const keepDims = g.shape.length > 2; // Keras applies Dense to the last axis of a higher-rank input
      const opts = options(OPTIONS.FullyConnectedOptions, field(0, 'int8', fused), field(2, 'bool', keepDims));
      g.op(OP.FULLY_CONNECTED, [weights, biasOr(g, layer, units)], opts, [...g.shape.slice(0, -1), units]);
      activation(g, after);
      return;
    }
    case 'Dropout':
    case 'SpatialDropout2D':
      return; // nothing happens at inference
    case 'BatchNormalization': {
      // Folded into one multiply and one add per channel: x · γ/√(σ²+ε) + (β − μ · γ/√(σ²+ε)).
      const epsilon = Number(c['epsilon'] ?? 0.001);
      const gamma = normalizationWeight(layer, 'gamma', channels, 1);
      const variance = normalizationWeight(layer, 'moving_variance', channels, 1);
      const scale = Float32Array.from(gamma, (v, i) => v / Math.sqrt(variance[i]! + epsilon));
      const mean = normalizationWeight(layer, 'moving_mean', channels, 0);
      const beta = normalizationWeight(layer, 'beta', channels, 0);
      g.op(OP.MUL, [g.constant('bn_scale', [channels], scale)]);
      g.op(OP.ADD, [
        g.constant(
          'bn_shift',
          [channels],
          Float32Array.from(beta, (v, i) => v - mean[i]! * scale[i]!),
        ),
      ]);
      return;
    }
    case 'LayerNormalization': {
      // (x − mean) · rsqrt(variance + ε) · γ + β over the channels.
      const shape = g.shape;
      const normalized = Number([c['axis']].flat()[0] ?? -1);
      // The trainer only normalises over the channels; TensorFlow.js saves that axis as [rank - 1].
      if (normalized !== -1 && normalized !== shape.length - 1)
        throw new Error(`LayerNormalization over axis ${normalized} has no TensorFlow Lite mapping.`);
      const x = g.current;
      const axis = g.constant('axis', [1], Int32Array.of(shape.length - 1));
      const reduced = [...shape.slice(0, -1), 1];
      const keep = options(OPTIONS.ReducerOptions, field(0, 'bool', true));
      const mean = g.op(OP.MEAN, [axis], keep, reduced);
      const centred = g.op(OP.SUB, [mean], undefined, shape, x);
      g.op(OP.MUL, [centred]);
      g.op(OP.MEAN, [axis], keep, reduced);
      g.op(OP.ADD, [g.scalar('epsilon', Number(c['epsilon'] ?? 0.001))]);
      const inverse = g.op(OP.RSQRT);
      g.op(OP.MUL, [inverse], undefined, shape, centred);
      g.op(OP.MUL, [g.constant('gamma', [channels], normalizationWeight(layer, 'gamma', channels, 1))]);
      g.op(OP.ADD, [g.constant('beta', [channels], normalizationWeight(layer, 'beta', channels, 0))]);
      return;
    }
    case 'Activation':
      activation(g, c['activation']);
      return;
    case 'LeakyReLU':
      activation(g, 'leaky_relu', Number(c['alpha'] ?? c['negative_slope'] ?? 0.3));
      return;
    case 'ReLU':
      // MobileNet's ReLU6 (max_value 6) is a builtin of its own.
      if (c['max_value'] != null) g.op(OP.RELU6);
      else activation(g, 'relu');
      return;
    case 'Rescaling':
      g.op(OP.MUL, [g.scalar('scale', Number(c['scale']))]);
      g.op(OP.ADD, [g.scalar('offset', Number(c['offset'] ?? 0))]);
      return;
    case 'ZeroPadding2D': {
      const [[top, bottom], [left, right]] = zeroPadding(c['padding']);
      const [n, h, w, ch] = g.shape as [number, number, number, number];
      g.op(OP.PAD, [g.constant('paddings', [4, 2], Int32Array.of(0, 0, top, bottom, left, right, 0, 0))], undefined, [
        n,
        h + top + bottom,
        w + left + right,
        ch,
      ]);
      return;
    }
    default:
      throw new Error(`Layer ${layer.className} has no TensorFlow Lite mapping.`);
  }
}

/** The .tflite file of a saved model. */
export function buildTflite(model: SavedModel, weights: TfliteWeights = 'float32'): Uint8Array {
  const g = new GraphBuilder(model.inputShape, weights);
  for (const layer of model.layers) addLayer(g, layer);
  const output = g.tensors[g.current]!;
  output.name = TFLITE_OUTPUT;
  return encodeTflite({
    tensors: g.tensors,
    operators: g.operators,
    input: 0,
    output: g.current,
    names: { input: TFLITE_INPUT, output: TFLITE_OUTPUT },
    // A field of the file that tools print, the same in every language: names and values, not a sentence.
    description: `Capa ${CAPA_VERSION} image classifier${weights === 'int8' ? ' (weights: int8, activations: float32)' : ''}`,
  });
}

/** Writes `model.tflite` into `dir`. */
export async function writeTflite(model: SavedModel, dir: string, weights: TfliteWeights): Promise<string[]> {
  await writeFile(join(dir, TFLITE_FILE), buildTflite(model, weights));
  return [TFLITE_FILE];
}
