// A flat folder through the core: flatFolder names it (and nothing else), and an import with
// ignoreFolders puts its pictures in Unlabelled instead of a class named after the folder.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import { writeColourDataset } from '../helpers/colours';
import { tempDir } from '../helpers/temp';

const service = createCapaService({ dataDir: tempDir(), host: 'browser' });
afterAll(() => service.close());

describe('a flat folder', () => {
  it('is named by flatFolder and goes to Unlabelled with ignoreFolders', async () => {
    const project = await callOrThrow(service, 'createProject', { name: 'Flat' });
    const sorted = await writeColourDataset(join(tempDir(), 'colours'), 2);
    const flat = join(sorted, 'red');
    expect(await callOrThrow(service, 'flatFolder', { projectId: project.id, paths: [flat] })).toEqual({ name: 'red' });
    expect(await callOrThrow(service, 'flatFolder', { projectId: project.id, paths: [sorted] })).toEqual({ name: null });

    const report = await callOrThrow(service, 'importPaths', { projectId: project.id, paths: [flat], classId: null, ignoreFolders: true });
    expect(report.imported).toBe(2);
    expect(report.classesCreated).toEqual([]);
    let view = await callOrThrow(service, 'getDataset', { projectId: project.id });
    expect(view.unlabelledCount).toBe(2);
    expect(view.classes).toEqual([]);

    // Without it, the folders decide as before.
    await callOrThrow(service, 'importPaths', { projectId: project.id, paths: [join(sorted, 'blue')] });
    view = await callOrThrow(service, 'getDataset', { projectId: project.id });
    expect(view.classes.map((c) => c.name)).toEqual(['blue']);
  });
});
