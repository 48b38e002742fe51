// The command line's progress: a bar rewritten in place on a terminal, plain lines spaced out
// otherwise (the last one always), nothing with --quiet.
import { describe, expect, it } from 'vitest';
import { Progress, timeLeft } from '../../main/cli/progress';

function capture(tty: boolean, quiet = false) {
  const written: string[] = [];
  let clock = 0;
  const progress = new Progress({ tty, quiet, intervalMs: 1000, write: (t) => written.push(t), now: () => clock });
  return { progress, written, tick: (ms: number) => (clock += ms) };
}

describe('CLI progress', () => {
  it('draws a bar that rewrites its line on a terminal, and clears it before other output', () => {
    const { progress, written } = capture(true);
    progress.update('Epoch 1/3 batch', 5, 10, 'loss 0.5000, 100 pictures/s, 5 s left');
    progress.update('Epoch 1/3 batch', 10, 10, 'loss 0.4000');
    expect(written[0]).toBe('\r\x1b[2KEpoch 1/3 batch [############............] 5/10 loss 0.5000, 100 pictures/s, 5 s left');
    expect(written[1]).toContain('[########################] 10/10');
    expect(written.join('')).not.toContain('\n');
    progress.clear();
    expect(written.at(-1)).toBe('\r\x1b[2K');
  });

  it('writes plain lines at most once an interval off a terminal, and always the last', () => {
    const { progress, written, tick } = capture(false);
    progress.update('Import', 1, 4, '');
    tick(10);
    progress.update('Import', 2, 4, ''); // too soon
    tick(1000);
    progress.update('Import', 3, 4, 'x');
    progress.update('Import', 4, 4, 'done'); // the last, however soon
    expect(written).toEqual(['Import 1/4 (25%) \n', 'Import 3/4 (75%) x\n', 'Import 4/4 (100%) done\n']);
    expect(written.join('')).not.toContain('\r');
  });

  it('says nothing when quiet', () => {
    const { progress, written } = capture(true, true);
    progress.update('Epoch 1/1 batch', 1, 1, '');
    progress.clear();
    expect(written).toEqual([]);
  });

  it('says the time left from a rate, nothing while the rate is unknown', () => {
    expect(timeLeft(1200, 10)).toBe('2 min 0 s left');
    expect(timeLeft(10, 0)).toBe('');
  });
});
