// Encodes a TensorFlow Lite model (a "TFL3" flatbuffer) from plain data with the flatbuffers
// runtime's Builder. Only the tables a Capa classifier needs are written: Model, SubGraph,
// Tensor, Buffer, Operator, OperatorCode, QuantizationParameters, SignatureDef and the builtin
// options of the operators it uses. Field slots, enum values and union indices follow the
// official schema, tensorflow/compiler/mlir/lite/schema/schema.fbs (read at commit
// 0373b8f3cb4d5033ac26e388f1e10a5126654200); the schema only ever appends, so these stay valid.
// Written by hand instead of generated with flatc because a classifier touches a dozen of the
// schema's few hundred tables, and every file is checked by the LiteRT runtime in the tests.
import { Builder, type Offset } from 'flatbuffers';

/** Schema version written in Model.version. */
export const TFLITE_SCHEMA_VERSION = 3;

/** BuiltinOperator codes Capa writes. */
export const OP = {
  ADD: 0,
  AVERAGE_POOL_2D: 1,
  CONV_2D: 3,
  DEPTHWISE_CONV_2D: 4,
  FULLY_CONNECTED: 9,
  LOGISTIC: 14,
  MAX_POOL_2D: 17,
  MUL: 18,
  RELU: 19,
  RELU6: 21,
  RESHAPE: 22,
  SOFTMAX: 25,
  TANH: 28,
  PAD: 34,
  MEAN: 40,
  SUB: 41,
  MINIMUM: 57,
  RSQRT: 76,
  REDUCE_MAX: 82,
  LEAKY_RELU: 98,
  ELU: 111,
  GELU: 150,
} as const;

/** Operator codes above this are stored as PLACEHOLDER_FOR_GREATER_OP_CODES in the old byte field. */
const PLACEHOLDER_FOR_GREATER_OP_CODES = 127;

/** TensorType values Capa writes. */
export const TENSOR_TYPE = { FLOAT32: 0, INT32: 2, INT8: 9 } as const;
export type TensorType = (typeof TENSOR_TYPE)[keyof typeof TENSOR_TYPE];

/** Padding enum of the convolution and pooling options. */
export const PADDING = { SAME: 0, VALID: 1 } as const;
/** ActivationFunctionType: the activation an operator applies to its own output. */
export const FUSED = { NONE: 0, RELU: 1 } as const;

/** BuiltinOptions union indices (1-based: 0 is NONE) of the options tables Capa writes. */
export const OPTIONS = {
  Conv2DOptions: 1,
  DepthwiseConv2DOptions: 2,
  Pool2DOptions: 5,
  FullyConnectedOptions: 8,
  SoftmaxOptions: 9,
  AddOptions: 11,
  ReshapeOptions: 17,
  MulOptions: 21,
  PadOptions: 22,
  ReducerOptions: 27,
  SubOptions: 28,
  MaximumMinimumOptions: 39,
  LeakyReluOptions: 75,
  GeluOptions: 116,
} as const;

/** One scalar field of an options table: its slot in the table, type, value and schema default. */
export interface OptionField {
  /** Field number in the schema's table (0-based). */
  slot: number;
  /** Storage type. */
  kind: 'int8' | 'int32' | 'float32' | 'bool';
  /** The value to write. */
  value: number | boolean;
  /** The schema's default (a field equal to it is left out, as flatc does). */
  otherwise?: number | boolean;
}

/** A builtin options table: which union member, and its scalar fields. */
export interface BuiltinOptions {
  /** Index in the BuiltinOptions union (see OPTIONS). */
  type: number;
  /** The table's fields. */
  fields: OptionField[];
}

/** Per-channel (or per-tensor) symmetric quantisation of an int8 tensor: real = scale * q. */
export interface Quantization {
  /** One scale per slice along `dimension`, or a single scale. */
  scale: number[];
  /** The axis the scales run along. */
  dimension: number;
}

/** One tensor of the graph. */
export interface TensorDef {
  /** Name, for debugging and for tools that show the graph. */
  name: string;
  /** Shape with batch 1 where the batch goes. */
  shape: number[];
  /** Shape with -1 for the batch, when it may vary. */
  signature?: number[];
  /** Element type. */
  type: TensorType;
  /** Constant data (little-endian), or null for activations. */
  data: Uint8Array | null;
  /** Quantisation of an int8 constant. */
  quantization?: Quantization;
}

/** One operator: builtin code, tensor indices in and out, options. */
export interface OperatorDef {
  /** BuiltinOperator code (see OP). */
  code: number;
  /** Input tensor indices (-1 for an absent optional input). */
  inputs: number[];
  /** Output tensor indices. */
  outputs: number[];
  /** Builtin options, when the operator has any. */
  options?: BuiltinOptions;
}

/** A single-subgraph model with one input and one output. */
export interface GraphDef {
  /** Every tensor, activations and constants. */
  tensors: TensorDef[];
  /** Operators in execution order. */
  operators: OperatorDef[];
  /** The input tensor's index. */
  input: number;
  /** The output tensor's index. */
  output: number;
  /** Names the signature gives the input and output (what interpreters show). */
  names: { input: string; output: string };
  /** Model.description. */
  description: string;
}

function intVector(b: Builder, values: number[]): Offset {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i]!);
  return b.endVector();
}

function floatVector(b: Builder, values: number[]): Offset {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addFloat32(values[i]!);
  return b.endVector();
}

function longVector(b: Builder, values: number[]): Offset {
  b.startVector(8, values.length, 8);
  for (let i = values.length - 1; i >= 0; i--) b.addInt64(BigInt(values[i]!));
  return b.endVector();
}

function tableVector(b: Builder, offsets: Offset[]): Offset {
  b.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]!);
  return b.endVector();
}

/** A [ubyte] vector whose first byte sits on a 16-byte boundary (Buffer.data's force_align: 16). */
function alignedBytes(b: Builder, data: Uint8Array): Offset {
  b.prep(16, data.length);
  return b.createByteVector(data);
}

function optionsTable(b: Builder, options: BuiltinOptions): Offset {
  b.startObject(Math.max(0, ...options.fields.map((f) => f.slot + 1)));
  for (const field of options.fields) {
    const value = Number(field.value);
    const otherwise = Number(field.otherwise ?? 0);
    if (field.kind === 'float32') b.addFieldFloat32(field.slot, value, otherwise);
    else if (field.kind === 'int32') b.addFieldInt32(field.slot, value, otherwise);
    else b.addFieldInt8(field.slot, value, otherwise);
  }
  return b.endObject();
}

function quantizationTable(b: Builder, q: Quantization): Offset {
  const scale = floatVector(b, q.scale);
  const zero = longVector(
    b,
    q.scale.map(() => 0),
  );
  b.startObject(7);
  b.addFieldOffset(2, scale, 0); // scale
  b.addFieldOffset(3, zero, 0); // zero_point
  b.addFieldInt32(6, q.dimension, 0); // quantized_dimension
  return b.endObject();
}

function tensorMap(b: Builder, name: string, index: number): Offset {
  const nameOffset = b.createString(name);
  b.startObject(2);
  b.addFieldOffset(0, nameOffset, 0);
  b.addFieldInt32(1, index, 0);
  return b.endObject();
}

/** The .tflite file of a graph. */
export function encodeTflite(graph: GraphDef): Uint8Array {
  const b = new Builder(1024);
  // Buffer 0 is the empty sentinel that activation tensors point at.
  const bufferData = [null, ...graph.tensors.filter((t) => t.data).map((t) => t.data)];
  const bufferOffsets = bufferData.map((data) => {
    const dataOffset = data ? alignedBytes(b, data) : 0;
    b.startObject(3);
    if (data) b.addFieldOffset(0, dataOffset, 0);
    return b.endObject();
  });
  let nextBuffer = 1;
  const tensorOffsets = graph.tensors.map((t) => {
    const name = b.createString(t.name);
    const shape = intVector(b, t.shape);
    const signature = t.signature ? intVector(b, t.signature) : 0;
    const quantization = t.quantization ? quantizationTable(b, t.quantization) : 0;
    b.startObject(9);
    b.addFieldOffset(0, shape, 0);
    b.addFieldInt8(1, t.type, 0);
    b.addFieldInt32(2, t.data ? nextBuffer++ : 0, 0);
    b.addFieldOffset(3, name, 0);
    if (quantization) b.addFieldOffset(4, quantization, 0);
    if (signature) b.addFieldOffset(7, signature, 0);
    b.addFieldInt8(8, 1, 0); // has_rank
    return b.endObject();
  });
  const codes = [...new Set(graph.operators.map((op) => op.code))];
  const operatorOffsets = graph.operators.map((op) => {
    const inputs = intVector(b, op.inputs);
    const outputs = intVector(b, op.outputs);
    const options = op.options ? optionsTable(b, op.options) : 0;
    b.startObject(5);
    b.addFieldInt32(0, codes.indexOf(op.code), 0);
    b.addFieldOffset(1, inputs, 0);
    b.addFieldOffset(2, outputs, 0);
    if (op.options) {
      b.addFieldInt8(3, op.options.type, 0);
      b.addFieldOffset(4, options, 0);
    }
    return b.endObject();
  });
  const codeOffsets = codes.map((code) => {
    b.startObject(4);
    b.addFieldInt8(0, Math.min(code, PLACEHOLDER_FOR_GREATER_OP_CODES), 0);
    b.addFieldInt32(2, 1, 1); // version
    b.addFieldInt32(3, code, 0);
    return b.endObject();
  });
  const subgraphName = b.createString('main');
  const subgraphParts = [
    tableVector(b, tensorOffsets),
    intVector(b, [graph.input]),
    intVector(b, [graph.output]),
    tableVector(b, operatorOffsets),
  ];
  b.startObject(5);
  subgraphParts.forEach((part, slot) => b.addFieldOffset(slot, part, 0));
  b.addFieldOffset(4, subgraphName, 0);
  const subgraph = b.endObject();

  // A "serving_default" signature names the input and output for interpreters' signature runners.
  const signatureInputs = tableVector(b, [tensorMap(b, graph.names.input, graph.input)]);
  const signatureOutputs = tableVector(b, [tensorMap(b, graph.names.output, graph.output)]);
  const signatureKey = b.createString('serving_default');
  b.startObject(5);
  b.addFieldOffset(0, signatureInputs, 0);
  b.addFieldOffset(1, signatureOutputs, 0);
  b.addFieldOffset(2, signatureKey, 0);
  const signature = b.endObject();

  const modelParts = {
    codes: tableVector(b, codeOffsets),
    subgraphs: tableVector(b, [subgraph]),
    description: b.createString(graph.description),
    buffers: tableVector(b, bufferOffsets),
    signatures: tableVector(b, [signature]),
  };
  b.startObject(8);
  b.addFieldInt32(0, TFLITE_SCHEMA_VERSION, 0);
  b.addFieldOffset(1, modelParts.codes, 0);
  b.addFieldOffset(2, modelParts.subgraphs, 0);
  b.addFieldOffset(3, modelParts.description, 0);
  b.addFieldOffset(4, modelParts.buffers, 0);
  b.addFieldOffset(7, modelParts.signatures, 0);
  b.finish(b.endObject(), 'TFL3');
  return b.asUint8Array();
}
