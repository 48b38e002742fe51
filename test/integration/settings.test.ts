// Preferences against the real service over real folders: the theme persisted in settings.json,
// the data folder moved (copied, verified, recorded, old folder kept) and every refusal a person
// can meet, and the desktop-only operations answering 'unsupported' outside the desktop app.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { DataFolderMove, Result, Settings } from '../../preload/contract';
import { defaultDataDir } from '../../main/core/settings/data-dir';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import type { CapaService, DesktopHooks } from '../../main/core/service/service-types';
import { Project } from '../../main/core/projects/project';
import { RunRepository } from '../../main/core/runs/repository';
import { readSettings, settingsFileIn } from '../../main/core/settings/settings';
import { writeShapeDataset } from '../helpers/shapes';
import { removeTempDirs, tempDir } from '../helpers/temp';
import { projectPaths } from '../../main/core/projects/project-paths';

const open: CapaService[] = [];
function service(dataDir: string, extra: { settingsFile?: string; desktop?: DesktopHooks } = {}): CapaService {
  const created = createCapaService({ dataDir, host: 'browser', ...extra });
  open.push(created);
  return created;
}
afterEach(async () => {
  for (const created of open.splice(0)) await created.close();
});
afterAll(() => removeTempDirs());

const errorOf = (result: Result<unknown>) => (result.ok ? null : result.error);

/** A user folder with a settings file and a data folder holding two projects, one with pictures. */
async function installation() {
  const userData = tempDir('capa-userdata-');
  const dataDir = join(userData, 'projects');
  const settingsFile = settingsFileIn(userData);
  const capa = service(dataDir, { settingsFile });
  const birds = await callOrThrow(capa, 'createProject', { name: 'Birds' });
  await callOrThrow(capa, 'createProject', { name: 'Empty' });
  const pictures = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 3, size: 16, shapes: ['circle', 'square'] });
  await callOrThrow(capa, 'importPaths', { projectId: birds.id, paths: [pictures] });
  return { userData, dataDir, settingsFile, capa, birds };
}

describe('theme', () => {
  it('starts on the system theme and persists a choice across restarts', async () => {
    const { dataDir, settingsFile, capa } = await installation();
    const initial = await callOrThrow(capa, 'getSettings', {});
    expect(initial).toEqual({
      theme: 'system',
      language: 'system',
      guide: 'new',
      dataDirectory: dataDir,
      dataDirectoryMovable: true,
      dataDirectoryFixedReason: null,
      pendingDataDirectory: null,
    });
    expect((await callOrThrow(capa, 'setSettings', { theme: 'dark' })).theme).toBe('dark');
    expect(readSettings(settingsFile).theme).toBe('dark');
    expect((await callOrThrow(service(dataDir, { settingsFile }), 'getSettings', {})).theme).toBe('dark');
  });

  it('refuses an unknown theme and reads a damaged file as the defaults', async () => {
    const { settingsFile, capa } = await installation();
    expect(errorOf(await capa.call('setSettings', { theme: 'purple' }))?.code).toBe('invalid-argument');
    writeFileSync(settingsFile, '{"theme": 12, "dataDirectory": "relative/path"');
    expect(readSettings(settingsFile)).toEqual({ theme: 'system', language: 'system', guide: 'new' });
    writeFileSync(settingsFile, JSON.stringify({ theme: 'light', dataDirectory: 'relative/path' }));
    expect(readSettings(settingsFile)).toEqual({ theme: 'light', language: 'system', guide: 'new' });
  });
});

describe('language', () => {
  it('follows the system until chosen, keeps the theme when only the language changes, and persists', async () => {
    const { dataDir, settingsFile, capa } = await installation();
    await callOrThrow(capa, 'setSettings', { theme: 'dark' });
    const chosen = await callOrThrow(capa, 'setSettings', { language: 'es' });
    expect([chosen.theme, chosen.language]).toEqual(['dark', 'es']);
    expect(readSettings(settingsFile)).toEqual({ theme: 'dark', language: 'es', guide: 'new' });
    expect((await callOrThrow(service(dataDir, { settingsFile }), 'getSettings', {})).language).toBe('es');
  });

  it('refuses a language Capa is not written in and reads an unknown stored one as the system language', async () => {
    const { settingsFile, capa } = await installation();
    expect(errorOf(await capa.call('setSettings', { language: 'fr' }))?.code).toBe('invalid-argument');
    expect(readSettings(settingsFile).language).toBe('system');
    writeFileSync(settingsFile, JSON.stringify({ theme: 'dark', language: 'klingon' }));
    expect(readSettings(settingsFile)).toEqual({ theme: 'dark', language: 'system', guide: 'new' });
  });
});

describe('moving the data folder', () => {
  it('copies every project, verifies it, records the new folder and keeps the old one', async () => {
    const { userData, dataDir, settingsFile, capa, birds } = await installation();
    const moved = vi.fn();
    const desktop: DesktopHooks = { reveal: () => {}, chooseFolder: async () => null, dataFolderMoved: moved };
    const mover = service(dataDir, { settingsFile, desktop });
    const before = readdirSync(dataDir).sort();
    const target = join(tempDir('capa-newhome-'), 'Capa projects');

    const result = await callOrThrow(mover, 'moveDataFolder', { path: target });
    expect(result).toMatchObject<Partial<DataFolderMove>>({ from: dataDir, to: target, projects: 2, restartRequired: true });
    expect(result.files).toBeGreaterThanOrEqual(2 + 6);
    expect(result.bytes).toBeGreaterThan(0);
    expect(moved).toHaveBeenCalledWith(target);
    // Byte-identical copies, the old folder intact.
    expect(readdirSync(target).sort()).toEqual(before);
    expect(readdirSync(dataDir).sort()).toEqual(before);
    expect(
      readFileSync(projectPaths(join(target, birds.id)).database).equals(readFileSync(projectPaths(join(dataDir, birds.id)).database)),
    ).toBe(true);
    // Recorded: the next start opens the new folder, with the same projects and pictures.
    expect(readSettings(settingsFile).dataDirectory).toBe(target);
    expect(defaultDataDir({ userData, env: {} })).toBe(target);
    const next = service(target, { settingsFile });
    const projects = await callOrThrow(next, 'listProjects', {});
    expect(projects.map((project) => [project.name, project.imageCount]).sort()).toEqual([
      ['Birds', 6],
      ['Empty', 0],
    ]);
    // Until the restart, a second move is refused with the reason.
    const settings = (await callOrThrow(mover, 'getSettings', {})) as Settings;
    expect(settings).toMatchObject({ dataDirectoryMovable: false, pendingDataDirectory: target });
    expect(errorOf(await mover.call('moveDataFolder', { path: join(tempDir(), 'again') }))?.message).toContain('restart Capa');
    void capa;
  });

  it('refuses a relative path, a file, the folder itself or one inside it, and a non-empty foreign folder, changing nothing', async () => {
    const { dataDir, settingsFile, capa } = await installation();
    const foreign = tempDir('capa-foreign-');
    writeFileSync(join(foreign, 'holiday.jpg'), 'mine');
    const file = join(foreign, 'holiday.jpg');
    const cases: [string, string, RegExp][] = [
      ['relative/folder', 'invalid-argument', /full folder path/],
      [file, 'conflict', /is a file/],
      [dataDir, 'invalid-argument', /cannot be the current data folder/],
      [join(dataDir, 'inside'), 'invalid-argument', /inside it/],
      [foreign, 'conflict', /not empty and is not a Capa data folder.*holiday\.jpg/],
    ];
    for (const [path, code, message] of cases) {
      const error = errorOf(await capa.call('moveDataFolder', { path }));
      expect(error?.code, path).toBe(code);
      expect(error?.message, path).toMatch(message);
    }
    expect(readdirSync(foreign)).toEqual(['holiday.jpg']);
    expect(existsSync(join(dataDir, 'inside'))).toBe(false);
    expect(readSettings(settingsFile).dataDirectory).toBeUndefined();
  });

  it('accepts another Capa data folder, but not one that already holds the same project', async () => {
    const first = await installation();
    const other = await installation();
    const result = await callOrThrow(first.capa, 'moveDataFolder', { path: other.dataDir });
    expect(result.projects).toBe(2);
    expect(readdirSync(other.dataDir)).toHaveLength(4);
    const again = await installation();
    const clash = service(first.dataDir, { settingsFile: again.settingsFile });
    expect(errorOf(await clash.call('moveDataFolder', { path: other.dataDir }))).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('already holds a copy'),
    });
  });

  it('refuses to move while a run is queued or training, naming the project', async () => {
    const { dataDir, capa, birds } = await installation();
    const spec = await callOrThrow(capa, 'getSpec', { projectId: birds.id });
    // A run left queued in the database, as the training queue writes it.
    const project = Project.open(join(dataDir, birds.id));
    new RunRepository(project.db, birds.id).create('queued-run', spec, ['circle', 'square']);
    project.close();
    const target = join(tempDir(), 'elsewhere');
    expect(
      errorOf(await service(dataDir, { settingsFile: join(tempDir(), 'settings.json') }).call('moveDataFolder', { path: target })),
    ).toMatchObject({
      code: 'busy',
      message: expect.stringContaining('"Birds" is training'),
    });
    expect(existsSync(target)).toBe(false);
  });

  it('cannot move a folder fixed by --data-dir or CAPA_DATA_DIR, and says why', async () => {
    const fixed = service(tempDir());
    const settings = await callOrThrow(fixed, 'getSettings', {});
    expect(settings.dataDirectoryMovable).toBe(false);
    expect(settings.dataDirectoryFixedReason?.message).toContain('--data-dir');
    vi.stubEnv('CAPA_DATA_DIR', '/somewhere');
    try {
      const { capa } = await installation();
      expect(errorOf(await capa.call('moveDataFolder', { path: join(tempDir(), 'x') }))?.message).toContain('CAPA_DATA_DIR');
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('desktop-only operations', () => {
  it("answer 'unsupported' outside the desktop app, and call the shell inside it", async () => {
    const { dataDir, capa, birds } = await installation();
    const folder = 'capa-run-1-tfjs';
    expect(errorOf(await capa.call('revealExport', { projectId: birds.id, folder }))?.code).toBe('not-found');
    mkdirSync(join(projectPaths(join(dataDir, birds.id)).exports, folder), { recursive: true });
    expect(errorOf(await capa.call('revealExport', { projectId: birds.id, folder }))).toMatchObject({
      code: 'unsupported',
      message: expect.stringContaining('desktop app'),
    });
    expect(errorOf(await capa.call('chooseFolder', { title: 'Pick' }))?.code).toBe('unsupported');

    const reveal = vi.fn();
    const desktop = service(dataDir, { desktop: { reveal, chooseFolder: async () => '/chosen', dataFolderMoved: () => {} } });
    expect(await desktop.call('revealExport', { projectId: birds.id, folder })).toEqual({ ok: true, value: null });
    expect(reveal).toHaveBeenCalledWith(join(projectPaths(join(dataDir, birds.id)).exports, folder));
    // Only a name inside exports/: paths, dots and parent folders are refused before anything is shown.
    for (const bad of ['../../..', '..', '.hidden', 'a/b', 'a\\b', '/etc', '']) {
      expect(errorOf(await desktop.call('revealExport', { projectId: birds.id, folder: bad }))?.code, bad).toBe('invalid-argument');
    }
    expect(reveal).toHaveBeenCalledTimes(1);
    expect(await desktop.call('chooseFolder', { title: 'Pick' })).toEqual({ ok: true, value: '/chosen' });
    expect(errorOf(await desktop.call('revealExport', { projectId: '../..', folder }))?.code).toBe('not-found');
  });
});
