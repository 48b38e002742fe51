// Backbone features in the trainer: load a cached backbone from its files (no network here), turn
// each image into the backbone's feature vector once and keep it on disk, keyed by the image's
// SHA-256, the backbone's files and the preprocessing, so the next run on the same images skips
// the backbone entirely. A layers backbone runs in ONNX Runtime once its converted form has
// matched TensorFlow.js's features (inference.ts); TensorFlow.js does the work otherwise.
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { said } from '../../common/messages/said';
import type { InputSpec } from '../../common/model/spec';
import { normalizeBytes, PIXEL_NORMALIZATION } from '../core/dataset/preprocess';
import { hashBytes } from '../core/dataset/image-store';
import { writeFileAtomically } from '../core/files/atomic';
import type { InferenceModel } from '../core/inference/engine';
import type { DecodedSplit, DecodeFailure } from './dataset';
import { checkedOnnx, lastInference, logInference } from './inference';
import { PixelLoader, prefetch, PREFETCH_BATCHES, sequentialPlans } from './pipeline';
import { readArtifacts } from './model-files';
import { TrainingFailure, type TrainerBackbone, type TrainItem } from './protocol';
import type { Tf } from './tf';

type Tensor = import('@tensorflow/tfjs').Tensor;
type LayersModel = import('@tensorflow/tfjs').LayersModel;
type GraphModel = import('@tensorflow/tfjs').GraphModel;

/** Images run through the backbone together: enough to keep XNNPACK busy, small enough for memory. */
export const EMBED_BATCH = 16;

let loaded: { key: string; model: LayersModel | GraphModel } | null = null;

/** Loads (once per set of files) the backbone's model from its cache folder. */
async function backboneModel(tf: Tf, backbone: TrainerBackbone): Promise<LayersModel | GraphModel> {
  const key = `${backbone.dir}\n${backbone.fingerprint}`;
  if (loaded?.key === key) return loaded.model;
  forgetBackbone();
  const artifacts = await readArtifacts(tf, backbone.dir);
  const model =
    backbone.format === 'graph'
      ? await tf.loadGraphModel(tf.io.fromMemory(artifacts))
      : await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  loaded = { key, model };
  return model;
}

/** Frees the loaded backbone. */
export function forgetBackbone(): void {
  loaded?.model.dispose();
  loaded = null;
}

/** The backbone's pixel scaling from Capa's [0, 1] pixels: value * factor + shift. */
function scaling(backbone: TrainerBackbone): { factor: number; shift: number } {
  // Capa's pixels are byte * PIXEL_NORMALIZATION; the backbone wants byte * its scale + its offset.
  const { scale, offset } = backbone.normalization;
  const factor = scale / PIXEL_NORMALIZATION.scale;
  return { factor, shift: offset - PIXEL_NORMALIZATION.offset * factor };
}

/** TensorFlow.js's pooled features of already-scaled inputs ([n, h, w, 3]). */
async function tfjsFeatures(tf: Tf, model: LayersModel | GraphModel, x: Tensor): Promise<{ values: Float32Array; length: number }> {
  const output = 'executeAsync' in model ? ((await model.executeAsync(x)) as Tensor) : (model.predict(x) as Tensor);
  // A backbone that ends with a feature map is pooled as GlobalAveragePooling2D would.
  const pooled = output.rank === 4 ? tf.tidy(() => output.mean([1, 2])) : output.rank === 2 ? output : null;
  if (!pooled) {
    output.dispose();
    throw new TrainingFailure(said('runs.transfer.badOutput', { shape: output.shape.join(', ') }));
  }
  const values = (await pooled.data()) as Float32Array;
  const length = pooled.shape[1]!;
  if (pooled !== output) pooled.dispose();
  output.dispose();
  return { values, length };
}

let graphNoted = false;

/** The backbone in ONNX Runtime, checked against TensorFlow.js; null when TensorFlow.js does the work. */
async function backboneOnnx(tf: Tf, backbone: TrainerBackbone, model: LayersModel | GraphModel): Promise<InferenceModel | null> {
  if (backbone.format === 'graph') {
    if (!graphNoted) logInference(said('runs.inference.graphModel'));
    graphNoted = true;
    return null;
  }
  const size = backbone.inputSize;
  const { scale, offset } = backbone.normalization;
  return checkedOnnx(
    backbone.dir,
    backbone.fingerprint,
    [size, size, 3],
    async (input) => {
      const x = tf.tensor(input.values, input.dims);
      try {
        return (await tfjsFeatures(tf, model, x)).values;
      } finally {
        x.dispose();
      }
    },
    { features: true, range: [offset, 255 * scale + offset] },
  );
}

/** Feature vectors of a batch of images ([n, h, w, 3] in Capa's [0, 1] scale), pooled to [n, features]. */
export async function features(
  tf: Tf,
  backbone: TrainerBackbone,
  pixels: Float32Array,
  count: number,
): Promise<{ values: Float32Array; length: number }> {
  const model = await backboneModel(tf, backbone);
  const size = backbone.inputSize;
  const { factor, shift } = scaling(backbone);
  const onnx = await backboneOnnx(tf, backbone, model);
  if (onnx) {
    const scaled = new Float32Array(pixels.length);
    for (let i = 0; i < pixels.length; i++) scaled[i] = pixels[i]! * factor + shift;
    const output = await onnx.run(scaled, [count, size, size, 3]);
    lastInference.features = onnx.info;
    return { values: output.values, length: output.dims[1]! };
  }
  const x = tf.tidy(() => tf.tensor4d(pixels, [count, size, size, 3]).mul(factor).add(shift));
  try {
    lastInference.features = { engine: 'tfjs' };
    return await tfjsFeatures(tf, model, x);
  } finally {
    x.dispose();
  }
}

/** The embedding cache folder of one backbone and preprocessing. */
function embeddingFolder(backbone: TrainerBackbone, input: InputSpec): string {
  const key = createHash('sha256')
    .update(
      JSON.stringify({
        id: backbone.id,
        files: backbone.fingerprint,
        size: backbone.inputSize,
        resize: input.resize,
        normalization: backbone.normalization,
      }),
    )
    .digest('hex')
    .slice(0, 24);
  return join(backbone.embeddingsDir, key);
}

/** What embedding a split did, for the run's log. */
export interface EmbeddingStats {
  /** Vectors read from the cache. */
  cached: number;
  /** Vectors computed by the backbone (and then cached). */
  computed: number;
}

/**
 * Feature vectors of `items` as a DecodedSplit (each "image" is 1 x 1 x features), from the
 * cache where present, else computed in batches and written to the cache. Images still to embed
 * stream through the training pipeline's decoder, the next batches decoding while the backbone
 * runs; the vectors are kept in memory (a few kB per image).
 */
export async function embedSplit(
  tf: Tf,
  backbone: TrainerBackbone,
  items: readonly TrainItem[],
  input: InputSpec,
  failures: DecodeFailure[],
  stats: EmbeddingStats,
): Promise<DecodedSplit & { features: number }> {
  const folder = embeddingFolder(backbone, input);
  await mkdir(folder, { recursive: true });
  const vectors: (Float32Array | null)[] = new Array(items.length).fill(null);
  const missing: { index: number; file: string }[] = [];
  for (const [index, item] of items.entries()) {
    try {
      // The store names images by this hash; items without it (tests, benches) are hashed here.
      const hash = item.hash ?? hashBytes(await readFile(item.path));
      const file = join(folder, `${hash}.f32`);
      const stored = await readFile(file).catch(() => null);
      // A vector is whole float32 values; anything else is a damaged entry, computed again.
      if (stored && stored.byteLength > 0 && stored.byteLength % 4 === 0) {
        vectors[index] = new Float32Array(stored.buffer.slice(stored.byteOffset, stored.byteOffset + stored.byteLength));
        stats.cached++;
      } else {
        missing.push({ index, file });
      }
    } catch (error) {
      failures.push({ path: item.path, message: error instanceof Error ? error.message : String(error) });
    }
  }

  const loader = new PixelLoader(input, null, (failure) => failures.push(failure));
  const size = backbone.inputSize * backbone.inputSize * 3;
  const plans = sequentialPlans(missing.length, EMBED_BATCH);
  const decoded = prefetch(
    plans.length,
    async (b) => {
      const entries = Array.from(plans[b]!.indices, (i) => missing[i]!);
      const pixels = await Promise.all(entries.map((entry) => loader.load(items[entry.index]!)));
      return entries.flatMap((entry, k) => (pixels[k] ? [{ ...entry, pixels: pixels[k] }] : []));
    },
    PREFETCH_BATCHES,
  );
  for await (const batch of decoded) {
    if (batch.length === 0) continue;
    const pixels = new Float32Array(batch.length * size);
    batch.forEach((entry, i) => normalizeBytes(entry.pixels, pixels, i * size));
    const { values, length } = await features(tf, backbone, pixels, batch.length);
    for (const [i, entry] of batch.entries()) {
      const vector = values.slice(i * length, (i + 1) * length);
      vectors[entry.index] = vector;
      await writeFileAtomically(entry.file, new Uint8Array(vector.buffer));
      stats.computed++;
    }
  }

  const kept = items.flatMap((item, index) => (vectors[index] ? [{ label: item.label, vector: vectors[index] }] : []));
  const length = kept[0]?.vector.length ?? 0;
  const mismatch = kept.find((entry) => entry.vector.length !== length);
  if (mismatch)
    throw new Error(
      `The backbone gave feature vectors of ${mismatch.vector.length} and ${length} values; its cached embeddings are inconsistent.`,
    );
  const pixels = new Float32Array(kept.length * length);
  const labels = new Int32Array(kept.length);
  kept.forEach((entry, i) => {
    pixels.set(entry.vector, i * length);
    labels[i] = entry.label;
  });
  return { pixels, labels, count: kept.length, features: length };
}
