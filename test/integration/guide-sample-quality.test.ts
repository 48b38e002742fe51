// The guide's first model must clearly work: the bundled sample, trained with the spec the guide
// saves, reaches a validation accuracy a newcomer reads as "it learned", whatever the seed.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import type { CapaService } from '../../main/core/service/service-types';
import { trainProject } from '../helpers/train';
import { removeTempDirs, tempDir } from '../helpers/temp';

const open: CapaService[] = [];
afterEach(async () => {
  for (const created of open.splice(0)) await created.close();
});
afterAll(() => removeTempDirs());

const SEEDS = (process.env.SAMPLE_SEEDS ?? '1,7,42').split(',').map(Number);

describe('the guide sample', () => {
  it.each(SEEDS)('trains to a clearly working model with seed %i', async (seed) => {
    const capa = createCapaService({ dataDir: tempDir('capa-sample-'), host: 'browser' });
    open.push(capa);
    const { project } = await callOrThrow(capa, 'importSample', { name: 'Sample' });
    const spec = await callOrThrow(capa, 'getSpec', { projectId: project.id });
    await callOrThrow(capa, 'saveSpec', { projectId: project.id, spec: { ...spec, training: { ...spec.training, seed } } });
    const run = await trainProject(capa, project.id);
    expect(run.status).toBe('completed');
    const best = Math.max(...run.epochs.map((e) => e.valAccuracy ?? 0));

    expect(best).toBeGreaterThanOrEqual(0.9);
    // Not one lucky epoch: the last one is good too, and the validation loss fell.
    const first = run.epochs[0]!;
    const last = run.epochs[run.epochs.length - 1]!;
    expect(last.valAccuracy ?? 0).toBeGreaterThanOrEqual(0.8);
    expect(last.valLoss ?? Infinity).toBeLessThan(first.valLoss ?? 0);
  });
});
