// The evaluation part of the contract: a finished run measured on the validation or test images,
// what it gets wrong image by image, and why it decided as it did. Types only, plus the names.
import type { Said } from './contract';

/** Which held-out images an evaluation runs on. */
export type EvaluationSplit = 'validation' | 'test';

/** Which of a run's saved weights are evaluated. */
export type EvaluationWeights = 'best' | 'last';

/** Precision, recall and F1 of one class, with how many images of it there were. */
export interface ClassMetrics {
  /** The class. */
  className: string;
  /** Of the images predicted as this class, the share that really are. */
  precision: number;
  /** Of the images of this class, the share predicted as it. */
  recall: number;
  /** Harmonic mean of precision and recall. */
  f1: number;
  /** Images of this class evaluated. */
  support: number;
}

/** Averages over classes. */
export interface AveragedMetrics {
  /** Mean precision. */
  precision: number;
  /** Mean recall. */
  recall: number;
  /** Mean F1. */
  f1: number;
}

/** Two classes the model mixes up, and how often. */
export interface ConfusedPair {
  /** The images' label. */
  actual: string;
  /** What the model said instead. */
  predicted: string;
  /** How many images. */
  count: number;
}

/** Every number of one evaluation. */
export interface EvaluationMetrics {
  /** Images evaluated. */
  images: number;
  /** Share of images whose most probable class is their label. */
  accuracy: number;
  /** Mean categorical cross-entropy (probabilities clipped to [1e-7, 1 - 1e-7], as Keras does). */
  loss: number;
  /** Share of images whose label is among the k most probable classes; only with more than 5 classes. */
  topK: { k: number; accuracy: number } | null;
  /** One entry per class, in the run's class order. */
  perClass: ClassMetrics[];
  /** Unweighted mean over classes. */
  macro: AveragedMetrics;
  /** Mean over classes weighted by their support. */
  weighted: AveragedMetrics;
  /** confusion[actual][predicted] = image count, in the run's class order. */
  confusion: number[][];
}

/** Whether the data set changed since an evaluation was computed. */
export interface Staleness {
  /** True when an evaluated image was relabelled, moved to another split or deleted, or one was added to the split. */
  stale: boolean;
  /** Evaluated images whose label or split changed, or that were deleted. */
  changed: number;
  /** Images now in the split that were not evaluated. */
  added: number;
}

/** An evaluation as a list shows it. */
export interface EvaluationSummary {
  /** Row id. */
  id: number;
  /** The run evaluated. */
  runId: string;
  /** Which images. */
  split: EvaluationSplit;
  /** Which weights. */
  weights: EvaluationWeights;
  /** ISO 8601 time it was computed. */
  createdAt: string;
  /** Images evaluated. */
  images: number;
  /** Its accuracy. */
  accuracy: number;
  /** Whether the data set changed since. */
  staleness: Staleness;
}

/** An evaluation with all its metrics. */
export interface Evaluation extends EvaluationSummary {
  /** The run's classes, in its order. */
  classNames: string[];
  /** Every metric. */
  metrics: EvaluationMetrics;
  /** Class pairs the model mixes up, most images first. */
  mostConfused: ConfusedPair[];
  /** Images of the split skipped because their class is not one the run was trained on. */
  skipped: number;
}

/** One evaluated image with what the model said. */
export interface EvaluatedImage {
  /** Image id (may no longer exist if it was deleted since). */
  imageId: number;
  /** File name it was imported from, or null when deleted since. */
  fileName: string | null;
  /** Its label when evaluated. */
  label: string;
  /** Its label now: null when Unlabelled; undefined when deleted. */
  currentLabel: string | null | undefined;
  /** The most probable class. */
  predicted: string;
  /** Every class's probability, in the run's class order. */
  probabilities: number[];
  /** Largest other-class probability minus the label's: above 0 the model disagrees, near 1 it is sure. */
  disagreement: number;
}

/** Which evaluated images to list. */
export interface EvaluatedImageQuery {
  /** Evaluation id. */
  evaluationId: number;
  /** Only images with this label (a confusion matrix row). */
  actual?: string;
  /** Only images predicted as this class (a confusion matrix column). */
  predicted?: string;
  /** 'disagreement': most confidently wrong first (likely mislabelled); 'id': import order. */
  order: 'disagreement' | 'id';
  /** Only images the model gets wrong. */
  wrongOnly?: boolean;
  /** At most this many. */
  limit: number;
}

/** Progress of an evaluation being computed. */
export interface EvaluationProgress {
  /** The run. */
  runId: string;
  /** Which images. */
  split: EvaluationSplit;
  /** Images predicted so far. */
  done: number;
  /** Images to predict. */
  total: number;
}

/** How the model's decision on one image is explained. */
export type ExplanationMethod = 'grad-cam' | 'occlusion';

/** A heat map of what the model looked at; same aspect as the model's input. */
export interface Explanation {
  /** Grad-CAM (gradients at the last convolution) or occlusion sensitivity (how much hiding each region lowers the score). */
  method: ExplanationMethod;
  /** One sentence saying which method was used and why. */
  note: Said;
  /** The class explained. */
  className: string;
  /** Map width in cells. */
  width: number;
  /** Map height in cells. */
  height: number;
  /** Row-major h x w values in [0, 1]; 1 is where the model looked most. */
  values: number[];
  /** How the picture was fitted to the model's input, so an overlay can line up with it. */
  resize: 'squash' | 'crop' | 'pad';
}

/** Operations that evaluate a run and explain its predictions. */
export interface EvaluateOperations {
  /** Evaluates a finished or stopped run on a split (replacing an earlier evaluation of the same split and weights); resolves when done. */
  evaluateRun: { request: { projectId: string; runId: string; split: EvaluationSplit; weights: EvaluationWeights }; response: Evaluation };
  /** Progress of the evaluation running for a run, or null when none runs. */
  evaluationProgress: { request: { projectId: string; runId: string }; response: EvaluationProgress | null };
  /** Stops the evaluation running for a run; its evaluateRun fails as cancelled and nothing is stored. */
  cancelEvaluation: { request: { projectId: string; runId: string }; response: null };
  /** A run's stored evaluations with whether each is stale. */
  listEvaluations: { request: { projectId: string; runId: string }; response: EvaluationSummary[] };
  /** One stored evaluation with every metric. */
  getEvaluation: { request: { projectId: string; evaluationId: number }; response: Evaluation };
  /** Evaluated images: a confusion matrix cell, or the likely mislabelled ones first. */
  evaluatedImages: { request: { projectId: string } & EvaluatedImageQuery; response: EvaluatedImage[] };
  /** A heat map of what a run's model looked at in one image, for one class (default: the predicted one). */
  explainImage: {
    request: { projectId: string; runId: string; imageId: number; weights: EvaluationWeights; className?: string };
    response: Explanation;
  };
}

export const EVALUATE_OPERATION_NAMES = [
  'evaluateRun',
  'evaluationProgress',
  'cancelEvaluation',
  'listEvaluations',
  'getEvaluation',
  'evaluatedImages',
  'explainImage',
] as const satisfies readonly (keyof EvaluateOperations)[];
