// A full disk under import and export: each stops with the 'disk-full' error value and an
// actionable sentence, leaves the project consistent with nothing saved lost, and works again
// once there is room. Needs permission to mount a tmpfs; says so and skips where there is none.
import { afterAll, describe, expect, it } from 'vitest';
import { diskFullTrials } from '../reliability/disk-full';
import { removeTempDirs, tempDir } from '../helpers/temp';

afterAll(() => removeTempDirs());

describe('a full disk', () => {
  it('stops import and exports with a clear message and leaves the project consistent', async (context) => {
    const { skipped, trials } = await diskFullTrials(tempDir('capa-disk-'));
    if (skipped) {
      console.log(`skipped: ${skipped}`);
      context.skip();
    }
    expect(trials.map((t) => t.name)).toHaveLength(4);
    for (const trial of trials)
      expect({ name: trial.name, problems: trial.problems, lost: trial.lost }).toEqual({ name: trial.name, problems: [], lost: 0 });
  });
});
