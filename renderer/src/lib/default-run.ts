// Which run the try and export screens start with.
import type { RunInfo } from '../../../preload/contract';

/** The newest completed run, else the newest usable one. */
export function defaultRun(usable: readonly RunInfo[]): RunInfo | null {
  return usable.find((run) => run.status === 'completed') ?? usable[0] ?? null;
}
