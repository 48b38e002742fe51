// Which runs have weights to evaluate, try and export: finished ones, and those that stopped,
// were interrupted or failed after saving the best weights of an epoch (marked as such).

/** What these rules read of a run (the contract's RunInfo has both). */
interface RunState {
  status: string;
  bestEpoch: number | null;
}

/** Whether `run` saved weights that can be used. */
export const hasUsableWeights = (run: RunState): boolean =>
  run.status === 'completed' ||
  run.status === 'stopped' ||
  ((run.status === 'interrupted' || run.status === 'failed') && run.bestEpoch !== null);

/** Whether `run`'s weights are those of a run that did not finish (stopped, interrupted or failed). */
export const unfinished = (run: Pick<RunState, 'status'>): boolean => run.status !== 'completed';
