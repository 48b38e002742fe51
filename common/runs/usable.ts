// Which runs have weights to evaluate, try and export: finished ones, and those that stopped,
// were interrupted or failed after saving the best weights of an epoch (marked as such).
import type { RunInfo } from '../../preload/contract';

/** Whether `run` saved weights that can be used. */
export const hasUsableWeights = (run: Pick<RunInfo, 'status' | 'bestEpoch'>): boolean =>
  run.status === 'completed' || run.status === 'stopped' || ((run.status === 'interrupted' || run.status === 'failed') && run.bestEpoch !== null);

/** Whether `run`'s weights are those of a run that did not finish (stopped, interrupted or failed). */
export const unfinished = (run: Pick<RunInfo, 'status'>): boolean => run.status !== 'completed';
