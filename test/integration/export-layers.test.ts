// Every layer kind the spec offers, as the trainer builds it in TensorFlow.js, through every
// model format: ONNX predictions match TensorFlow.js within 1e-4 (onnxruntime-node), the Keras
// files hold every weight under Keras's names (h5py). A layer a format cannot express greys that
// format out with the layer's name; exporting it anyway is refused, and a cancelled export
// leaves nothing behind.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportFormat, RunInfo } from '../../preload/contract';
import { exportChoices, exportModel, type ExportJob } from '../../main/core/export/export';
import { kerasNames } from '../../main/core/export/keras-config';
import { readSavedModel } from '../../main/core/export/saved-model';
import { PRESETS } from '../../main/core/spec/presets';
import { saveModel } from '../../main/trainer/model-files';
import { pythonModuleMissing, runPython } from '../helpers/python';
import { writeShapeDataset } from '../helpers/shapes';
import { removeTempDirs, tempDir } from '../helpers/temp';

const CLASSES = ['a', 'b', 'c'];
const SHAPE: [number, number, number] = [12, 12, 3];

/** Models covering every layer kind and activation the spec offers, built as the trainer builds them. */
const MODELS: Record<string, () => tf.layers.Layer[]> = {
  convolutions: () => [
    tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
    tf.layers.batchNormalization({ epsilon: 0.01 }),
    tf.layers.separableConv2d({ filters: 5, kernelSize: 2, depthMultiplier: 2, padding: 'valid', activation: 'swish' }),
    tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 1, padding: 'same', activation: 'elu' }),
    tf.layers.zeroPadding2d({ padding: [[1, 2], [0, 1]] }),
    tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
    tf.layers.layerNormalization({ epsilon: 0.001 }),
    tf.layers.activation({ activation: 'gelu' }),
    tf.layers.leakyReLU({ alpha: 0.2 }),
    tf.layers.rescaling({ scale: 0.5, offset: 0.1 }),
    tf.layers.dropout({ rate: 0.3, noiseShape: [null, 1, 1, null] as unknown as number[] }),
    tf.layers.globalAveragePooling2d({}),
    tf.layers.dense({ units: 8, activation: 'selu' }),
  ],
  pooling: () => [
    tf.layers.conv2d({ filters: 3, kernelSize: [3, 2], padding: 'valid', activation: 'sigmoid' }),
    tf.layers.maxPooling2d({ poolSize: 2, padding: 'same' }),
    tf.layers.activation({ activation: 'tanh' }),
    tf.layers.conv2d({ filters: 4, kernelSize: 1, activation: 'linear' }),
    tf.layers.globalMaxPooling2d({}),
    tf.layers.dense({ units: 6, activation: 'relu' }),
    tf.layers.dropout({ rate: 0.5 }),
  ],
  flatten: () => [
    tf.layers.maxPooling2d({ poolSize: 3, strides: 2 }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 5, activation: 'softmax' }),
    tf.layers.activation({ activation: 'relu' }),
  ],
};

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = tempDir();
});
afterAll(() => removeTempDirs());

/** A model with random (seeded) weights, saved as a run's best weights, and a job for it. */
async function savedRun(name: string, layers: tf.layers.Layer[]): Promise<{ model: tf.LayersModel; job: (format: ExportFormat) => ExportJob }> {
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape: SHAPE }));
  for (const layer of layers) model.add(layer);
  model.add(tf.layers.dense({ units: CLASSES.length, activation: 'softmax' }));
  // Random weights everywhere (positive variances), so a misplaced weight changes the output.
  model.setWeights(model.weights.map((w, i) => tf.randomUniform(w.shape as number[], w.name.includes('variance') ? 0.5 : -0.6, w.name.includes('variance') ? 1.5 : 0.6, 'float32', i + 1)));
  const runFolder = join(root, name);
  await saveModel(tf, model, join(runFolder, 'best'));
  const spec = PRESETS.find((p) => p.id === 'small-cnn')!.build({ width: SHAPE[1], height: SHAPE[0], channels: 3, resize: 'squash' });
  const run: RunInfo = { id: `${name}-run-0000`, projectId: 'p', name: 'Run 1', starred: false, status: 'completed', spec, classNames: CLASSES, backend: null, createdAt: '', finishedAt: '', epochs: [], bestEpoch: null, durationSeconds: 0, error: null };
  const job = (format: ExportFormat): ExportJob => ({ run, runFolder, format, weights: 'best', quantization: 'none', parent: join(root, 'exports'), images: () => [], evaluate: async () => null });
  return { model, job };
}

describe.each(Object.keys(MODELS))('layer kinds (%s)', (name) => {
  let model: tf.LayersModel;
  let job: (format: ExportFormat) => ExportJob;
  beforeAll(async () => {
    ({ model, job } = await savedRun(name, MODELS[name]!()));
  });

  it('every format is offered', async () => {
    const choices = await exportChoices(job('tfjs').run, job('tfjs').runFolder);
    expect(choices.formats.filter((f) => !f.available)).toEqual([]);
  });

  it('ONNX predicts what TensorFlow.js predicts, within 1e-4', async () => {
    const result = await exportModel(job('onnx'));
    const session = await ort.InferenceSession.create(join(result.directory, 'model.onnx'));
    const input = tf.randomUniform([3, ...SHAPE], 0, 1, 'float32', 7);
    const expected = (model.predict(input) as tf.Tensor).dataSync();
    const output = await session.run({ input: new ort.Tensor('float32', input.dataSync() as Float32Array, [3, ...SHAPE]) });
    const got = output['probabilities']!.data as Float32Array;
    expect(got.length).toBe(expected.length);
    const difference = Math.max(...Array.from(got, (v, i) => Math.abs(v - expected[i]!)));
    console.log(`${name}: ONNX max |difference| ${difference}`);
    expect(difference).toBeLessThan(1e-4);
  });

  it.skipIf(pythonModuleMissing('h5py') !== null)('Keras files hold every weight under Keras names, in Keras order', async () => {
    const saved = await readSavedModel(join(job('keras').runFolder, 'best'));
    const names = kerasNames(saved.layers);
    const keras = await exportModel(job('keras'));
    const legacy = await exportModel(job('h5'));
    const dump = runPython<{ v3: Record<string, number[]>; v2: Record<string, number[]> }>(
      `import sys, json, zipfile, io, h5py
def arrays(f):
    out = {}
    f.visititems(lambda n, o: out.__setitem__(n, o[()].ravel().tolist()) if isinstance(o, h5py.Dataset) else None)
    return out
z = zipfile.ZipFile(sys.argv[1])
print(json.dumps({"v3": arrays(h5py.File(io.BytesIO(z.read("model.weights.h5")), "r")), "v2": arrays(h5py.File(sys.argv[2], "r"))}))`,
      [join(keras.directory, 'model.keras'), join(legacy.directory, 'model.h5')],
    );
    const expected3: Record<string, number[]> = {};
    const expected2: Record<string, number[]> = {};
    saved.layers.forEach((layer, i) =>
      layer.weights.forEach((weight, k) => {
        expected3[`layers/${names[i]}/vars/${k}`] = Array.from(weight.values);
        expected2[`model_weights/${names[i]}/${names[i]}/${weight.name}:0`] = Array.from(weight.values);
      }),
    );
    expect(dump.v3).toEqual(expected3);
    expect(dump.v2).toEqual(expected2);
  });
});

describe('a layer a format cannot express', () => {
  it('greys the format out with the layer and the reason, and refuses to export it', async () => {
    const { job } = await savedRun('upsampling', [tf.layers.upSampling2d({ size: [2, 2] }), tf.layers.flatten()]);
    const choices = await exportChoices(job('onnx').run, job('onnx').runFolder);
    const byFormat = Object.fromEntries(choices.formats.map((f) => [f.format, f]));
    expect(byFormat['tfjs']).toMatchObject({ available: true, reason: null });
    expect(byFormat['onnx']).toMatchObject({ available: false, reason: expect.stringMatching(/^layer "up_sampling2d\w*" \(UpSampling2D\) cannot be written: UpSampling2D has no ONNX mapping/) });
    expect(byFormat['keras']!.reason).toMatch(/UpSampling2D has no Keras mapping/);
    await expect(exportModel(job('onnx'))).rejects.toMatchObject({ code: 'invalid-argument', message: `ONNX cannot hold this model: ${byFormat['onnx']!.reason}` });
    expect(existsSync(join(root, 'exports')) ? readdirSync(join(root, 'exports')).filter((f) => f.includes('upsampli')) : []).toEqual([]);
  });
});

describe('a transfer-learning run (pretrained backbone + trained head)', () => {
  it('offers the training bundle for a keras.applications MobileNet, greys the rest out saying why', async () => {
    const head = tf.sequential({ layers: [tf.layers.dense({ inputShape: [16], units: 3, activation: 'softmax' })] });
    const runFolder = join(root, 'transfer');
    await saveModel(tf, head, join(runFolder, 'best'));
    const spec = PRESETS.find((p) => p.id === 'transfer')!.build({ width: 1, height: 1, channels: 3, resize: 'crop' });
    const run: RunInfo = { id: 'transfer-run', projectId: 'p', name: 'Run 1', starred: false, status: 'completed', spec, classNames: CLASSES, backend: null, createdAt: '', finishedAt: '', epochs: [], bestEpoch: null, durationSeconds: 0, error: null };
    const choices = await exportChoices(run, runFolder);
    expect(choices.formats.map((f) => [f.format, f.available])).toEqual([['tfjs', false], ['keras', false], ['h5', false], ['onnx', false], ['bundle', true]]);
    expect(choices.formats[0]!.reason).toMatch(/^the pretrained network "mobilenet-v2-1.0-224" is kept apart/);
    const imported = await exportChoices({ ...run, spec: { ...spec, backbone: { id: 'my-own-net', trainable_blocks: 0 } } }, runFolder);
    expect(imported.formats.find((f) => f.format === 'bundle')).toMatchObject({ available: false, reason: expect.stringContaining('"my-own-net" is not one of them') });
  });
});

describe('a cancelled export', () => {
  it('stops between images and leaves nothing under the final or a temporary name', async () => {
    const shapes = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 6, size: 16, seed: 2 });
    const { job } = await savedRun('cancelled', [tf.layers.flatten()]);
    const parent = tempDir();
    const controller = new AbortController();
    const files = ['circle', 'square', 'triangle'].flatMap((c) => readdirSync(join(shapes, c)).map((f) => ({ path: join(shapes, c, f), className: c, split: 'train' as const })));
    const cancelled: ExportJob = {
      ...job('bundle'),
      parent,
      signal: controller.signal,
      // The user cancels while the images are being copied.
      images: () => {
        setTimeout(() => controller.abort(), 0);
        return files.concat(files, files, files);
      },
    };
    await expect(exportModel(cancelled)).rejects.toMatchObject({ code: 'cancelled' });
    expect(readdirSync(parent)).toEqual([]);
    const finished = await exportModel({ ...cancelled, signal: undefined, images: () => files });
    expect(readdirSync(parent)).toEqual([finished.directory.split('/').at(-1)]);
  });
});
