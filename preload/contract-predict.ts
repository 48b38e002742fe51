// The "use the model" part of the contract: many pictures classified at once (a folder or many
// files), and labels suggested for the Unlabelled pictures. Types only, plus the names.
import type { Said } from '../common/messages/said';
import type { BatchPrediction } from '../common/predict/prediction-table';

export type { BatchPrediction } from '../common/predict/prediction-table';

/** A prediction for one image. */
export interface Prediction {
  /** Every class with its probability, in the model's class order. */
  probabilities: { className: string; probability: number }[];
  /** The most probable class. */
  best: string;
  /** Time taken, in milliseconds. */
  milliseconds: number;
}

/** A picture to classify in a batch: a file main reads (desktop, CLI), or bytes sent by the renderer (browser). */
export type BatchImage =
  | {
      /** Path relative to what was chosen, e.g. "test/circle/a.png"; sub-folders name the expected class. */
      file: string;
      /** The file on the machine that runs Capa. */
      path: string;
    }
  | {
      /** Path relative to what was chosen, e.g. "test/circle/a.png"; sub-folders name the expected class. */
      file: string;
      /** The encoded picture. */
      bytes: Uint8Array;
    };

/** A file found in a chosen folder, ready to be classified. */
export interface FolderFile {
  /** Path relative to what was chosen, starting with the chosen folder's own name. */
  file: string;
  /** The file on the machine that runs Capa. */
  path: string;
}

/** A class the model proposes for an Unlabelled picture. */
export interface LabelSuggestion {
  imageId: number;
  /** Name of the file it was imported from. */
  fileName: string;
  /** The project's class with the predicted name. */
  classId: number;
  className: string;
  /** Probability of that class, 0..1. */
  confidence: number;
}

/** Suggestions for one page of the Unlabelled pictures (in import order), most confident first. */
export interface LabelSuggestions {
  suggestions: LabelSuggestion[];
  /** Unlabelled pictures in all (pages past it are empty). */
  total: number;
  /** Pictures left without a suggestion, each with the reason (unreadable, or the class no longer exists). */
  skipped: { imageId: number; fileName: string; reason: Said }[];
}

/** The engines the trainer's last forward passes ran on, e.g. "Predictions: ONNX Runtime, CPU (2 threads)."; null before the first of each. */
export interface InferenceEngine {
  /** A frozen backbone's features (transfer learning). */
  features: Said | null;
  /** A trained model's probabilities (Try, Evaluate, folders, label suggestions). */
  predictions: Said | null;
}

/** Operations that use a trained model on new pictures. */
export interface PredictOperations {
  /** Lists the files of folders (and files) on the machine that runs Capa, as the importer walks them. */
  listFolder: { request: { paths: string[] }; response: FolderFile[] };
  /** Classifies up to 64 pictures with a finished run's best weights; unreadable ones get a reason, not an error. */
  predictBatch: { request: { projectId: string; runId: string; images: BatchImage[] }; response: BatchPrediction[] };
  /** Runs the model on a page of the project's Unlabelled pictures (default: all) and proposes a class for each. */
  suggestLabels: { request: { projectId: string; runId: string; offset?: number; limit?: number }; response: LabelSuggestions };
  /** Labels pictures as suggested, as one action that Undo reverts. */
  acceptSuggestions: { request: { projectId: string; labels: { imageId: number; classId: number }[] }; response: { labelled: number } };
  /** What the last features and predictions ran on (ONNX Runtime and its provider, or TensorFlow.js); starts no trainer. */
  inferenceEngine: { request: Record<string, never>; response: InferenceEngine };
}

export const PREDICT_OPERATION_NAMES = [
  'listFolder',
  'predictBatch',
  'suggestLabels',
  'acceptSuggestions',
  'inferenceEngine',
] as const satisfies readonly (keyof PredictOperations)[];

/** Pictures per predictBatch call: one trainer request, small enough to stream progress. */
export const PREDICT_BATCH_SIZE = 32;

/** Unlabelled pictures per suggestLabels call from the Try screen: progress and Cancel between pages. */
export const SUGGEST_PAGE_SIZE = 128;
