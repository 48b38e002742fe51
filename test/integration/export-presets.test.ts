// Every trainable preset, every format, through the service: train for real, export, read each
// file back with an independent reader and compare predictions on the same images with the
// TensorFlow.js model (within 1e-4): @tensorflow/tfjs for TensorFlow.js, onnxruntime-node for
// ONNX, LiteRT.js for TensorFlow Lite, Debian's h5py for every group, dataset and weight of the Keras files, py_compile for
// the training bundle's script.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelExportResult, RunInfo } from '../../preload/contract';
import { runEnded } from '../helpers/train';
import { kerasNames } from '../../main/core/export/keras-config';
import type { ExportMetadata } from '../../main/core/export/metadata';
import { readSavedModel } from '../../main/core/export/saved-model';
import { loadTflite } from '../../main/core/export/tflite-runtime';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import type { CapaService } from '../../main/core/service/service-types';
import { PRESETS } from '../../common/model/presets';
import { loadExport, pixelsFor } from '../helpers/export-reader';
import { pyCompileError, runPython, skipWithoutPython, whenPython } from '../helpers/python';
import { writeShapeDataset } from '../helpers/shapes';
import { removeTempDirs, tempDir } from '../helpers/temp';

let service: CapaService;
let shapes: string;
const images = () =>
  ['circle/circle-1.png', 'square/square-2.png', 'triangle/triangle-3.png', 'circle/circle-7.png'].map((f) => join(shapes, f));
// The transfer preset needs a downloaded backbone, which this machine cannot fetch.
const TRAINABLE = PRESETS.filter((preset) => preset.id !== 'transfer');
const figures: string[] = [];

beforeAll(async () => {
  shapes = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 16, size: 24, seed: 5 });
  service = createCapaService({ dataDir: tempDir(), host: 'browser' });
});

afterAll(async () => {
  await service.close();
  removeTempDirs();
  console.log(`Export figures (format, ms, bytes, max |difference|):\n${figures.join('\n')}`);
});

async function trainedRun(presetId: string): Promise<{ projectId: string; run: RunInfo }> {
  const project = await callOrThrow(service, 'createProject', { name: presetId });
  await callOrThrow(service, 'importPaths', { projectId: project.id, paths: [shapes] });
  const spec = PRESETS.find((p) => p.id === presetId)!.build(
    { width: 24, height: 24, channels: 3, resize: 'squash' },
    { epochs: 2, batch_size: 16 },
  );
  await callOrThrow(service, 'saveSpec', { projectId: project.id, spec });
  let runId: string | undefined;
  const done = runEnded(service, () => runId);
  const started = await callOrThrow(service, 'startRun', { projectId: project.id });
  runId = started.id;
  await done;
  return { projectId: project.id, run: await callOrThrow(service, 'getRun', { projectId: project.id, runId: started.id }) };
}

/** The TensorFlow.js model's probabilities for the test images, as the app computes them. */
async function reference(projectId: string, runId: string): Promise<number[][]> {
  const rows: number[][] = [];
  for (const file of images()) {
    const prediction = await callOrThrow(service, 'predict', { projectId, runId, bytes: new Uint8Array(readFileSync(file)) });
    rows.push(prediction.probabilities.map((p) => p.probability));
  }
  return rows;
}

function maxDifference(a: number[][], b: number[][]): number {
  return Math.max(...a.flatMap((row, i) => row.map((v, k) => Math.abs(v - b[i]![k]!))));
}

const note = (result: ModelExportResult, difference: number | string) =>
  figures.push(`${result.format}\t${result.milliseconds.toFixed(0)} ms\t${result.bytes} B\t${difference}`);

const H5_DUMP = `
import sys, json, h5py, numpy
out = {}
def visit(name, obj):
    if isinstance(obj, h5py.Dataset):
        out[name] = {"shape": list(obj.shape), "dtype": str(obj.dtype), "values": obj[()].astype(numpy.float64).ravel().tolist()}
    else:
        out[name] = {"group": True}
f = h5py.File(sys.argv[1], "r")
f.visititems(visit)
attrs = {k: (v.decode() if isinstance(v, bytes) else [x.decode() if isinstance(x, bytes) else x for x in v] if hasattr(v, "__len__") and not isinstance(v, str) else v) for k, v in f.attrs.items()}
print(json.dumps({"items": out, "attrs": attrs, "weightsAttrs": {k: [x.decode() if isinstance(x, bytes) else x for x in v] if not isinstance(v, str) else v for k, v in f["model_weights"].attrs.items()} if "model_weights" in f else None}))
`;
import { projectPaths } from '../../main/core/projects/project-paths';

interface H5Dump {
  items: Record<string, { group?: true; shape?: number[]; dtype?: string; values?: number[] }>;
  attrs: Record<string, unknown>;
  weightsAttrs: Record<string, unknown> | null;
}

describe.each(TRAINABLE.map((p) => p.id))('preset %s: every format', (presetId) => {
  let projectId: string;
  let run: RunInfo;
  let expected: number[][];
  beforeAll(async () => {
    ({ projectId, run } = await trainedRun(presetId));
    expect(run.status).toBe('completed');
    expected = await reference(projectId, run.id);
  }, 120_000);

  const exportAs = (format: ModelExportResult['format'], extra: { quantization?: 'float16' | 'uint8'; weights?: 'last' } = {}) =>
    callOrThrow(service, 'exportRun', { projectId, runId: run.id, format, ...extra });

  it('offers every format for this model', async () => {
    const choices = await callOrThrow(service, 'exportChoices', { projectId, runId: run.id });
    expect(choices.formats.map((f) => [f.format, f.available])).toEqual([
      ['tfjs', true],
      ['keras', true],
      ['h5', true],
      ['onnx', true],
      ['tflite', true],
      ['tflite-int8', true],
      ['bundle', true],
    ]);
    expect(choices.weights).toEqual(['best', 'last']);
  });

  it('TensorFlow.js: @tensorflow/tfjs predicts the same, metadata names classes and preprocessing', async () => {
    const result = await exportAs('tfjs');
    expect(result.files).toEqual(['group1-shard1of1.bin', 'metadata.json', 'model.json', 'usage.js', 'usage.py']);
    const reader = await loadExport(result.directory);
    expect(reader.metadata).toMatchObject({
      format: 'tfjs',
      classNames: ['circle', 'square', 'triangle'],
      input: { width: 24, height: 24, channels: 3, resize: 'squash', layout: 'NHWC' },
      normalization: { scale: 1 / 255, offset: 0 },
      runId: run.id,
      weights: 'best',
    });
    const got = await Promise.all(images().map((f) => reader.predict(f)));
    const difference = maxDifference(got, expected);
    note(result, difference);
    expect(difference).toBeLessThan(1e-4);
  });

  it('TensorFlow.js quantised: smaller, loads, and reports the held-out accuracy before and after', async () => {
    const plain = await exportAs('tfjs');
    for (const quantization of ['float16', 'uint8'] as const) {
      const result = await exportAs('tfjs', { quantization });
      expect(result.accuracy).toMatchObject({ images: expect.any(Number) });
      expect(result.accuracy!.images).toBeGreaterThan(0);
      expect(result.bytes).toBeLessThan(plain.bytes);
      const reader = await loadExport(result.directory);
      const difference = maxDifference(await Promise.all(images().map((f) => reader.predict(f))), expected);
      note(result, `${difference} (${quantization}; accuracy ${result.accuracy!.original} -> ${result.accuracy!.exported})`);
      expect(difference).toBeLessThan(quantization === 'float16' ? 1e-2 : 0.2);
    }
  });

  it('ONNX: onnxruntime-node predicts the same (opset 17), and the ONNX checker accepts it where present', async () => {
    const result = await exportAs('onnx');
    const file = join(result.directory, 'model.onnx');
    const session = await ort.InferenceSession.create(file);
    expect(session.inputNames).toEqual(['input']);
    const metadata = JSON.parse(readFileSync(join(result.directory, 'metadata.json'), 'utf8')) as ExportMetadata;
    const got: number[][] = [];
    for (const image of images()) {
      const input = new ort.Tensor('float32', await pixelsFor(image, metadata), [1, 24, 24, 3]);
      const output = await session.run({ input });
      got.push(Array.from(output['probabilities']!.data as Float32Array));
    }
    const difference = maxDifference(got, expected);
    note(result, difference);
    expect(difference).toBeLessThan(1e-4);
    whenPython('onnx', 'the ONNX checker', () =>
      expect(
        runPython<{ ok: boolean }>(
          'import sys, json, onnx; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); print(json.dumps({"ok": m.opset_import[0].version == 17}))',
          [file],
        ),
      ).toEqual({ ok: true }),
    );
  });

  /** Probabilities of an exported .tflite for the test images, preprocessed from metadata.json alone. */
  async function tflitePredictions(result: ModelExportResult): Promise<number[][]> {
    const metadata = JSON.parse(readFileSync(join(result.directory, 'metadata.json'), 'utf8')) as ExportMetadata;
    const model = await loadTflite(readFileSync(join(result.directory, 'model.tflite')));
    const got: number[][] = [];
    for (const image of images()) got.push(Array.from(await model.predict(await pixelsFor(image, metadata), [1, 24, 24, 3])));
    model.close();
    return got;
  }

  it('TensorFlow Lite: LiteRT.js predicts the same; snippets in Python, JavaScript and Kotlin', async () => {
    const result = await exportAs('tflite');
    expect(result.files).toEqual(['metadata.json', 'model.tflite', 'usage.js', 'usage.kt', 'usage.py']);
    expect(result.snippets.map((s) => s.language)).toEqual(['Python', 'JavaScript', 'Kotlin']);
    expect(result.snippets[0]!.code).toContain('interpreter.get_signature_runner()');
    expect(result.snippets[2]!.code).toContain('x * 0.00392156862745098f + 0f');
    expect(result.accuracy).toBeNull();
    whenPython('py_compile', 'py_compile of usage.py', () => expect(pyCompileError(join(result.directory, 'usage.py'))).toBeNull());
    const difference = maxDifference(await tflitePredictions(result), expected);
    note(result, difference);
    expect(difference).toBeLessThan(1e-4);
  });

  it('TensorFlow Lite int8: smaller, LiteRT.js runs it, and the held-out accuracy before and after is reported', async () => {
    const plain = await exportAs('tflite');
    const result = await exportAs('tflite-int8');
    expect(result.directory).toMatch(/-tflite-int8$/);
    // Convolution and dense weights are most of the file: int8 stores them in a quarter of the bytes.
    const size = (r: ModelExportResult) => statSync(join(r.directory, 'model.tflite')).size;
    expect(size(result)).toBeLessThan(size(plain) * 0.4);
    expect(result.accuracy!.images).toBeGreaterThan(0);
    expect(result.accuracy!.original).toBeGreaterThanOrEqual(0);
    const difference = maxDifference(await tflitePredictions(result), expected);
    note(result, `${difference} (int8; accuracy ${result.accuracy!.original} -> ${result.accuracy!.exported})`);
    expect(difference).toBeLessThan(0.1);
  });

  it.skipIf(skipWithoutPython('h5py'))(
    'Keras .keras: zip of config.json, model.weights.h5, metadata.json; h5py reads every weight exactly',
    async () => {
      const result = await exportAs('keras');
      const saved = await readSavedModel(projectPaths(tempDirOf(result.directory)).weights(run.id, 'best'));
      const dump = runPython<
        H5Dump & { config: { class_name: string; config: { layers: { class_name: string; config: { name: string } }[] } }; files: string[] }
      >(
        `import sys, json, zipfile, io, h5py, numpy
z = zipfile.ZipFile(sys.argv[1])
items = {}
def visit(name, obj):
    items[name] = {"shape": list(obj.shape), "dtype": str(obj.dtype), "values": obj[()].astype(numpy.float64).ravel().tolist()} if isinstance(obj, h5py.Dataset) else {"group": True}
h5py.File(io.BytesIO(z.read("model.weights.h5")), "r").visititems(visit)
print(json.dumps({"files": sorted(z.namelist()), "config": json.loads(z.read("config.json")), "items": items, "attrs": {}, "weightsAttrs": None}))`,
        [join(result.directory, 'model.keras')],
      );
      expect(dump.files).toEqual(['config.json', 'metadata.json', 'model.weights.h5']);
      expect(dump.config.class_name).toBe('Sequential');
      const names = kerasNames(saved.layers);
      expect(dump.config.config.layers.map((l) => l.class_name)).toEqual(['InputLayer', ...saved.layers.map((l) => l.className)]);
      expect(dump.config.config.layers.slice(1).map((l) => l.config.name)).toEqual(names);
      saved.layers.forEach((layer, i) => {
        expect(dump.items[`layers/${names[i]}/vars`]).toEqual({ group: true });
        layer.weights.forEach((weight, k) => {
          const item = dump.items[`layers/${names[i]}/vars/${k}`]!;
          expect(item.shape).toEqual(weight.shape);
          expect(item.dtype).toBe('float32');
          expect(item.values).toEqual(Array.from(weight.values));
        });
      });
      note(result, 'weights identical');
    },
  );

  it.skipIf(skipWithoutPython('h5py'))('Keras legacy .h5: model_config, layer_names, weight_names, every weight exact', async () => {
    const result = await exportAs('h5');
    const saved = await readSavedModel(projectPaths(tempDirOf(result.directory)).weights(run.id, 'best'));
    const dump = runPython<H5Dump>(H5_DUMP, [join(result.directory, 'model.h5')]);
    const names = kerasNames(saved.layers);
    expect(dump.weightsAttrs!['layer_names']).toEqual(names);
    const config = JSON.parse(String(dump.attrs['model_config'])) as {
      class_name: string;
      config: { layers: { config: { name: string; batch_input_shape?: unknown } }[] };
    };
    expect(config.class_name).toBe('Sequential');
    expect(config.config.layers[0]!.config.batch_input_shape).toEqual([null, 24, 24, 3]);
    saved.layers.forEach((layer, i) => {
      for (const weight of layer.weights) {
        const item = dump.items[`model_weights/${names[i]}/${names[i]}/${weight.name}:0`]!;
        expect(item.shape).toEqual(weight.shape);
        expect(item.values).toEqual(Array.from(weight.values));
      }
    });
    note(result, 'weights identical');
  });

  it('training bundle: folder-per-class images, spec, and a train.py that compiles', async () => {
    const result = await exportAs('bundle');
    expect(result.files).toEqual(['classes.json', 'data', 'metadata.json', 'spec.json', 'train.py', 'usage.py']);
    const counted = ['train', 'validation', 'test'].flatMap((split) =>
      existsSync(join(result.directory, 'data', split))
        ? readdirSync(join(result.directory, 'data', split)).map((c) => readdirSync(join(result.directory, 'data', split, c)).length)
        : [],
    );
    expect(counted.reduce((a, b) => a + b, 0)).toBe(48);
    expect(JSON.parse(readFileSync(join(result.directory, 'spec.json'), 'utf8'))).toEqual(run.spec);
    const script = readFileSync(join(result.directory, 'train.py'), 'utf8');
    expect(script).toContain('tf.distribute.MirroredStrategy()');
    whenPython('py_compile', 'py_compile of train.py', () => expect(pyCompileError(join(result.directory, 'train.py'))).toBeNull());
    note(result, 'n/a');
  });

  it('cancelExport stops an export being written: it answers "cancelled" and leaves no folder', async () => {
    const exportsFolder = projectPaths(tempDirOf((await exportAs('tfjs')).directory)).exports;
    const before = readdirSync(exportsFolder);
    const pending = service.call('exportRun', { projectId, runId: run.id, format: 'bundle', weights: 'last' });
    await callOrThrow(service, 'cancelExport', { projectId, runId: run.id });
    expect(await pending).toMatchObject({
      ok: false,
      error: { code: 'cancelled', message: 'The export was cancelled; nothing was written.' },
    });
    expect(readdirSync(exportsFolder)).toEqual(before);
  });

  it('exports the last epoch weights on request, into its own folder', async () => {
    const result = await exportAs('tfjs', { weights: 'last' });
    expect(result.directory).toMatch(/-tfjs-last$/);
    expect((await loadExport(result.directory)).metadata.weights).toBe('last');
  });
});

/** The project folder of an export under its exports folder. */
function tempDirOf(exportDirectory: string): string {
  return join(exportDirectory, '..', '..');
}
