// Messages between main and the training process. Requests carry sequence numbers and get
// exactly one reply; run events stream in between. Errors cross as {name, message, stack}.
// Messages are structured-cloned (fork with serialization "advanced", or utilityProcess).
import type { BackendInfo, LayerActivations, RunEvent, RunStatus, Said } from '../../preload/contract';
import type { InputSpec, ModelSpec } from '../../common/model/spec';

/** One training image: a file in the project store with its class index. */
export interface TrainItem {
  /** Absolute path of the stored image file. */
  path: string;
  /** Index into `classNames`. */
  label: number;
  split: 'train' | 'validation';
  /** SHA-256 of the file's bytes (the store's name for it), keying the pixel cache; hashed from the file when absent. */
  hash?: string;
}

/** A cached pretrained backbone, as the trainer loads it from files (it never downloads). */
export interface TrainerBackbone {
  /** Catalogue id. */
  id: string;
  /** Folder holding model.json and the weights. */
  dir: string;
  /** How to load it. */
  format: 'graph' | 'layers';
  /** Square input size. */
  inputSize: number;
  /** Pixel scaling it expects: value = byte * scale + offset. */
  normalization: { scale: number; offset: number };
  /** Length of the feature vector the catalogue promises (checked when it runs). */
  features: number;
  /** Hash of its files, part of the embedding cache key. */
  fingerprint: string;
  /** Where feature vectors of images are cached between runs. */
  embeddingsDir: string;
}

/** Everything the trainer needs for one run; it never opens SQLite. */
export interface TrainJob {
  runId: string;
  spec: ModelSpec;
  /** Present when `spec.backbone` is: the head trains on the features of this backbone. */
  backbone?: TrainerBackbone;
  classNames: string[];
  items: TrainItem[];
  /** The run's folder; the trainer writes `best/` and `last/` (TensorFlow.js layers format) and a checkpoint per epoch into it. */
  outDir: string;
  /** Continue the run from the checkpoint in `outDir` (from the start when there is none). */
  resume?: boolean;
  /** Where preprocessed pixels are cached between runs (main/trainer/pixel-cache.ts); no cache when absent. */
  pixelCacheDir?: string;
}

/** How a train request ended when it did not fail. */
export interface TrainResult {
  status: Extract<RunStatus, 'completed' | 'stopped'>;
  /** 1-based epoch whose weights are in `best/`; 0 if none finished. */
  bestEpoch: number;
}

/** An image to classify: a file path or the encoded bytes. */
export type ImageSource = { path: string } | { bytes: Uint8Array };

export type TrainerRequest =
  | { seq: number; type: 'hello' }
  | { seq: number; type: 'train'; job: TrainJob }
  | { seq: number; type: 'stop'; runId: string }
  | { seq: number; type: 'predict'; modelDir: string; input: InputSpec; images: ImageSource[]; backbone?: TrainerBackbone }
  | { seq: number; type: 'predictBatch'; modelDir: string; input: InputSpec; images: ImageSource[]; backbone?: TrainerBackbone }
  | { seq: number; type: 'activations'; modelDir: string; input: InputSpec; image: ImageSource; backbone?: TrainerBackbone }
  | {
      seq: number;
      type: 'explain';
      modelDir: string;
      input: InputSpec;
      image: ImageSource;
      classIndex: number | null;
      backbone?: TrainerBackbone;
    }
  | { seq: number; type: 'inference' }
  | { seq: number; type: 'shutdown' };

/** One image's answer in a predictBatch: its probabilities, or why it could not be decoded. */
export type PredictOutcome = { probabilities: number[] } | { error: string };

/** The result type of each request type. */
export interface TrainerReplies {
  hello: BackendInfo;
  train: TrainResult;
  stop: null;
  /** One probability vector per image, in class order. */
  predict: number[][];
  /** One outcome per image, in order; an undecodable image does not fail the others. */
  predictBatch: PredictOutcome[];
  /** Every layer's output for the picture, first layer first. */
  activations: LayerActivations[];
  explain: ExplainResult;
  /** What the last features and predictions ran on (null: none yet), said for the screens and the CLI. */
  inference: { features: Said | null; predictions: Said | null };
  shutdown: null;
}

/** A heat map of what the model looked at in one image (see explain.ts). */
export interface ExplainResult {
  /** Grad-CAM at the last convolution, or occlusion sensitivity. */
  method: 'grad-cam' | 'occlusion';
  /** The class explained (the predicted one unless asked otherwise). */
  classIndex: number;
  /** Map width in cells. */
  width: number;
  /** Map height in cells. */
  height: number;
  /** Row-major values in [0, 1]. */
  values: number[];
}

/** An error as it crosses the process boundary. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  /** The sentence for a person, when the trainer failed in a way a person can act on (TrainingFailure). */
  said?: Said;
}

/** A training failure a person can act on (diverged, nothing to learn from): its sentence crosses to main with it. */
export class TrainingFailure extends Error {
  override readonly name = 'TrainingFailure';
  constructor(readonly said: Said) {
    super(said.message);
  }
}

export type TrainerMessage =
  | { type: 'reply'; seq: number; ok: true; result: unknown }
  | { type: 'reply'; seq: number; ok: false; error: SerializedError }
  | { type: 'event'; event: RunEvent };

/** Distributes `Omit` over a union, so each request keeps its own fields. */
export type WithoutSeq<T> = T extends unknown ? Omit<T, 'seq'> : never;

/** A running training process as main sees it: fork (plain Node) or utilityProcess (Electron). */
export interface TrainerPort {
  send(message: TrainerRequest): void;
  onMessage(listener: (message: TrainerMessage) => void): void;
  /** Called once when the process ends, for any reason. */
  onExit(listener: (code: number | null) => void): void;
  /** Ends the process at once. */
  kill(): void;
}
