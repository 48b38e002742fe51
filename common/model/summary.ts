// Keras-style summary of a spec: output shape and parameter count of every layer, computed
// with Keras's formulas, plus the shape errors Keras would raise, caught before training, and
// estimates of memory and multiply-adds per image.
import type { Said } from '../messages/said';
import { said } from '../messages/said';
import { asPair, type LayerSpec, type ModelSpec, type SpecIssue } from './spec';

/** Shape without the batch dimension, as Keras prints it after `None`. */
export type Shape = number[];

/** One row of the summary. */
export interface SummaryRow {
  /** Keras-style name, e.g. "conv2d_1". */
  name: string;
  /** Layer class name, e.g. "Conv2D". */
  type: string;
  /** Index in `spec.layers`; null for the backbone and the output layer Capa adds. */
  layerIndex: number | null;
  /** Output shape without the batch dimension. */
  outputShape: Shape;
  /** Number of weights and biases. */
  params: number;
  /** Of which not changed by training (BatchNormalization's moving mean and variance, a frozen backbone). */
  nonTrainableParams: number;
  /** Multiply-adds this layer does per image. */
  multiplyAdds: number;
}

/** The whole summary, or the issues that stop it. */
export interface ModelSummary {
  /** One row per enabled layer, the output layer last. */
  rows: SummaryRow[];
  /** Every weight of the model. */
  totalParams: number;
  /** Weights training changes. */
  trainableParams: number;
  /** Weights training keeps. */
  nonTrainableParams: number;
  /** Multiply-adds per image through the whole model (backbone excluded). */
  multiplyAdds: number;
  /** Bytes of the weights as float32. */
  weightBytes: number;
  /** Bytes of every layer's output for one image as float32: what a forward pass holds per image. */
  activationBytesPerImage: number;
  /** Problems found; a spec with none builds and trains. */
  issues: SpecIssue[];
}

/** What the summary needs to know of a pretrained backbone (from the backbone catalogue). */
export interface BackboneShape {
  /** Name shown to a person, e.g. "MobileNet V2 1.0 · 224 px" (error messages use it). */
  title: string;
  /** Its row's name in the summary, as Keras names a nested model, e.g. "mobilenet_v2_1.0_224". */
  name: string;
  /** Image size the backbone was trained on: [height, width]. */
  inputSize: [number, number];
  /** Length of the pooled feature vector it outputs. */
  features: number;
  /** Number of its weights (frozen unless fine-tuned). */
  params: number;
}

/** Above this many weights a model is refused: training it would exhaust memory here and on most laptops. */
export const MAX_PARAMS = 50_000_000;

function convOutput(size: number, kernel: number, stride: number, padding: 'valid' | 'same'): number {
  return padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1;
}

function snake(type: string): string {
  return type
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace('2_d', '2d');
}

/** What one layer does to the shape, or why it cannot. */
type Step = { shape: Shape; params?: number; nonTrainable?: number; macs?: number } | { issue: Said; field: string };

const IMAGE_LAYERS = new Set<LayerSpec['type']>([
  'Conv2D',
  'SeparableConv2D',
  'DepthwiseConv2D',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling2D',
  'SpatialDropout2D',
  'ZeroPadding2D',
]);

function step(layer: LayerSpec, shape: Shape): Step {
  if (IMAGE_LAYERS.has(layer.type) && shape.length !== 3) {
    return { field: 'type', issue: said('model.summary.imageLayerAfterFlat', { type: layer.type, count: shape[0]! }) };
  }
  const [h, w, c] = shape as [number, number, number];
  const last = shape[shape.length - 1]!;
  switch (layer.type) {
    case 'Conv2D':
    case 'SeparableConv2D':
    case 'DepthwiseConv2D':
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const pooling = layer.type === 'MaxPooling2D' || layer.type === 'AveragePooling2D';
      const [kh, kw] = asPair(pooling ? layer.pool_size : layer.kernel_size);
      const [sh, sw] = asPair(pooling ? (layer.strides ?? layer.pool_size) : layer.strides);
      if (layer.padding === 'valid' && (kh > h || kw > w)) {
        return {
          field: pooling ? 'pool_size' : 'kernel_size',
          issue: said(pooling ? 'model.summary.poolTooLarge' : 'model.summary.kernelTooLarge', { kh, kw, h, w }),
        };
      }
      const oh = convOutput(h, kh, sh, layer.padding);
      const ow = convOutput(w, kw, sw, layer.padding);
      if (pooling) return { shape: [oh, ow, c] };
      if (layer.type === 'Conv2D')
        return { shape: [oh, ow, layer.filters], params: (kh * kw * c + 1) * layer.filters, macs: oh * ow * kh * kw * c * layer.filters };
      const dm = layer.depth_multiplier;
      if (layer.type === 'DepthwiseConv2D')
        return { shape: [oh, ow, c * dm], params: (kh * kw + 1) * c * dm, macs: oh * ow * kh * kw * c * dm };
      return {
        shape: [oh, ow, layer.filters],
        params: kh * kw * c * dm + c * dm * layer.filters + layer.filters,
        macs: oh * ow * (kh * kw * c * dm + c * dm * layer.filters),
      };
    }
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
      return { shape: [c] };
    case 'ZeroPadding2D': {
      const [ph, pw] = asPair(layer.padding);
      return { shape: [h + 2 * ph, w + 2 * pw, c] };
    }
    case 'Flatten':
      return { shape: [shape.reduce((a, b) => a * b, 1)] };
    case 'Dense':
      if (shape.length !== 1) {
        return { field: 'type', issue: said('model.summary.denseNeedsFlat', { shape: shape.join(', ') }) };
      }
      return { shape: [layer.units], params: (last + 1) * layer.units, macs: last * layer.units };
    case 'BatchNormalization':
      return { shape, params: 4 * last, nonTrainable: 2 * last };
    case 'LayerNormalization':
      return { shape, params: 2 * last };
    case 'Dropout':
    case 'SpatialDropout2D':
    case 'Activation':
    case 'Rescaling':
      return { shape };
  }
}

/**
 * Summarises `spec` for a model with `numClasses` outputs (the softmax layer is appended).
 * A spec with a backbone needs its shape; without one, the summary reports it as unknown.
 */
export function summarize(spec: ModelSpec, numClasses: number, backbone?: BackboneShape | null): ModelSummary {
  const rows: SummaryRow[] = [];
  const issues: SpecIssue[] = [];
  const counters = new Map<string, number>();
  let shape: Shape = [spec.input.height, spec.input.width, spec.input.channels];
  let activationValues = shape.reduce((a, b) => a * b, 1);

  const push = (
    type: string,
    layerIndex: number | null,
    outputShape: Shape,
    params: number,
    nonTrainableParams: number,
    multiplyAdds: number,
  ) => {
    const n = counters.get(type) ?? 0;
    counters.set(type, n + 1);
    rows.push({
      name: n === 0 ? snake(type) : `${snake(type)}_${n}`,
      type,
      layerIndex,
      outputShape,
      params,
      nonTrainableParams,
      multiplyAdds,
    });
    activationValues += outputShape.reduce((a, b) => a * b, 1);
  };

  if (spec.backbone) {
    const [h, w] = backbone?.inputSize ?? [0, 0];
    if (!backbone) {
      issues.push({ path: ['backbone', 'id'], ...said('model.summary.unknownBackbone', { id: spec.backbone.id }) });
    } else if (spec.input.height !== h || spec.input.width !== w || spec.input.channels !== 3) {
      issues.push({
        path: ['input', 'width'],
        ...said('model.summary.backboneInput', {
          title: backbone.title,
          w,
          h,
          width: spec.input.width,
          height: spec.input.height,
          channels: spec.input.channels,
        }),
      });
    } else {
      shape = [backbone.features];
      // Fine-tuned blocks are counted as frozen here: their share of the backbone is not known statically.
      // Keras prints a nested model as "<its name> (Functional)".
      push('Functional', null, shape, backbone.params, backbone.params, 0);
      rows.at(-1)!.name = backbone.name;
    }
  }

  let blocked = false;
  spec.layers.forEach((layer, index) => {
    if (!layer.enabled || blocked) return;
    const result = step(layer, shape);
    if ('issue' in result) {
      issues.push({ path: ['layers', String(index), result.field], ...result.issue });
      // Later shapes are unknown; one issue per cause keeps the messages about real problems.
      blocked = true;
      return;
    }
    shape = result.shape;
    push(layer.type, index, shape, result.params ?? 0, result.nonTrainable ?? 0, result.macs ?? 0);
  });

  if (!blocked) {
    const units = Math.max(1, numClasses);
    if (shape.length !== 1) {
      issues.push({
        path: ['layers'],
        ...said('model.summary.outputNeedsFlat', { shape: shape.join(', ') }),
      });
    } else {
      push('Dense', null, [units], (shape[0]! + 1) * units, 0, shape[0]! * units);
    }
  }

  const totalParams = rows.reduce((sum, row) => sum + row.params, 0);
  const nonTrainableParams = rows.reduce((sum, row) => sum + row.nonTrainableParams, 0);
  if (totalParams > MAX_PARAMS) {
    issues.push({
      path: ['layers'],
      ...said('model.summary.tooManyParams', { count: totalParams, max: MAX_PARAMS }),
    });
  }
  return {
    rows,
    totalParams,
    trainableParams: totalParams - nonTrainableParams,
    nonTrainableParams,
    multiplyAdds: rows.reduce((sum, row) => sum + row.multiplyAdds, 0),
    weightBytes: totalParams * 4,
    activationBytesPerImage: activationValues * 4,
    issues,
  };
}
