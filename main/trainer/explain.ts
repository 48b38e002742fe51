// What a model looked at in one image. Grad-CAM where the network has a convolution of its own:
// the last convolution's feature maps weighted by the mean gradient of the class score (the logit,
// before softmax, so a confident model still has gradients). Otherwise, and for transfer runs whose
// backbone is a separate (possibly graph) model that cannot be differentiated through, occlusion
// sensitivity: how much hiding each region of the image lowers the class's probability.
import { imageToPixels } from '../core/dataset/preprocess';
import type { InputSpec } from '../../common/model/spec';
import { modelFor } from './predict';
import type { ExplainResult, TrainerRequest } from './protocol';
import type { Tf } from './tf';
import { features } from './features';

type LayersModel = import('@tensorflow/tfjs').LayersModel;
type Layer = import('@tensorflow/tfjs').layers.Layer;
type Tensor = import('@tensorflow/tfjs').Tensor;
type SymbolicTensor = import('@tensorflow/tfjs').SymbolicTensor;
type Tensor2D = import('@tensorflow/tfjs').Tensor2D;
type Tensor4D = import('@tensorflow/tfjs').Tensor4D;

/** Probabilities ([count, classes], row-major) of `count` images given as pixels in Capa's scale. */
export type Scorer = (pixels: Float32Array, count: number) => Promise<Float32Array>;

/** Cells along the longer side of an occlusion map: 64 forward passes for a square image. */
export const OCCLUSION_CELLS = 8;
/** Cells along the longer side of a Grad-CAM map (the feature maps are resized to it). */
export const GRAD_CAM_CELLS = 16;

const CONVOLUTIONS = new Set(['Conv2D', 'SeparableConv2D', 'DepthwiseConv2D']);

/** A map shape with the input's aspect and `cells` along its longer side. */
export function mapShape(input: InputSpec, cells: number): { width: number; height: number } {
  const long = Math.max(input.width, input.height);
  return { width: Math.max(1, Math.round((cells * input.width) / long)), height: Math.max(1, Math.round((cells * input.height) / long)) };
}

/** Scales values to [0, 1] by their maximum (all zeros stay zeros). */
function normalized(values: ArrayLike<number>): number[] {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i]!);
  return Array.from(values, (v) => (max > 0 ? Math.max(0, v) / max : 0));
}

/** Occlusion sensitivity of class `classIndex` in one image (`pixels`, h x w x c). */
export async function occlusionMap(
  input: InputSpec,
  pixels: Float32Array,
  classIndex: number,
  score: Scorer,
  classes: number,
): Promise<ExplainResult> {
  const { width, height } = mapShape(input, OCCLUSION_CELLS);
  const { width: w, height: h, channels: c } = input;
  // Hidden regions take the image's mean colour, so hiding adds no edge of its own.
  const mean = new Float32Array(c);
  for (let i = 0; i < pixels.length; i++) mean[i % c]! += pixels[i]! / (w * h);
  const cellW = w / width;
  const cellH = h / height;
  const batch = new Float32Array((width * height + 1) * pixels.length);
  batch.set(pixels, 0);
  for (let gy = 0; gy < height; gy++) {
    for (let gx = 0; gx < width; gx++) {
      const copy = batch.subarray((1 + gy * width + gx) * pixels.length, (2 + gy * width + gx) * pixels.length);
      copy.set(pixels);
      // A window two cells wide centred on the cell: overlapping windows give a smoother map.
      const x0 = Math.max(0, Math.floor((gx - 0.5) * cellW));
      const x1 = Math.min(w, Math.ceil((gx + 1.5) * cellW));
      const y0 = Math.max(0, Math.floor((gy - 0.5) * cellH));
      const y1 = Math.min(h, Math.ceil((gy + 1.5) * cellH));
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) for (let k = 0; k < c; k++) copy[(y * w + x) * c + k] = mean[k]!;
    }
  }
  const probabilities = await score(batch, width * height + 1);
  const original = probabilities[classIndex]!;
  const drops = Array.from({ length: width * height }, (_, i) => original - probabilities[(i + 1) * classes + classIndex]!);
  return { method: 'occlusion', classIndex, width, height, values: normalized(drops) };
}

/** The last convolution among the model's own layers, with its position, or null. */
function lastConvolution(layers: readonly Layer[]): number | null {
  for (let i = layers.length - 1; i >= 0; i--) if (CONVOLUTIONS.has(layers[i]!.getClassName())) return i;
  return null;
}

/**
 * Grad-CAM of class `classIndex` for a sequential model (Capa builds every trained network as
 * one), or null when it has no convolution or the map is empty (then occlusion explains it).
 */
export async function gradCamMap(
  tf: Tf,
  model: LayersModel,
  input: InputSpec,
  pixels: Float32Array,
  classIndex: number,
): Promise<ExplainResult | null> {
  const layers = model.layers.filter((layer) => layer.getClassName() !== 'InputLayer');
  const convIndex = lastConvolution(layers);
  const output = layers.at(-1);
  if (convIndex === null || !output || output.getClassName() !== 'Dense') return null;
  const features = tf.model({ inputs: model.inputs, outputs: layers[convIndex]!.output as SymbolicTensor });
  const between = layers.slice(convIndex + 1, -1);
  const [kernel, bias] = output.getWeights();
  const { width, height } = mapShape(input, GRAD_CAM_CELLS);
  // The sub-model shares the layers (and weights) of `model`: nothing of its own to dispose.
  const cam = tf.tidy(() => {
    const maps = features.predict(tf.tensor4d(pixels, [1, input.height, input.width, input.channels])) as Tensor;
    // The class's logit: the output layer without its softmax.
    const logit = (a: Tensor): Tensor => {
      const hidden = between.reduce((t, layer) => layer.apply(t) as Tensor, a);
      const logits = tf.matMul(hidden as Tensor2D, kernel as Tensor2D);
      return (bias ? logits.add(bias) : logits).slice([0, classIndex], [1, 1]).sum();
    };
    const gradients = tf.grad(logit)(maps);
    const weights = gradients.mean([0, 1, 2]);
    const weighted = tf.relu(maps.mul(weights).sum(-1, true)) as Tensor4D;
    return tf.image.resizeBilinear(weighted, [height, width]).reshape([height * width]);
  });
  const values = normalized(await cam.data());
  cam.dispose();
  if (values.every((v) => v === 0)) return null;
  return { method: 'grad-cam', classIndex, width, height, values };
}

/** Answers an explain request: Grad-CAM where it applies, occlusion otherwise. */
export async function explainImage(tf: Tf, request: Extract<TrainerRequest, { type: 'explain' }>): Promise<ExplainResult> {
  const { input, backbone } = request;
  const model = await modelFor(tf, request.modelDir);
  const pixels = await imageToPixels('path' in request.image ? request.image.path : request.image.bytes, input);
  const classes = model.outputs[0]!.shape.at(-1)!;
  const score: Scorer = async (batch, count) => {
    const x = backbone
      ? await features(tf, backbone, batch, count).then(({ values, length }) => tf.tensor4d(values, [count, 1, 1, length]))
      : tf.tensor4d(batch, [count, input.height, input.width, input.channels]);
    const output = tf.tidy(() => model.predict(x) as Tensor);
    x.dispose();
    try {
      return (await output.data()) as Float32Array;
    } finally {
      output.dispose();
    }
  };
  const classIndex = request.classIndex ?? argmaxOf(await score(pixels, 1));
  // A frozen backbone is a separate model (often a graph model): the head's convolutions, if any, see features, not pixels.
  const cam = backbone ? null : await gradCamMap(tf, model, input, pixels, classIndex);
  return cam ?? occlusionMap(input, pixels, classIndex, score, classes);
}

function argmaxOf(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
