// Every layer kind the spec offers, as the trainer builds it in TensorFlow.js, through every
// model format: ONNX and TensorFlow Lite predictions match TensorFlow.js within 1e-4
// (onnxruntime-node, LiteRT.js), int8 TensorFlow Lite within a few percent, the Keras
// files hold every weight under Keras's names (h5py). A layer a format cannot express greys that
// format out with the layer's name; exporting it anyway is refused, and a cancelled export
// leaves nothing behind.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { strFromU8, unzipSync } from 'fflate';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportFormat, RunInfo } from '../../preload/contract';
import { exportChoices, exportModel, type ExportJob } from '../../main/core/export/export';
import { kerasNames } from '../../main/core/export/keras-config';
import { readSavedModel } from '../../main/core/export/saved-model';
import { TFLITE_FILE } from '../../main/core/export/tflite';
import { loadTflite } from '../../main/core/export/tflite-runtime';
import { nested, said } from '../../common/messages/said';
import { PRESETS } from '../../common/model/presets';
import { saveModel } from '../../main/trainer/model-files';
import { loadExport } from '../helpers/export-reader';
import { runPython, skipWithoutPython } from '../helpers/python';
import { writeShapeDataset } from '../helpers/shapes';
import { removeTempDirs, tempDir } from '../helpers/temp';
import { projectPaths } from '../../main/core/projects/project-paths';

const CLASSES = ['a', 'b', 'c'];
const SHAPE: [number, number, number] = [12, 12, 3];

/** Models covering every layer kind and activation the spec offers, built as the trainer builds them. */
const MODELS: Record<string, () => tf.layers.Layer[]> = {
  convolutions: () => [
    tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
    tf.layers.batchNormalization({ epsilon: 0.01 }),
    tf.layers.separableConv2d({ filters: 5, kernelSize: 2, depthMultiplier: 2, padding: 'valid', activation: 'swish' }),
    tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 1, padding: 'same', activation: 'elu' }),
    tf.layers.zeroPadding2d({
      padding: [
        [1, 2],
        [0, 1],
      ],
    }),
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
async function savedRun(
  name: string,
  layers: tf.layers.Layer[],
): Promise<{ model: tf.LayersModel; job: (format: ExportFormat) => ExportJob }> {
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape: SHAPE }));
  for (const layer of layers) model.add(layer);
  model.add(tf.layers.dense({ units: CLASSES.length, activation: 'softmax' }));
  // Random weights everywhere (positive variances), so a misplaced weight changes the output.
  model.setWeights(
    model.weights.map((w, i) =>
      tf.randomUniform(
        w.shape as number[],
        w.name.includes('variance') ? 0.5 : -0.6,
        w.name.includes('variance') ? 1.5 : 0.6,
        'float32',
        i + 1,
      ),
    ),
  );
  const runFolder = join(root, name);
  await saveModel(tf, model, join(runFolder, 'best'));
  const spec = PRESETS.find((p) => p.id === 'small-cnn')!.build({ width: SHAPE[1], height: SHAPE[0], channels: 3, resize: 'squash' });
  const run: RunInfo = {
    id: `${name}-run-0000`,
    projectId: 'p',
    name: 'Run 1',
    defaultName: null,
    starred: false,
    status: 'completed',
    spec,
    classNames: CLASSES,
    backend: null,
    createdAt: '',
    finishedAt: '',
    epochs: [],
    bestEpoch: null,
    durationSeconds: 0,
    estimate: null,
    error: null,
  };
  const job = (format: ExportFormat): ExportJob => ({
    run,
    runFolder,
    format,
    weights: 'best',
    quantization: 'none',
    parent: projectPaths(root).exports,
    images: () => [],
    evaluate: async () => null,
  });
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

  it.each([
    ['tflite', 1e-4],
    // int8 weights: each weight moves by up to half a step of 1/127 of its channel's largest.
    ['tflite-int8', 0.05],
  ] as const)('%s (LiteRT.js) predicts what TensorFlow.js predicts, within %s', async (format, tolerance) => {
    const result = await exportModel(job(format));
    const tflite = await loadTflite(readFileSync(join(result.directory, TFLITE_FILE)));
    const inputs = [0, 1, 2].map((seed) => tf.randomUniform([1, ...SHAPE], 0, 1, 'float32', 7 + seed));
    let difference = 0;
    for (const input of inputs) {
      const expected = (model.predict(input) as tf.Tensor).dataSync();
      const got = await tflite.predict(input.dataSync() as Float32Array, [1, ...SHAPE]);
      expect(got.length).toBe(expected.length);
      difference = Math.max(difference, ...Array.from(got, (v, i) => Math.abs(v - expected[i]!)));
    }
    tflite.close();
    console.log(`${name}: ${format} max |difference| ${difference}`);
    expect(difference).toBeLessThan(tolerance);
  });

  it.skipIf(skipWithoutPython('h5py'))('Keras files hold every weight under Keras names, in Keras order', async () => {
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
    expect(byFormat['onnx']).toMatchObject({
      available: false,
      reason: {
        message: expect.stringMatching(/^layer "up_sampling2d\w*" \(UpSampling2D\) cannot be written: UpSampling2D has no ONNX mapping/),
      },
    });
    expect(byFormat['onnx']!.reason).toMatchObject({
      key: 'model.export.layerCannot',
      params: { layerClass: 'UpSampling2D', why: nested(said('model.onnx.noLayer', { className: 'UpSampling2D' })) },
    });
    expect(byFormat['keras']!.reason!.message).toMatch(/UpSampling2D has no Keras mapping/);
    expect(byFormat['tflite']!.reason!.message).toMatch(/UpSampling2D has no TensorFlow Lite mapping/);
    expect(byFormat['tflite-int8']).toMatchObject({ available: false, reason: byFormat['tflite']!.reason });
    await expect(exportModel(job('onnx'))).rejects.toMatchObject({
      code: 'invalid-argument',
      message: `ONNX cannot hold this model: ${byFormat['onnx']!.reason!.message}`,
    });
    expect(
      existsSync(projectPaths(root).exports) ? readdirSync(projectPaths(root).exports).filter((f) => f.includes('upsampli')) : [],
    ).toEqual([]);
  });
});

describe('a transfer-learning run (pretrained backbone + trained head)', () => {
  it('offers the training bundle for a keras.applications MobileNet, greys the rest out saying why', async () => {
    const head = tf.sequential({ layers: [tf.layers.dense({ inputShape: [16], units: 3, activation: 'softmax' })] });
    const runFolder = join(root, 'transfer');
    await saveModel(tf, head, join(runFolder, 'best'));
    const spec = PRESETS.find((p) => p.id === 'transfer')!.build({ width: 1, height: 1, channels: 3, resize: 'crop' });
    const run: RunInfo = {
      id: 'transfer-run',
      projectId: 'p',
      name: 'Run 1',
      defaultName: null,
      starred: false,
      status: 'completed',
      spec,
      classNames: CLASSES,
      backend: null,
      createdAt: '',
      finishedAt: '',
      epochs: [],
      bestEpoch: null,
      durationSeconds: 0,
      estimate: null,
      error: null,
    };
    const choices = await exportChoices(run, runFolder);
    expect(choices.formats.map((f) => [f.format, f.available])).toEqual([
      ['tfjs', false],
      ['keras', false],
      ['h5', false],
      ['onnx', false],
      ['tflite', false],
      ['tflite-int8', false],
      ['bundle', true],
    ]);
    expect(choices.formats[0]!.reason!.message).toMatch(/^the pretrained network "mobilenet-v2-1.0-224" is kept apart/);
    const imported = await exportChoices({ ...run, spec: { ...spec, backbone: { id: 'my-own-net', trainable_blocks: 0 } } }, runFolder);
    expect(imported.formats.find((f) => f.format === 'bundle')).toMatchObject({
      available: false,
      reason: { message: expect.stringContaining('"my-own-net" is not one of them') },
    });
  });
});

describe('a fine-tuned transfer-learning run (the whole model saved, pretrained network nested)', () => {
  /** Saves `model` as a fine-tuned run's best weights (the transfer preset with blocks to fine-tune). */
  async function fineTunedRun(name: string, model: tf.LayersModel) {
    const runFolder = join(root, name);
    await saveModel(tf, model, join(runFolder, 'best'));
    const transfer = PRESETS.find((p) => p.id === 'transfer')!.build({ width: 8, height: 8, channels: 3, resize: 'crop' });
    const spec = { ...transfer, backbone: { ...transfer.backbone!, trainable_blocks: 1 } };
    const run: RunInfo = {
      id: `${name}-run-0000`,
      projectId: 'p',
      name: 'Run 1',
      defaultName: null,
      starred: false,
      status: 'completed',
      spec,
      classNames: CLASSES,
      backend: null,
      createdAt: '',
      finishedAt: '',
      epochs: [],
      bestEpoch: null,
      durationSeconds: 0,
      estimate: null,
      error: null,
    };
    return (format: ExportFormat): ExportJob => ({
      run,
      runFolder,
      format,
      weights: 'best',
      quantization: 'none',
      parent: projectPaths(root).exports,
      images: () => [],
      evaluate: async () => null,
    });
  }

  it('a plain-stack network is inlined and exported in every format; ONNX and TensorFlow Lite predict the same', async () => {
    // As buildFineTuneModel joins them: rescaling, the network, then a 1 x 1 x features head.
    const backbone = tf.sequential({
      name: 'tiny_backbone',
      layers: [
        tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, activation: 'relu' }),
        tf.layers.globalAveragePooling2d({}),
      ],
    });
    const model = tf.sequential({ name: 'fine_tuned' });
    model.add(tf.layers.rescaling({ inputShape: [8, 8, 3], scale: 2, offset: -1 }));
    model.add(backbone);
    model.add(tf.layers.reshape({ targetShape: [1, 1, 4] }));
    model.add(tf.layers.flatten());
    model.add(tf.layers.dense({ units: CLASSES.length, activation: 'softmax' }));
    model.setWeights(model.weights.map((w, i) => tf.randomUniform(w.shape as number[], -0.6, 0.6, 'float32', i + 11)));
    const job = await fineTunedRun('fine-tuned', model);
    const choices = await exportChoices(job('tfjs').run, job('tfjs').runFolder);
    expect(choices.formats.filter((f) => !f.available)).toEqual([]);
    const saved = await readSavedModel(join(job('tfjs').runFolder, 'best'));
    expect(saved.layers.map((l) => l.className)).toEqual(['Rescaling', 'Conv2D', 'GlobalAveragePooling2D', 'Reshape', 'Flatten', 'Dense']);

    const input = tf.randomUniform([1, 8, 8, 3], 0, 1, 'float32', 3);
    const expected = (model.predict(input) as tf.Tensor).dataSync();
    const tflite = await loadTflite(readFileSync(join((await exportModel(job('tflite'))).directory, TFLITE_FILE)));
    const session = await ort.InferenceSession.create(join((await exportModel(job('onnx'))).directory, 'model.onnx'));
    const fromOnnx = (await session.run({ input: new ort.Tensor('float32', input.dataSync() as Float32Array, [1, 8, 8, 3]) }))[
      'probabilities'
    ]!.data as Float32Array;
    for (const got of [await tflite.predict(input.dataSync() as Float32Array, [1, 8, 8, 3]), fromOnnx]) {
      expect(Math.max(...Array.from(got, (v, i) => Math.abs(v - expected[i]!)))).toBeLessThan(1e-4);
    }
    tflite.close();
    // The TensorFlow.js export keeps the nested topology and every weight under its own name.
    const tfjs = await exportModel(job('tfjs'));
    const copied = JSON.parse(readFileSync(join(tfjs.directory, 'model.json'), 'utf8')) as {
      weightsManifest: { weights: { name: string }[] }[];
    };
    expect(copied.weightsManifest[0]!.weights.map((w) => w.name)).toEqual(model.weights.map((w) => w.name));
    // The Keras files hold the flat stack: Reshape included, the network's layers in its place.
    const keras = await exportModel(job('keras'));
    const config = JSON.parse(strFromU8(unzipSync(readFileSync(join(keras.directory, 'model.keras')))['config.json']!)) as {
      config: { layers: { class_name: string }[] };
    };
    expect(config.config.layers.map((l) => l.class_name)).toEqual([
      'InputLayer',
      'Rescaling',
      'Conv2D',
      'GlobalAveragePooling2D',
      'Reshape',
      'Flatten',
      'Dense',
    ]);
    expect((await exportModel(job('h5'))).files).toContain('model.h5');
  });

  it('a network whose layers branch (MobileNet-like) is exported as TensorFlow.js, ONNX and TensorFlow Lite, the Keras formats saying why', async () => {
    // A MobileNet V2 block in miniature: expand, ReLU6, depthwise, project, residual addition.
    const image = tf.input({ shape: [8, 8, 3] });
    const apply = (layer: tf.layers.Layer, input: tf.SymbolicTensor | tf.SymbolicTensor[]) => layer.apply(input) as tf.SymbolicTensor;
    const expand = apply(
      tf.layers.reLU({ maxValue: 6 }),
      apply(tf.layers.batchNormalization({}), apply(tf.layers.conv2d({ filters: 6, kernelSize: 1, useBias: false }), image)),
    );
    const depthwise = apply(
      tf.layers.reLU({ maxValue: 6 }),
      apply(tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false }), expand),
    );
    const project = apply(tf.layers.conv2d({ filters: 3, kernelSize: 1 }), depthwise);
    const residual = apply(tf.layers.add(), [image, project]);
    const backbone = tf.model({ name: 'branching', inputs: image, outputs: apply(tf.layers.globalAveragePooling2d({}), residual) });
    const model = tf.sequential({
      layers: [
        tf.layers.inputLayer({ inputShape: [8, 8, 3] }),
        backbone,
        tf.layers.dense({ units: CLASSES.length, activation: 'softmax' }),
      ],
    });
    model.setWeights(
      model.weights.map((w, i) =>
        tf.randomUniform(
          w.shape as number[],
          w.name.includes('variance') ? 0.5 : -0.6,
          w.name.includes('variance') ? 1.5 : 0.6,
          'float32',
          i + 21,
        ),
      ),
    );
    const job = await fineTunedRun('branching', model);
    const choices = await exportChoices(job('tfjs').run, job('tfjs').runFolder);
    expect(choices.formats.filter((f) => f.available).map((f) => f.format)).toEqual(['tfjs', 'onnx', 'tflite', 'tflite-int8', 'bundle']);
    expect(choices.formats.find((f) => f.format === 'keras')!.reason!.message).toMatch(
      /^layer "branching" \(\w+\) cannot be written: it is a pretrained network whose layers branch/,
    );
    const input = tf.randomUniform([1, 8, 8, 3], 0, 1, 'float32', 9);
    const expectedLite = (model.predict(input) as tf.Tensor).dataSync();
    const tflite = await loadTflite(readFileSync(join((await exportModel(job('tflite'))).directory, TFLITE_FILE)));
    const session = await ort.InferenceSession.create(join((await exportModel(job('onnx'))).directory, 'model.onnx'));
    const fromOnnx = (await session.run({ input: new ort.Tensor('float32', input.dataSync() as Float32Array, [1, 8, 8, 3]) }))[
      'probabilities'
    ]!.data as Float32Array;
    for (const got of [await tflite.predict(input.dataSync() as Float32Array, [1, 8, 8, 3]), fromOnnx]) {
      expect(Math.max(...Array.from(got, (v, i) => Math.abs(v - expectedLite[i]!)))).toBeLessThan(1e-4);
    }
    tflite.close();
    // The TensorFlow.js export loads back, nested network and all, and predicts the same.
    const reloaded = (await loadExport((await exportModel(job('tfjs'))).directory)).model;
    const batch = tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', 5);
    const [expected, reread] = [model, reloaded].map((m) => Array.from((m.predict(batch) as tf.Tensor).dataSync()));
    expect(Math.max(...reread!.map((v, i) => Math.abs(v - expected![i]!)))).toBeLessThan(1e-6);
  });
});

describe('a cancelled export', () => {
  it('stops between images and leaves nothing under the final or a temporary name', async () => {
    const shapes = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 6, size: 16, seed: 2 });
    const { job } = await savedRun('cancelled', [tf.layers.flatten()]);
    const parent = tempDir();
    const controller = new AbortController();
    const files = ['circle', 'square', 'triangle'].flatMap((c) =>
      readdirSync(join(shapes, c)).map((f) => ({ path: join(shapes, c, f), className: c, split: 'train' as const })),
    );
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
