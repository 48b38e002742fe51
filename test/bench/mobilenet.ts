// A MobileNet V2 (width 1.0, 224 px, no top) with Keras's layer names and seeded random weights,
// written as a TensorFlow.js layers model: the same work per image as the real backbone, for
// measuring transfer learning here, where the pretrained weights cannot be downloaded.
import * as tf from '@tensorflow/tfjs';
import { writeArtifacts } from '../../main/trainer/model-files';

type SymbolicTensor = import('@tensorflow/tfjs').SymbolicTensor;

/** Writes the network into `dir` and returns its number of weights. */
export async function writeMobileNetV2(dir: string): Promise<number> {
  await tf.setBackend('cpu');
  let seed = 1;
  const init = () => tf.initializers.heNormal({ seed: seed++ });
  const relu6 = (x: SymbolicTensor, name: string) => tf.layers.reLU({ maxValue: 6, name }).apply(x) as SymbolicTensor;
  const bn = (x: SymbolicTensor, name: string) =>
    tf.layers.batchNormalization({ epsilon: 1e-3, momentum: 0.999, name }).apply(x) as SymbolicTensor;
  const conv = (x: SymbolicTensor, filters: number, name: string) =>
    tf.layers
      .conv2d({ filters, kernelSize: 1, useBias: false, padding: 'same', kernelInitializer: init(), name })
      .apply(x) as SymbolicTensor;

  const input = tf.input({ shape: [224, 224, 3], name: 'input_1' });
  let x = tf.layers
    .conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', useBias: false, kernelInitializer: init(), name: 'Conv1' })
    .apply(input) as SymbolicTensor;
  x = relu6(bn(x, 'bn_Conv1'), 'Conv1_relu');
  let channels = 32;
  let block = 0;
  // (expansion, output channels, repeats, first stride), as in the paper and keras.applications.
  for (const [t, c, n, s] of [
    [1, 16, 1, 1],
    [6, 24, 2, 2],
    [6, 32, 3, 2],
    [6, 64, 4, 2],
    [6, 96, 3, 1],
    [6, 160, 3, 2],
    [6, 320, 1, 1],
  ] as const) {
    for (let i = 0; i < n; i++) {
      const prefix = block === 0 ? 'expanded_conv_' : `block_${block}_`;
      const stride = i === 0 ? s : 1;
      let y = x;
      if (t !== 1) y = relu6(bn(conv(y, channels * t, `${prefix}expand`), `${prefix}expand_BN`), `${prefix}expand_relu`);
      y = tf.layers
        .depthwiseConv2d({
          kernelSize: 3,
          strides: stride,
          padding: 'same',
          useBias: false,
          depthwiseInitializer: init(),
          name: `${prefix}depthwise`,
        })
        .apply(y) as SymbolicTensor;
      y = relu6(bn(y, `${prefix}depthwise_BN`), `${prefix}depthwise_relu`);
      y = bn(conv(y, c, `${prefix}project`), `${prefix}project_BN`);
      x = stride === 1 && channels === c ? (tf.layers.add({ name: `${prefix}add` }).apply([x, y]) as SymbolicTensor) : y;
      channels = c;
      block++;
    }
  }
  x = relu6(bn(conv(x, 1280, 'Conv_1'), 'Conv_1_bn'), 'out_relu');
  const model = tf.model({ inputs: input, outputs: x, name: 'mobilenetv2_1.00_224' });
  const params = model.countParams();
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      await writeArtifacts(tf, dir, artifacts);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  model.dispose();
  return params;
}
