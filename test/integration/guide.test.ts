// The first-run guide's service side against the real service and real folders: the bundled
// sample pictures become a new project with a small network that trains, the guide's progress is
// kept in settings.json across restarts, and a missing sample folder is an error a person can act on.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import type { CapaService, CapaServiceOptions } from '../../main/core/service/service-types';
import { readSettings, settingsFileIn } from '../../main/core/settings/settings';
import { SAMPLE_RESOURCE_FOLDER, sampleFolder } from '../../main/core/guide/handlers';
import { writeShapeDataset } from '../helpers/shapes';
import { removeTempDirs, tempDir } from '../helpers/temp';

const open: CapaService[] = [];
function service(options: Partial<CapaServiceOptions> = {}): CapaService {
  const created = createCapaService({ dataDir: tempDir('capa-guide-'), host: 'browser', ...options });
  open.push(created);
  return created;
}
afterEach(async () => {
  for (const created of open.splice(0)) await created.close();
});
afterAll(() => removeTempDirs());

describe('importSample', () => {
  it('makes a project of the three bundled classes, with a small network ready to train', async () => {
    const capa = service();
    const { project, report } = await callOrThrow(capa, 'importSample', { name: 'Shapes sample' });
    expect(project.name).toBe('Shapes sample');
    expect([...report.classesCreated].sort()).toEqual(['circle', 'square', 'triangle']);
    expect(report.imported).toBe(120);
    expect(report.rejected).toEqual([]);
    const dataset = await callOrThrow(capa, 'getDataset', { projectId: project.id });
    expect(dataset.classes.map((c) => c.imageCount)).toEqual([40, 40, 40]);
    const spec = await callOrThrow(capa, 'getSpec', { projectId: project.id });
    expect(spec.preset).toBe('small-cnn');
    expect(spec.backbone).toBeUndefined();
    expect(spec.input).toMatchObject({ width: 32, height: 32 });
    expect(spec.training.epochs).toBeLessThanOrEqual(20);
  });

  it('a second sample is a second project, not more pictures in the first', async () => {
    const capa = service();
    const first = await callOrThrow(capa, 'importSample', { name: 'Sample' });
    const second = await callOrThrow(capa, 'importSample', { name: 'Sample again' });
    expect(second.project.id).not.toBe(first.project.id);
    expect(second.report.imported).toBe(120);
    expect((await callOrThrow(capa, 'listProjects', {})).length).toBe(2);
  });

  it('finds the packaged folder first, else the source tree, and says what to do when neither exists', () => {
    const packaged = tempDir('capa-resources-');
    expect(sampleFolder(packaged)).toBe(packaged);
    expect(sampleFolder(join(packaged, 'nowhere'))).toMatch(/assets[\\/]sample$/);
    expect(() => sampleFolder(join(packaged, 'nowhere'), [])).toThrow(/Reinstall Capa, or import a folder of your own/);
  });

  it('a configured folder that holds other pictures is what gets imported', async () => {
    const folder = await writeShapeDataset(join(tempDir(), 'mine'), { perClass: 2, size: 16, shapes: ['circle', 'square'] });
    const { report } = await callOrThrow(service({ sampleDir: folder }), 'importSample', { name: 'Mine' });
    expect(report.imported).toBe(4);
  });

  it('refuses an empty name', async () => {
    const result = await service().call('importSample', { name: '  ' });
    expect(result.ok ? null : result.error.code).toBe('invalid-argument');
  });
});

describe('packaging', () => {
  it('ships the sample as an extra resource where the desktop shell looks for it', () => {
    const root = join(__dirname, '..', '..');
    const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as { extraResources?: { from: string; to: string }[] };
    expect(config.extraResources).toContainEqual({ from: 'assets/sample', to: SAMPLE_RESOURCE_FOLDER });
    expect(readdirSync(join(root, 'assets', 'sample')).sort()).toEqual(['circle', 'square', 'triangle']);
  });
});

describe('guide progress', () => {
  it('starts new, and a skip is kept across restarts', async () => {
    const userData = tempDir('capa-guide-user-');
    const settingsFile = settingsFileIn(userData);
    const dataDir = join(userData, 'projects');
    const capa = service({ dataDir, settingsFile });
    expect((await callOrThrow(capa, 'getSettings', {})).guide).toBe('new');
    expect((await callOrThrow(capa, 'setSettings', { guide: 'skipped' })).guide).toBe('skipped');
    expect(readSettings(settingsFile).guide).toBe('skipped');
    expect((await callOrThrow(service({ dataDir, settingsFile }), 'getSettings', {})).guide).toBe('skipped');
    expect((await capa.call('setSettings', { guide: 'maybe' })).ok).toBe(false);
  });
});
