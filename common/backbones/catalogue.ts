// The pretrained image networks Capa can download, as TensorFlow.js models from their official
// host. Pure data (no Node imports) so the renderer can list them too.
//
// Checksums: these build machines have no network, so the SHA-256 of the official files could
// not be computed here. Entries without `sha256` are pinned on first download: the hashes of
// what arrived are recorded in the cache's manifest and checked every time the files are used
// again. A mirror or an organisation can ship a `catalogue.json` next to the cache with full
// checksums (see BackboneEntry), and those are verified on download.
import { z } from 'zod';
import type { Said } from '../messages/said';
import { said } from '../messages/said';
import type { BackboneShape } from '../model/summary';

/** How raw 0..255 bytes become the backbone's input: value = byte * scale + offset. */
export interface BackboneNormalization {
  /** Multiplier applied to each byte. */
  scale: number;
  /** Added after scaling. */
  offset: number;
}

/** Inputs in [0, 1], as TF Hub's image feature vectors expect. */
export const ZERO_TO_ONE: BackboneNormalization = { scale: 1 / 255, offset: 0 };
/** Inputs in [-1, 1], as Keras's MobileNet applications expect. */
export const MINUS_ONE_TO_ONE: BackboneNormalization = { scale: 2 / 255, offset: -1 };

/** Inputs in [0, 255], as Keras's MobileNetV3 applications expect (they rescale inside, include_preprocessing). */
export const BYTES: BackboneNormalization = { scale: 1, offset: 0 };

/** The keras.applications network with a backbone's architecture and ImageNet weights: what train.py and "Show as Keras code" build. */
export interface KerasApplication {
  /** Its function under keras.applications. */
  name: 'MobileNetV2' | 'MobileNetV3Small' | 'MobileNetV3Large';
  /** Width multiplier (keras.applications' `alpha`). */
  alpha: number;
  /** How raw bytes become the pixels these weights expect (not always Capa's own scaling of the backbone). */
  normalization: BackboneNormalization;
}

/** A downloadable backbone. */
export interface BackboneEntry {
  /** Stable id stored in `spec.backbone.id`. */
  id: string;
  /** Name shown to a person. */
  title: string;
  /** One sentence on when to choose it. */
  description: Said;
  /** Address of model.json; weight files are fetched from the paths its manifest names, relative to it. */
  url: string;
  /** Appended to every file's address (TF Hub serves files only with `?tfjs-format=file`). */
  query: string;
  /** "graph" (tf.loadGraphModel) or "layers" (tf.loadLayersModel); only layers models can be fine-tuned (see fineTunable). */
  format: 'graph' | 'layers';
  /** Square input size in pixels. */
  inputSize: number;
  /** How pixels are scaled before entering the network. */
  normalization: BackboneNormalization;
  /** Length of the pooled feature vector. */
  features: number;
  /** Number of weights (from the published architecture; the downloaded manifest gives the exact count). */
  params: number;
  /** Approximate download size in bytes, shown before downloading. */
  sizeBytes: number;
  /** The same network in keras.applications; absent for a backbone Keras does not ship (a mirror's or an imported one). */
  keras?: KerasApplication;
  /** Expected SHA-256 (hex) of each file by its path relative to model.json; absent: pinned on first download. */
  sha256?: Record<string, string>;
}

const TFHUB = 'https://tfhub.dev/google/tfjs-model/imagenet';

/** MobileNet V2 feature vectors of TF Hub (now served by Kaggle Models, which tfhub.dev redirects to). */
function mobilenetV2(width: '100' | '050' | '035', size: 224 | 192 | 160 | 128): BackboneEntry {
  const alpha = { '100': 1, '050': 0.5, '035': 0.35 }[width];
  // Published Keras counts of MobileNetV2 without its top, by width (they do not depend on the input size).
  const params = { '100': 2_257_984, '050': 706_224, '035': 410_208 }[width];
  return {
    id: `mobilenet-v2-${alpha.toFixed(alpha === 0.35 ? 2 : 1)}-${size}`,
    title: `MobileNet V2 ${alpha.toFixed(alpha === 0.35 ? 2 : 1)} · ${size} px`,
    description: alpha === 1 ? said('model.catalogue.usual') : said('model.catalogue.narrower', { percent: Math.round(alpha * 100) }),
    url: `${TFHUB}/mobilenet_v2_${width}_${size}/feature_vector/3/default/1/model.json`,
    query: '?tfjs-format=file',
    format: 'graph',
    inputSize: size,
    normalization: ZERO_TO_ONE,
    features: 1280,
    params,
    sizeBytes: params * 4 + 200_000,
    keras: { name: 'MobileNetV2', alpha, normalization: MINUS_ONE_TO_ONE },
  };
}

function mobilenetV3(variant: 'small' | 'large'): BackboneEntry {
  const params = variant === 'small' ? 1_529_968 : 4_226_432;
  return {
    id: `mobilenet-v3-${variant}-224`,
    title: `MobileNet V3 ${variant === 'small' ? 'Small' : 'Large'} · 224 px`,
    description: said(variant === 'small' ? 'model.catalogue.fastest' : 'model.catalogue.mostAccurate'),
    url: `${TFHUB}/mobilenet_v3_${variant}_100_224/feature_vector/5/default/1/model.json`,
    query: '?tfjs-format=file',
    format: 'graph',
    inputSize: 224,
    normalization: ZERO_TO_ONE,
    features: variant === 'small' ? 1024 : 1280,
    params,
    sizeBytes: params * 4 + 300_000,
    keras: { name: variant === 'small' ? 'MobileNetV3Small' : 'MobileNetV3Large', alpha: 1, normalization: BYTES },
  };
}

/** Where Teachable Machine downloads its MobileNet (googlecreativelab/teachablemachine-community, libraries/image/src/custom-mobilenet.ts). */
const TEACHABLE_MACHINE = 'https://storage.googleapis.com/teachable-machine-models';

/**
 * Keras's MobileNetV2 without its top, converted to a TensorFlow.js layers model: the files
 * Teachable Machine itself trains on. Layers models can be trained in TensorFlow.js, so these
 * are the backbones whose last blocks can be fine-tuned (TF Hub's are graph models). Keras's
 * weights expect pixels in [-1, 1]; the output is the 7x7x1280 'out_relu' map, pooled by Capa.
 */
function kerasMobilenetV2(alpha: 1 | 0.35): BackboneEntry {
  const params = alpha === 1 ? 2_257_984 : 410_208;
  const width = alpha === 1 ? '1.0' : '0.35';
  return {
    id: `mobilenet-v2-${width}-224-keras`,
    // A name, the same in every language; the description says that its last blocks can be fine-tuned.
    title: `MobileNet V2 ${width} · 224 px · Keras`,
    description: alpha === 1 ? said('model.catalogue.keras') : said('model.catalogue.kerasSmall', { percent: Math.round(alpha * 100) }),
    url: `${TEACHABLE_MACHINE}/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_${alpha.toFixed(2)}_224_no_top/model.json`,
    query: '',
    format: 'layers',
    inputSize: 224,
    normalization: MINUS_ONE_TO_ONE,
    features: 1280,
    params,
    // Weights as float32, plus a model.json that holds the whole Keras topology.
    sizeBytes: params * 4 + 150_000,
    keras: { name: 'MobileNetV2', alpha, normalization: MINUS_ONE_TO_ONE },
  };
}

/**
 * A description as a manifest or a mirror's catalogue.json holds it: a sentence with its key, or
 * plain text (written by hand, or by a Capa from before descriptions had keys).
 */
export const descriptionSchema = z
  .union([
    z
      .string()
      .max(500)
      .transform((message): Said => ({ message })),
    z.object({
      message: z.string().max(500),
      key: z.string().max(200).optional(),
      params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    }),
  ])
  .default({ message: '' });

/** Every backbone Capa knows how to download, the default first. */
export const BACKBONES: readonly BackboneEntry[] = [
  mobilenetV2('100', 224),
  ...([192, 160, 128] as const).map((size) => mobilenetV2('100', size)),
  ...(['050', '035'] as const).flatMap((width) => ([224, 192, 160, 128] as const).map((size) => mobilenetV2(width, size))),
  mobilenetV3('small'),
  mobilenetV3('large'),
  kerasMobilenetV2(1),
  kerasMobilenetV2(0.35),
];

/** A download size as a person reads it: "12 kB", "9.2 MB", "38 MB" (precise enough to tell progress, short enough to read). */
export const megabytes = (bytes: number): string =>
  bytes < 1_000_000 ? `${Math.max(1, Math.round(bytes / 1000))} kB` : `${(bytes / 1_000_000).toFixed(bytes < 10_000_000 ? 1 : 0)} MB`;

/** Whether a backbone of this format can have its last blocks trained (TensorFlow.js trains layers models, not graph models). */
export const fineTunable = (format: BackboneEntry['format']): boolean => format === 'layers';

/** The shape the model summary needs. */
export function shapeOf(entry: Pick<BackboneEntry, 'id' | 'title' | 'inputSize' | 'features' | 'params'>): BackboneShape {
  return {
    title: entry.title,
    name: backboneName(entry.id),
    inputSize: [entry.inputSize, entry.inputSize],
    features: entry.features,
    params: entry.params,
  };
}

/** A backbone's row name in the summary: its id in Keras's snake case ("mobilenet_v2_1.0_224"). */
export const backboneName = (id: string): string => id.replace(/[^a-zA-Z0-9.]+/g, '_');

/** The keras.applications network of a catalogued backbone, or null when Keras has none for this id. */
export const kerasApplicationOf = (id: string): KerasApplication | null => BACKBONES.find((entry) => entry.id === id)?.keras ?? null;
