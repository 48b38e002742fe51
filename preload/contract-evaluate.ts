// The evaluation part of the contract: a finished run measured on the validation or test images,
// what it gets wrong image by image, and why it decided as it did. Types only, plus the names.
import type { Said } from '../common/messages/said';
import type { ConfusedPair, EvaluationMetrics } from '../common/evaluation/metrics';

export type { AveragedMetrics, ClassMetrics, ConfusedPair, EvaluationMetrics } from '../common/evaluation/metrics';

/** Which held-out images an evaluation runs on. */
export type EvaluationSplit = 'validation' | 'test';

/** Which of a run's saved weights are evaluated. */
export type EvaluationWeights = 'best' | 'last';

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
