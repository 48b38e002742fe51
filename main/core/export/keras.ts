// Keras exports, written with h5wasm (HDF5 compiled to WebAssembly) so no Python is needed:
// - model.keras, Keras 3's format: a zip of config.json, model.weights.h5 and metadata.json;
//   weights at layers/<snake_case class>[_n]/vars/<i> (keras/src/saving/saving_lib.py);
// - model.h5, the legacy format Keras 2 wrote and Keras 3 still loads: model_config as a root
//   attribute, weights at model_weights/<layer>/<layer>/<weight>:0 (keras/src/legacy/saving/legacy_h5_format.py).
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { KERAS2_VERSION, KERAS3_VERSION, keras2ModelConfig, keras3ModelConfig, kerasNames } from './keras-config';
import type { SavedModel } from './saved-model';

type H5Module = typeof import('h5wasm/node', { with: { 'resolution-mode': 'import' } });
type H5Group = import('h5wasm/node', { with: { 'resolution-mode': 'import' } }).Group;

let h5: Promise<H5Module['default']> | null = null;
/** h5wasm is an ES module; this CommonJS build loads it once, on first use. */
async function loadH5(): Promise<H5Module['default']> {
  h5 ??= import('h5wasm/node').then(async (module) => {
    await module.default.ready;
    return module.default;
  });
  return h5;
}

/** HDF5 creates one level at a time. */
function groupAt(parent: H5Group, path: string[]): H5Group {
  let group = parent;
  for (const part of path) group = (group.get(part) as H5Group | null) ?? group.create_group(part);
  return group;
}

function writeArray(group: H5Group, name: string, shape: number[], values: Float32Array): void {
  group.create_dataset({ name, data: values, shape, dtype: '<f' });
}

/** Writes Keras 3's model.weights.h5 at `path`. */
async function writeKeras3Weights(model: SavedModel, path: string): Promise<void> {
  const { File } = await loadH5();
  const file = new File(path, 'w');
  try {
    file.create_group('vars'); // the Sequential model's own (empty) variables
    const names = kerasNames(model.layers);
    model.layers.forEach((layer, i) => {
      const vars = groupAt(file, ['layers', names[i]!, 'vars']);
      layer.weights.forEach((weight, k) => writeArray(vars, String(k), weight.shape, weight.values));
    });
  } finally {
    file.close();
  }
}

/** Writes `model.keras` into `dir`. */
export async function writeKeras(model: SavedModel, dir: string): Promise<string[]> {
  const weightsPath = join(dir, 'model.weights.h5');
  await writeKeras3Weights(model, weightsPath);
  const zip = zipSync(
    {
      'metadata.json': strToU8(
        JSON.stringify({ keras_version: KERAS3_VERSION, date_saved: new Date().toISOString().replace('T', '@').slice(0, 19) }),
      ),
      'config.json': strToU8(JSON.stringify(keras3ModelConfig(model))),
      'model.weights.h5': new Uint8Array(await readFile(weightsPath)),
    },
    { level: 0 }, // Keras writes its zip stored, not deflated
  );
  await rm(weightsPath);
  await writeFile(join(dir, 'model.keras'), zip);
  return ['model.keras'];
}

/** Writes the legacy `model.h5` into `dir`. */
export async function writeH5(model: SavedModel, dir: string): Promise<string[]> {
  const { File } = await loadH5();
  const file = new File(join(dir, 'model.h5'), 'w');
  try {
    file.create_attribute('keras_version', KERAS2_VERSION);
    file.create_attribute('backend', 'tensorflow');
    file.create_attribute('model_config', JSON.stringify(keras2ModelConfig(model)));
    const weights = file.create_group('model_weights');
    const names = kerasNames(model.layers);
    weights.create_attribute('layer_names', names);
    weights.create_attribute('backend', 'tensorflow');
    weights.create_attribute('keras_version', KERAS2_VERSION);
    model.layers.forEach((layer, i) => {
      const name = names[i]!;
      const group = weights.create_group(name);
      // A layer without weights has no weight_names attribute; Keras reads that as none.
      if (layer.weights.length === 0) return;
      group.create_attribute(
        'weight_names',
        layer.weights.map((w) => `${name}/${w.name}:0`),
      );
      const inner = group.create_group(name);
      for (const weight of layer.weights) writeArray(inner, `${weight.name}:0`, weight.shape, weight.values);
    });
  } finally {
    file.close();
  }
  return ['model.h5'];
}
