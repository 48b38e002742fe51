// TensorFlow.js layers export: model.json + one weight file, the weights as trained or
// quantised (float16, or uint8 with a per-array scale and minimum, which tfjs decodes on load).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExportQuantization } from '../../../preload/contract';
import { CAPA_VERSION } from '../service/version';
import type { SavedModel } from './saved-model';

const WEIGHTS_FILE = 'group1-shard1of1.bin';

/** IEEE half precision of a float32, rounded to nearest (what tfjs's float16 quantisation stores). */
function toHalf(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  const mantissa = bits & 0x7fffff;
  if (exponent >= 31) return sign | 0x7c00; // too large: infinity
  if (exponent <= 0) {
    if (exponent < -10) return sign; // too small: zero
    const m = (mantissa | 0x800000) >> (1 - exponent);
    return sign | ((m + 0x1000) >> 13);
  }
  return sign | ((exponent << 10) + ((mantissa + 0x1000) >> 13));
}

interface ManifestWeight {
  name: string;
  shape: number[];
  dtype: 'float32';
  quantization?: { dtype: 'float16' } | { dtype: 'uint8'; scale: number; min: number };
}

function encode(
  values: Float32Array,
  quantization: ExportQuantization,
): { bytes: Uint8Array; quantization?: ManifestWeight['quantization'] } {
  if (quantization === 'float16') {
    const half = Uint16Array.from(values, toHalf);
    return { bytes: new Uint8Array(half.buffer), quantization: { dtype: 'float16' } };
  }
  if (quantization === 'uint8') {
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const scale = max > min ? (max - min) / 255 : 1;
    const bytes = Uint8Array.from(values, (v) => Math.round((v - min) / scale));
    return { bytes, quantization: { dtype: 'uint8', scale, min } };
  }
  return { bytes: new Uint8Array(values.buffer, values.byteOffset, values.byteLength) };
}

/** Writes model.json and its weight file into `dir`. */
export async function writeTfjs(model: SavedModel, dir: string, quantization: ExportQuantization): Promise<string[]> {
  const weights: ManifestWeight[] = [];
  const chunks: Uint8Array[] = [];
  for (const layer of model.layers) {
    for (const weight of layer.weights) {
      const encoded = encode(weight.values, quantization);
      chunks.push(encoded.bytes);
      weights.push({
        name: weight.path,
        shape: weight.shape,
        dtype: 'float32',
        ...(encoded.quantization ? { quantization: encoded.quantization } : {}),
      });
    }
  }
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'TensorFlow.js tfjs-layers v4.22.0',
    convertedBy: `Capa ${CAPA_VERSION}`,
    modelTopology: model.topology,
    weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights }],
  };
  await writeFile(join(dir, WEIGHTS_FILE), Buffer.concat(chunks));
  await writeFile(join(dir, 'model.json'), JSON.stringify(modelJson));
  return ['model.json', WEIGHTS_FILE];
}
