// Progress of a long task on the command line: a bar rewritten in place on a terminal, plain
// lines at most every few seconds otherwise (a log, a pipe, CI), nothing with --quiet.
import { formatDuration } from './format';

export interface ProgressOptions {
  /** Whether the output is a terminal (a bar) or not (periodic lines). */
  tty: boolean;
  quiet: boolean;
  /** Plain lines are at least this far apart. */
  intervalMs?: number;
  write?: (text: string) => void;
  now?: () => number;
}

/** One task's progress: `update` as work is done, `done` at the end (which ends the bar's line). */
export class Progress {
  private lastLine = -Infinity;
  private drawn = false;
  private readonly write: (text: string) => void;
  private readonly now: () => number;

  constructor(private readonly options: ProgressOptions) {
    this.write = options.write ?? ((text) => process.stdout.write(text));
    this.now = options.now ?? (() => Date.now());
  }

  /** `done` of `total` units, with what follows the count ("loss 0.41, 930 pictures/s, 2 min left"). */
  update(label: string, done: number, total: number, detail: string): void {
    if (this.options.quiet) return;
    const fraction = total > 0 ? Math.min(1, done / total) : 0;
    if (this.options.tty) {
      const width = 24;
      const filled = Math.round(fraction * width);
      this.write(`\r\x1b[2K${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${detail}`);
      this.drawn = true;
      return;
    }
    const now = this.now();
    if (now - this.lastLine < (this.options.intervalMs ?? 5000) && done < total) return;
    this.lastLine = now;
    this.write(`${label} ${done}/${total} (${Math.round(fraction * 100)}%) ${detail}\n`);
  }

  /** Ends the bar's line before other output. */
  clear(): void {
    if (this.drawn) this.write('\r\x1b[2K');
    this.drawn = false;
  }
}

/** "2 min 5 s left" from a rate (units per second) and what is left; "" while the rate is unknown. */
export function timeLeft(remaining: number, perSecond: number): string {
  if (!(perSecond > 0) || !Number.isFinite(perSecond)) return '';
  return `${formatDuration(remaining / perSecond)} left`;
}
