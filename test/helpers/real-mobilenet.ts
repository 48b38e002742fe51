// The real Keras MobileNet V2 (224 px, trained weights, uint8-quantised) that nsfwjs@4.4.0 ships
// as base64 JavaScript modules, written out as a TensorFlow.js layers-model folder cut at
// out_relu (7 x 7 x 1280): a real pretrained backbone without a download. Tests and benches only.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { saveModel } from '../../main/trainer/model-files';

/** Length of its pooled feature vector. */
export const REAL_MOBILENET_FEATURES = 1280;

/** Writes the cut network (float32 weights) into `dir`. */
export async function writeRealMobileNet(dir: string): Promise<void> {
  const require = createRequire(join(process.cwd(), 'package.json'));
  const folder = join(process.cwd(), 'node_modules', 'nsfwjs', 'dist', 'models', 'mobilenet_v2');
  const { modelTopology, weightsManifest } = require(join(folder, 'model.min.js')) as {
    modelTopology: object;
    weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[];
  };
  const shard = Buffer.from(require(join(folder, 'group1-shard1of1.min.js')) as string, 'base64');
  const weightData = shard.buffer.slice(shard.byteOffset, shard.byteOffset + shard.byteLength) as ArrayBuffer;
  const full = await tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology, weightSpecs: weightsManifest.flatMap((g) => g.weights), weightData }),
  );
  const cut = tf.model({
    inputs: full.inputs,
    outputs: full.getLayer('out_relu').output as tf.SymbolicTensor,
    name: 'mobilenetv2_1.00_224',
  });
  await saveModel(tf, cut, dir);
  full.dispose();
}
