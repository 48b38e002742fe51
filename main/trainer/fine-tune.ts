// Fine-tuning: the backbone's last blocks learn together with the head, as one model (rescaling,
// backbone, pooling, head). Only layers models can be trained in TensorFlow.js; graph models stay
// frozen. The whole model is saved, so prediction and export need no separate backbone.
import { PIXEL_NORMALIZATION } from '../core/dataset/preprocess';
import { readArtifacts } from './model-files';
import type { TrainerBackbone } from './protocol';
import type { Tf } from './tf';

type Layer = import('@tensorflow/tfjs').layers.Layer;
type LayersModel = import('@tensorflow/tfjs').LayersModel;

/**
 * The backbone's layers with weights, in order, grouped into blocks: Keras names the layers of a
 * MobileNet block `block_<n>_…` (V2) or `expanded_conv_<n>_…` (V3); any other layer with weights
 * is a block of its own, and a BatchNormalization joins the block of the layer it normalises.
 */
export function blocksOf(model: LayersModel): Layer[][] {
  const blocks: { key: string; layers: Layer[] }[] = [];
  for (const layer of model.layers) {
    if (layer.weights.length === 0) continue;
    const key = /^(block_?\d+|expanded_conv(?:_\d+)?)_/.exec(layer.name)?.[1] ?? layer.name;
    const last = blocks.at(-1);
    if (last && (last.key === key || layer.getClassName() === 'BatchNormalization')) last.layers.push(layer);
    else blocks.push({ key, layers: [layer] });
  }
  return blocks.map((block) => block.layers);
}

/** The backbone (last `blocks` blocks trainable) and the compiled head (`makeHead(features)`) joined into one compiled model. */
export async function buildFineTuneModel(
  tf: Tf,
  backbone: TrainerBackbone,
  blocks: number,
  makeHead: (features: number) => LayersModel,
): Promise<LayersModel> {
  if (backbone.format !== 'layers') {
    throw new Error(
      `The pretrained network "${backbone.id}" is a graph model; TensorFlow.js cannot train its weights. Set the blocks to fine-tune to 0.`,
    );
  }
  // A fresh copy: the frozen one used for features stays untouched.
  const base = await tf.loadLayersModel(tf.io.fromMemory(await readArtifacts(tf, backbone.dir)));
  const grouped = blocksOf(base);
  if (blocks > grouped.length) {
    throw new Error(
      `The pretrained network "${backbone.id}" has ${grouped.length} blocks with weights, so it cannot fine-tune the last ${blocks}.`,
    );
  }
  const trainable = new Set(grouped.slice(grouped.length - blocks).flat());
  for (const layer of base.layers) layer.trainable = trainable.has(layer);

  const size = backbone.inputSize;
  // Capa's pixels are byte * PIXEL_NORMALIZATION; the backbone wants byte * its scale + its offset.
  const factor = backbone.normalization.scale / PIXEL_NORMALIZATION.scale;
  const model = tf.sequential({ name: 'fine_tuned' });
  model.add(
    tf.layers.rescaling({
      inputShape: [size, size, 3],
      scale: factor,
      offset: backbone.normalization.offset - PIXEL_NORMALIZATION.offset * factor,
    }),
  );
  model.add(base);
  if (model.outputs[0]!.shape.length === 4) model.add(tf.layers.globalAveragePooling2d({}));
  const features = model.outputs[0]!.shape[1]!;
  // The head is built on 1 x 1 x features inputs (see headSpec); its layers are reused here.
  const head = makeHead(features);
  model.add(tf.layers.reshape({ targetShape: [1, 1, features] }));
  for (const layer of head.layers) if (layer.getClassName() !== 'InputLayer') model.add(layer);
  model.compile({ optimizer: head.optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
