// `capa export` of the built CLI (npm test builds first): --format tflite-int8 writes the int8
// TensorFlow Lite folder and prints the held-out accuracy change, --format all writes every
// format the run can be written in, each into its own folder under --out.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliFor } from '../helpers/cli';
import { writeShapeDataset } from '../helpers/shapes';
import { removeTempDirs, tempDir } from '../helpers/temp';

afterAll(removeTempDirs);

const capa = cliFor(tempDir(), { ...process.env, CAPA_BACKEND: 'wasm' });

describe('capa export', () => {
  it('writes TensorFlow Lite (int8 with its accuracy change) and every other format with --format all', async () => {
    const shapes = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 6, size: 16, seed: 3 });
    expect((await capa('create', 'Lite')).code).toBe(0);
    expect((await capa('import', 'Lite', shapes)).code).toBe(0);
    expect((await capa('spec', 'Lite', '--preset', 'small-cnn')).code).toBe(0);
    expect((await capa('train', 'Lite', '--epochs', '1', '--size', '16')).code).toBe(0);

    const out = tempDir();
    const int8 = await capa('export', 'Lite', '--format', 'tflite-int8', '--out', out);
    expect(int8).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(
        /^TensorFlow Lite, int8 weights: \S+-tflite-int8 \(metadata\.json, model\.tflite, usage\.js, usage\.kt, usage\.py; \d+ KiB; held-out accuracy [\d.]+% -> [\d.]+% on \d+ images\)$/,
      ),
    });

    const all = await capa('export', 'Lite', '--format', 'all', '--out', out);
    expect(all.code).toBe(0);
    expect(all.stdout.split('\n').map((line) => line.split(':')[0])).toEqual([
      'TensorFlow.js',
      'Keras (.keras)',
      'Keras legacy (.h5)',
      'ONNX',
      'TensorFlow Lite',
      'TensorFlow Lite, int8 weights',
      'Training bundle',
    ]);
    const folders = readdirSync(out).sort();
    expect(folders.map((f) => f.replace(/^capa-\w+-/, ''))).toEqual(['bundle', 'h5', 'keras', 'onnx', 'tfjs', 'tflite', 'tflite-int8']);
    expect(
      existsSync(
        join(
          out,
          folders.find((f) => f.endsWith('-tflite'))!,
          'model.tflite',
        ),
      ),
    ).toBe(true);
  });
});
