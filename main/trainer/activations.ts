// What a network computes inside, for the "look inside" views: every layer's output for one
// picture (one forward pass through a model whose outputs are all the layers'). The first
// convolution's filters, sent while a run trains, are in filters.ts.
import { MAX_MAP_CHANNELS, MAX_MAP_SIDE, MAX_VECTOR_UNITS, type LayerActivations } from '../../preload/contract-activations';
import type { InputSpec } from '../../common/model/spec';
import { imageToPixels } from '../core/dataset/preprocess';
import { modelFor } from './predict';
import type { ImageSource, TrainerBackbone } from './protocol';
import { features } from './features';
import type { Tf } from './tf';

type LayersModel = import('@tensorflow/tfjs').LayersModel;
type Tensor = import('@tensorflow/tfjs').Tensor;
type SymbolicTensor = import('@tensorflow/tfjs').SymbolicTensor;

/** The layers a person sees as blocks: every layer but the input placeholder. */
const shownLayers = (model: LayersModel) => model.layers.filter((layer) => layer.getClassName() !== 'InputLayer');

/**
 * A layer's output in this model. A fine-tuned backbone is a model used as a layer: its first
 * node is its own graph, and the node this model added when it called it comes last.
 */
function outputIn(layer: LayersModel['layers'][number]): SymbolicTensor {
  const nodes = layer.inboundNodes.length;
  return (nodes > 1 ? layer.getOutputAt(nodes - 1) : layer.output) as SymbolicTensor;
}

/**
 * Every shown layer's output for the batch `x` (of one picture), first layer first. Image-shaped
 * outputs keep their first channels, sampled to at most MAX_MAP_SIDE a side; vectors their first units.
 */
export async function layerActivations(tf: Tf, model: LayersModel, x: Tensor): Promise<LayerActivations[]> {
  const layers = shownLayers(model);
  // One model with every layer's output: one forward pass, the same weights, nothing copied.
  const probe = tf.model({ inputs: model.inputs, outputs: layers.map(outputIn) });
  const outputs = [probe.predict(x)].flat() as Tensor[];
  try {
    return await Promise.all(layers.map((layer, i) => describe(layer.name, layer.getClassName(), outputs[i]!)));
  } finally {
    tf.dispose(outputs);
  }
}

async function describe(name: string, type: string, output: Tensor): Promise<LayerActivations> {
  const shape = output.shape.slice(1);
  const values = (await output.data()) as Float32Array;
  if (shape.length !== 3) return { kind: 'vector', name, type, shape, values: Array.from(values.subarray(0, MAX_VECTOR_UNITS)) };
  const [height, width, channels] = shape as [number, number, number];
  const step = Math.ceil(Math.max(height, width) / MAX_MAP_SIDE);
  const rows = Math.ceil(height / step);
  const columns = Math.ceil(width / step);
  const maps = Array.from({ length: Math.min(channels, MAX_MAP_CHANNELS) }, (_, c) => {
    const map = new Array<number>(rows * columns);
    for (let r = 0; r < rows; r++)
      for (let k = 0; k < columns; k++) map[r * columns + k] = values[(r * step * width + k * step) * channels + c]!;
    return map;
  });
  return { kind: 'maps', name, type, shape, height: rows, width: columns, step, maps };
}

/** Every layer's activations for one picture with the saved model in `modelDir`; a frozen backbone turns the picture into the head's input first. */
export async function imageActivations(
  tf: Tf,
  modelDir: string,
  input: InputSpec,
  image: ImageSource,
  backbone?: TrainerBackbone,
): Promise<LayerActivations[]> {
  const model = await modelFor(tf, modelDir);
  const pixels = await imageToPixels('path' in image ? image.path : image.bytes, input);
  let x: Tensor;
  if (backbone) {
    const { values, length } = await features(tf, backbone, pixels, 1);
    x = tf.tensor4d(values, [1, 1, 1, length]);
  } else {
    x = tf.tensor4d(pixels, [1, input.height, input.width, input.channels]);
  }
  try {
    return await layerActivations(tf, model, x);
  } finally {
    x.dispose();
  }
}
