// ONNX export: a graph built layer by layer from the saved model, encoded with onnx-proto
// (protobufjs). The input stays NHWC like the TensorFlow.js model's; convolutions and pooling
// run in ONNX's NCHW between transposes, which come back before anything that depends on the
// element order (Flatten, LayerNormalization, the output).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';
import { said } from '../../../common/messages/said';
import { CAPA_VERSION } from '../service/version';
import { normalizationWeight, pairOf, transpose, zeroPadding } from './layer-math';
import { innerLayer, nestedCannotExpress, nestedNetwork, weightOf, type SavedLayer, type SavedModel, type Why } from './saved-model';

/** The operator set the graph uses (LayerNormalization needs 17). */
export const ONNX_OPSET = 17;
/** Names of the graph's input and output. */
export const ONNX_INPUT = 'input';
export const ONNX_OUTPUT = 'probabilities';

/** Activations the ONNX writer can express, by Keras/TensorFlow.js name. */
const ACTIVATIONS = new Set(['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'swish', 'silu', 'gelu', 'leaky_relu']);

/** Layer classes the ONNX writer maps; the reason a layer cannot be written, or null. */
export function onnxCannotExpress(layer: SavedLayer): Why | null {
  if (Array.isArray(layer.config['layers'])) return nestedCannotExpress(layer, onnxCannotExpress);
  const supported = [
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
  ];
  if (!supported.includes(layer.className)) return said('model.onnx.noLayer', { className: layer.className });
  const activation = layer.config['activation'];
  if (typeof activation === 'string' && !ACTIVATIONS.has(activation)) return said('model.onnx.noActivation', { activation });
  if (layer.className === 'ReLU' && (Number(layer.config['negative_slope'] ?? 0) !== 0 || Number(layer.config['threshold'] ?? 0) !== 0)) {
    return said('model.onnx.relu');
  }
  return null;
}

type Layout = 'NHWC' | 'NCHW' | 'flat';

/** Builds the graph's nodes and initializers while walking the layers. */
class GraphBuilder {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  private count = 0;
  current = ONNX_INPUT;
  layout: Layout = 'NHWC';

  private fresh(hint: string): string {
    return `${hint}_${this.count++}`;
  }

  /** Adds a constant tensor and returns its name. */
  constant(hint: string, dims: number[], values: Float32Array | number[], type: 'float' | 'int64' = 'float'): string {
    const name = this.fresh(hint);
    this.initializers.push(
      type === 'float'
        ? { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, floatData: Array.from(values) }
        : { name, dims, dataType: onnx.TensorProto.DataType.INT64, int64Data: Array.from(values) },
    );
    return name;
  }

  /** Adds a node on the current value (plus `extra` inputs) and makes its output current. */
  op(opType: string, extra: string[] = [], attributes: onnx.IAttributeProto[] = [], input = this.current): string {
    const output = this.fresh(opType.toLowerCase());
    this.nodes.push({ opType, name: output, input: [input, ...extra], output: [output], attribute: attributes });
    this.current = output;
    return output;
  }

  to(layout: 'NHWC' | 'NCHW'): void {
    if (this.layout === layout || this.layout === 'flat') return;
    this.op('Transpose', [], [ints('perm', layout === 'NCHW' ? [0, 3, 1, 2] : [0, 2, 3, 1])]);
    this.layout = layout;
  }
}

const ints = (name: string, values: number[]): onnx.IAttributeProto => ({
  name,
  type: onnx.AttributeProto.AttributeType.INTS,
  ints: values,
});
const int = (name: string, value: number): onnx.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INT, i: value });
const float = (name: string, value: number): onnx.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f: value });
const string = (name: string, value: string): onnx.IAttributeProto => ({
  name,
  type: onnx.AttributeProto.AttributeType.STRING,
  s: new TextEncoder().encode(value),
});

/** A HWIO (height, width, in, out) kernel as ONNX's OIHW. */
const hwioToOihw = (values: Float32Array, shape: number[]) => transpose(values, shape, [3, 2, 0, 1]);
/** A depthwise kernel (height, width, channels, multiplier) as a grouped OIHW kernel: output channel c * multiplier + k. */
const depthwiseToOihw = (values: Float32Array, shape: number[]) => transpose(values, shape, [2, 3, 0, 1]);

function windowAttributes(layer: SavedLayer, kernel: [number, number]): onnx.IAttributeProto[] {
  const strides = pairOf(layer.config['strides'] ?? kernel);
  const padding = layer.config['padding'] === 'same' ? 'SAME_UPPER' : 'VALID'; // TensorFlow puts the odd pixel after, as SAME_UPPER
  return [ints('kernel_shape', kernel), ints('strides', strides), string('auto_pad', padding)];
}

function convolution(g: GraphBuilder, layer: SavedLayer, weight: string, bias: string | null, group: number, dims: number[]): void {
  const [kh, kw] = [dims[2]!, dims[3]!];
  const dilations = pairOf(layer.config['dilation_rate'] ?? 1);
  g.op('Conv', bias ? [weight, bias] : [weight], [...windowAttributes(layer, [kh, kw]), ints('dilations', dilations), int('group', group)]);
}

function activation(g: GraphBuilder, name: unknown, alpha = 0.2): void {
  switch (name) {
    case undefined:
    case null:
    case 'linear':
      return;
    case 'relu':
      g.op('Relu');
      return;
    case 'sigmoid':
      g.op('Sigmoid');
      return;
    case 'tanh':
      g.op('Tanh');
      return;
    case 'elu':
      g.op('Elu', [], [float('alpha', 1)]);
      return;
    case 'selu':
      g.op('Selu', [], [float('alpha', 1.6732632423543772), float('gamma', 1.0507009873554805)]);
      return;
    case 'leaky_relu':
      g.op('LeakyRelu', [], [float('alpha', alpha)]);
      return;
    case 'softmax':
      g.op('Softmax', [], [int('axis', g.layout === 'NCHW' ? 1 : -1)]);
      return;
    case 'swish':
    case 'silu': {
      const x = g.current;
      const s = g.op('Sigmoid');
      g.op('Mul', [s], [], x);
      return;
    }
    case 'gelu': {
      // Exact GELU, as Keras's default: 0.5 x (1 + erf(x / sqrt 2)).
      const x = g.current;
      g.op('Div', [g.constant('sqrt2', [], [Math.SQRT2])]);
      g.op('Erf');
      g.op('Add', [g.constant('one', [], [1])]);
      g.op('Mul', [x]);
      g.op('Mul', [g.constant('half', [], [0.5])]);
      return;
    }
    default:
      throw new Error(`Activation ${String(name)} has no ONNX mapping.`);
  }
}

/** A nested functional network, layer by layer, each reading the values its inbound nodes name. */
function addNetwork(g: GraphBuilder, layer: SavedLayer, channels: number): number {
  const network = nestedNetwork(layer)!;
  type Value = { name: string; layout: Layout; channels: number };
  const values = new Map<string, Value>([[network.input, { name: g.current, layout: g.layout, channels }]]);
  const resume = (value: Value) => {
    g.current = value.name;
    g.layout = value.layout;
    return value.channels;
  };
  for (const inner of network.layers) {
    if (inner.class_name === 'InputLayer') continue;
    const [first, ...others] = inner.inbound_nodes![0]!.map(([name]) => values.get(name)!);
    let out = resume(first!);
    if (inner.class_name === 'Add') {
      for (const other of others) {
        const { current, layout } = g;
        resume(other);
        if (layout !== 'flat') g.to(layout); // both terms in one element order
        const term = g.current;
        resume({ name: current, layout, channels: out });
        g.op('Add', [term]);
      }
    } else {
      out = addLayer(g, innerLayer(layer, inner), out);
    }
    values.set(String(inner.config['name']), { name: g.current, layout: g.layout, channels: out });
  }
  return resume(values.get(network.output)!);
}

function addLayer(g: GraphBuilder, layer: SavedLayer, channels: number): number {
  const c = layer.config;
  if (Array.isArray(c['layers'])) return addNetwork(g, layer, channels);
  switch (layer.className) {
    case 'Conv2D': {
      const kernel = weightOf(layer, 'kernel');
      const [kh, kw, ci, co] = kernel.shape as [number, number, number, number];
      g.to('NCHW');
      const weight = g.constant('kernel', [co, ci, kh, kw], hwioToOihw(kernel.values, kernel.shape));
      const bias = c['use_bias'] === false ? null : g.constant('bias', [co], weightOf(layer, 'bias').values);
      convolution(g, layer, weight, bias, 1, [co, ci, kh, kw]);
      activation(g, c['activation']);
      return co;
    }
    case 'DepthwiseConv2D':
    case 'SeparableConv2D': {
      const depthwise = weightOf(layer, 'depthwise_kernel');
      const [kh, kw, ci, m] = depthwise.shape as [number, number, number, number];
      g.to('NCHW');
      const separable = layer.className === 'SeparableConv2D';
      const weight = g.constant('depthwise', [ci * m, 1, kh, kw], depthwiseToOihw(depthwise.values, depthwise.shape));
      const useBias = c['use_bias'] !== false;
      const bias = !separable && useBias ? g.constant('bias', [ci * m], weightOf(layer, 'bias').values) : null;
      convolution(g, layer, weight, bias, ci, [ci * m, 1, kh, kw]);
      let out = ci * m;
      if (separable) {
        const pointwise = weightOf(layer, 'pointwise_kernel');
        out = pointwise.shape[3]!;
        const pw = g.constant('pointwise', [out, ci * m, 1, 1], hwioToOihw(pointwise.values, pointwise.shape));
        const pb = useBias ? [g.constant('bias', [out], weightOf(layer, 'bias').values)] : [];
        g.op('Conv', [pw, ...pb], [ints('kernel_shape', [1, 1])]);
      }
      activation(g, c['activation']);
      return out;
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D':
      g.to('NCHW');
      // AveragePool's default count_include_pad=0 averages only real pixels, as TensorFlow does.
      g.op(layer.className === 'MaxPooling2D' ? 'MaxPool' : 'AveragePool', [], windowAttributes(layer, pairOf(c['pool_size'])));
      return channels;
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
      g.to('NCHW');
      g.op(layer.className === 'GlobalMaxPooling2D' ? 'GlobalMaxPool' : 'GlobalAveragePool');
      g.op('Flatten', [], [int('axis', 1)]);
      g.layout = 'flat';
      return channels;
    case 'Flatten':
      g.to('NHWC'); // TensorFlow.js flattens height, width, channels in that order
      g.op('Flatten', [], [int('axis', 1)]);
      g.layout = 'flat';
      return channels;
    case 'Reshape': {
      g.to('NHWC'); // the target shape is in TensorFlow.js's element order
      const target = (c['target_shape'] as number[]).map(Number);
      g.op('Reshape', [g.constant('shape', [target.length + 1], [-1, ...target], 'int64')]);
      g.layout = target.length === 3 ? 'NHWC' : 'flat';
      return target.at(-1)!;
    }
    case 'Dense': {
      const kernel = weightOf(layer, 'kernel');
      g.op('MatMul', [g.constant('kernel', kernel.shape, kernel.values)]);
      if (c['use_bias'] !== false) g.op('Add', [g.constant('bias', [kernel.shape[1]!], weightOf(layer, 'bias').values)]);
      activation(g, c['activation']);
      return kernel.shape[1]!;
    }
    case 'Dropout':
    case 'SpatialDropout2D':
      return channels; // nothing happens at inference
    case 'BatchNormalization': {
      g.to('NCHW');
      const get = (name: string, fill: number) => normalizationWeight(layer, name, channels, fill);
      const inputs = [get('gamma', 1), get('beta', 0), get('moving_mean', 0), get('moving_variance', 1)].map((v, i) =>
        g.constant(['gamma', 'beta', 'mean', 'var'][i]!, [channels], v),
      );
      g.op('BatchNormalization', inputs, [float('epsilon', Number(c['epsilon'] ?? 0.001))]);
      return channels;
    }
    case 'LayerNormalization': {
      g.to('NHWC');
      const get = (name: string, fill: number) => normalizationWeight(layer, name, channels, fill);
      g.op(
        'LayerNormalization',
        [g.constant('gamma', [channels], get('gamma', 1)), g.constant('beta', [channels], get('beta', 0))],
        [int('axis', -1), float('epsilon', Number(c['epsilon'] ?? 0.001))],
      );
      return channels;
    }
    case 'Activation':
      activation(g, c['activation']);
      return channels;
    case 'LeakyReLU':
      activation(g, 'leaky_relu', Number(c['alpha'] ?? c['negative_slope'] ?? 0.3));
      return channels;
    case 'ReLU':
      // A maximum (MobileNet's ReLU6) clips instead.
      if (c['max_value'] != null) g.op('Clip', [g.constant('zero', [], [0]), g.constant('max', [], [Number(c['max_value'])])]);
      else activation(g, 'relu');
      return channels;
    case 'Rescaling':
      g.op('Mul', [g.constant('scale', [], [Number(c['scale'])])]);
      g.op('Add', [g.constant('offset', [], [Number(c['offset'] ?? 0)])]);
      return channels;
    case 'ZeroPadding2D': {
      g.to('NCHW');
      const [[top, bottom], [left, right]] = zeroPadding(c['padding']);
      g.op('Pad', [g.constant('pads', [8], [0, 0, top, left, 0, 0, bottom, right], 'int64')]);
      return channels;
    }
    default:
      throw new Error(`Layer ${layer.className} has no ONNX mapping.`);
  }
}

/**
 * The ONNX model of a saved model, encoded. With `classCount` null (a backbone for inference),
 * a feature map at the end is pooled as GlobalAveragePooling2D would, and the output holds the
 * features.
 */
export function buildOnnx(model: SavedModel, classCount: number | null): Uint8Array {
  const g = new GraphBuilder();
  let channels = model.inputShape[2]!;
  for (const layer of model.layers) channels = addLayer(g, layer, channels);
  if (classCount === null && g.layout !== 'flat') {
    g.to('NCHW');
    g.op('GlobalAveragePool');
    g.op('Flatten', [], [int('axis', 1)]);
    g.layout = 'flat';
  }
  g.to('NHWC');
  const [height, width, inChannels] = model.inputShape;
  const floatTensor = (name: string, dims: (number | string)[]): onnx.IValueInfoProto => ({
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  });
  // The last node's output is renamed to the graph's output name.
  const last = g.nodes[g.nodes.length - 1]!;
  last.output = [ONNX_OUTPUT];
  const graph: onnx.IGraphProto = {
    name: 'capa',
    node: g.nodes,
    initializer: g.initializers,
    input: [floatTensor(ONNX_INPUT, ['batch', height, width, inChannels])],
    output: [floatTensor(ONNX_OUTPUT, ['batch', classCount ?? channels])],
  };
  const proto: onnx.IModelProto = {
    irVersion: 8,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'Capa',
    producerVersion: CAPA_VERSION,
    graph,
  };
  return onnx.ModelProto.encode(proto).finish();
}

/** Writes `model.onnx` into `dir`. */
export async function writeOnnx(model: SavedModel, dir: string, classCount: number): Promise<string[]> {
  await writeFile(join(dir, 'model.onnx'), buildOnnx(model, classCount));
  return ['model.onnx'];
}
