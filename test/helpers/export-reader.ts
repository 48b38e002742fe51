// Reads a TensorFlow.js export the way someone else would: @tensorflow/tfjs in this process,
// preprocessing from metadata.json alone, none of Capa's own loading or preprocessing code.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import type { ExportMetadata } from '../../main/core/export/metadata';

export interface LoadedExport {
  model: tf.LayersModel;
  metadata: ExportMetadata;
  /** Class probabilities for an image file, in metadata.classNames order. */
  predict(file: string): Promise<number[]>;
}

export async function loadExport(directory: string): Promise<LoadedExport> {
  await tf.setBackend('cpu');
  const metadata = JSON.parse(readFileSync(join(directory, 'metadata.json'), 'utf8')) as ExportMetadata;
  const modelJson = JSON.parse(readFileSync(join(directory, 'model.json'), 'utf8')) as tf.io.ModelJSON;
  const weights = Buffer.concat(modelJson.weightsManifest.flatMap((group) => group.paths.map((p) => readFileSync(join(directory, p)))));
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest.flatMap((group) => group.weights),
      weightData: new Uint8Array(weights).buffer,
    }),
  );
  const predict = async (file: string): Promise<number[]> => {
    const { width, height, channels } = metadata.input;
    const values = await pixelsFor(file, metadata);
    return tf.tidy(() => Array.from((model.predict(tf.tensor4d(values, [1, height, width, channels])) as tf.Tensor).dataSync()));
  };
  return { model, metadata, predict };
}

/** An image file as the model input metadata.json describes (NHWC, normalised), read with sharp alone. */
export async function pixelsFor(file: string, metadata: ExportMetadata): Promise<Float32Array> {
  const { width, height, channels } = metadata.input;
  let image = sharp(file).resize(width, height, { fit: 'fill' }).removeAlpha();
  if (channels === 1) image = image.grayscale();
  const raw = await image.raw().toBuffer();
  return Float32Array.from(raw, (v) => v * metadata.normalization.scale + metadata.normalization.offset);
}
