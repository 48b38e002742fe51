// Keras-style summary of a spec: output shape and parameter count of every layer, computed
// with Keras's formulas, plus the shape errors Keras would raise, caught before training.
import { asPair, type LayerSpec, type ModelSpec, type SpecIssue } from './spec';

/** Shape without the batch dimension, as Keras prints it after `None`. */
export type Shape = number[];

/** One row of the summary. */
export interface SummaryRow {
  /** Keras-style name, e.g. "conv2d_1". */
  name: string;
  /** Layer class name, e.g. "Conv2D". */
  type: string;
  /** Output shape without the batch dimension. */
  outputShape: Shape;
  /** Number of weights and biases. */
  params: number;
}

/** The whole summary, or the issues that stop it. */
export interface ModelSummary {
  rows: SummaryRow[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
  /** Problems found; a spec with none builds and trains. */
  issues: SpecIssue[];
}

/** What the summary needs to know of a pretrained backbone (from the backbone catalogue). */
export interface BackboneShape {
  /** Name shown in the summary, e.g. "MobileNetV2 1.0 224". */
  title: string;
  /** Image size the backbone was trained on: [height, width]. */
  inputSize: [number, number];
  /** Length of the pooled feature vector it outputs. */
  features: number;
  /** Number of its weights (frozen unless fine-tuned). */
  params: number;
}

function convOutput(size: number, kernel: number, stride: number, padding: 'valid' | 'same'): number {
  return padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1;
}

function snake(type: string): string {
  return type.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace('2_d', '2d');
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

  const push = (type: string, outputShape: Shape, params: number) => {
    const n = counters.get(type) ?? 0;
    counters.set(type, n + 1);
    rows.push({ name: n === 0 ? snake(type) : `${snake(type)}_${n}`, type, outputShape, params });
  };

  let frozen = 0;
  if (spec.backbone) {
    const [h, w] = backbone?.inputSize ?? [0, 0];
    if (!backbone) {
      issues.push({ path: ['backbone', 'id'], message: `Unknown pretrained network "${spec.backbone.id}"; choose one from the list or import it from a folder.` });
    } else if (spec.input.height !== h || spec.input.width !== w || spec.input.channels !== 3) {
      issues.push({
        path: ['input', 'width'],
        message: `${backbone.title} takes ${w}x${h} RGB images, but the input is ${spec.input.width}x${spec.input.height}x${spec.input.channels}; set the input to ${w}x${h} RGB.`,
      });
    } else {
      shape = [backbone.features];
      push(backbone.title, shape, backbone.params);
      frozen = backbone.params;
    }
  }

  const layers: LayerSpec[] = [...spec.layers, { type: 'Dense', units: Math.max(1, numClasses), activation: 'softmax' }];
  layers.forEach((layer, index) => {
    const at = (field: string): string[] => ['layers', String(index), field];
    const isOutput = index === spec.layers.length;
    switch (layer.type) {
      case 'Conv2D':
      case 'MaxPooling2D': {
        if (shape.length !== 3) {
          issues.push({ path: at('type'), message: `${layer.type} needs an image (height, width, channels) but receives a flat vector of ${shape[0]} values; move it before Flatten.` });
          return;
        }
        const [h, w, c] = shape as [number, number, number];
        const [kh, kw] = asPair(layer.type === 'Conv2D' ? layer.kernel_size : layer.pool_size);
        const strideValue = layer.type === 'MaxPooling2D' ? (layer.strides ?? layer.pool_size) : layer.strides;
        const [sh, sw] = asPair(strideValue);
        const field = layer.type === 'Conv2D' ? 'kernel_size' : 'pool_size';
        if (layer.padding === 'valid' && (kh > h || kw > w)) {
          issues.push({
            path: at(field),
            message: `${layer.type === 'Conv2D' ? 'Kernel' : 'Pool'} ${kh}x${kw} is larger than the ${h}x${w} input of this layer; use padding "same" or a smaller ${layer.type === 'Conv2D' ? 'kernel' : 'pool'}.`,
          });
          return;
        }
        const out = [convOutput(h, kh, sh, layer.padding), convOutput(w, kw, sw, layer.padding)];
        if (layer.type === 'Conv2D') {
          shape = [out[0]!, out[1]!, layer.filters];
          push('Conv2D', shape, (kh * kw * c + 1) * layer.filters);
        } else {
          shape = [out[0]!, out[1]!, c];
          push('MaxPooling2D', shape, 0);
        }
        return;
      }
      case 'Flatten':
        shape = [shape.reduce((a, b) => a * b, 1)];
        push('Flatten', shape, 0);
        return;
      case 'Dropout':
        push('Dropout', shape, 0);
        return;
      case 'Dense': {
        if (shape.length !== 1) {
          issues.push({
            path: isOutput ? ['layers'] : at('type'),
            message: `Dense needs a flat vector but receives an image of shape (${shape.join(', ')}); add a Flatten layer before it.`,
          });
          return;
        }
        const params = (shape[0]! + 1) * layer.units;
        shape = [layer.units];
        push('Dense', shape, params);
        return;
      }
    }
  });

  const totalParams = rows.reduce((sum, row) => sum + row.params, 0);
  // Fine-tuned blocks are counted as frozen here: their share of the backbone is not known statically.
  return { rows, totalParams, trainableParams: totalParams - frozen, nonTrainableParams: frozen, issues };
}
