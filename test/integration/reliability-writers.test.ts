// Two writers on one project (another process holding the write lock, briefly and too long; two
// app instances writing at once): writes wait their turn, a writer kept waiting past the busy
// timeout gets "busy" with a sentence, and the project stays whole with nothing lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareTemplate, type Template } from '../reliability/harness';
import { twoWriterTrials } from '../reliability/two-writers';
import { removeTempDirs, tempDir } from '../helpers/temp';

let template: Template;

beforeAll(async () => {
  template = await prepareTemplate(tempDir('capa-writers-'));
}, 300_000);

afterAll(() => removeTempDirs());

describe('two writers', () => {
  it('serialise, say "busy" when kept waiting too long, and corrupt nothing', { timeout: 300_000 }, async () => {
    const outcomes = await twoWriterTrials(template, 11);
    expect(outcomes).toHaveLength(4);
    for (const outcome of outcomes) expect(outcome).toEqual({ name: outcome.name, problems: [], lost: 0 });
  });
});
