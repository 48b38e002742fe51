// The desktop behaviours decided outside Electron: the menu and its DOM events, the .capa file a
// launch asks for, remembered window bounds, taskbar progress and the end-of-training
// notification, and the media protocol's containment (real service, real files, real symlinks).
import { mkdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import type { MenuItemConstructorOptions } from 'electron';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { RunEvent } from '../../preload/contract';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import { fileInside, mediaFileFor } from '../../main/electron/media';
import { MENU_COMMANDS, MENU_EVENT, menuEventScript, menuTemplate, type MenuCommand, type MenuEventDetail } from '../../main/electron/menu';
import { projectArchiveFromArgv } from '../../main/electron/open-file';
import { INDETERMINATE, NO_PROGRESS, runEndNotification, TaskbarProgress } from '../../main/electron/progress';
import { said, sayIn } from '../../common/messages/said';
import { mainWindowOptions, WINDOW_BACKGROUND } from '../../main/electron/window-options';
import { readWindowState, restorableBounds, writeWindowState, type WindowState } from '../../main/electron/window-state';
import { writeShapeDataset } from '../helpers/shapes';
import { removeTempDirs, tempDir } from '../helpers/temp';

afterAll(() => removeTempDirs());

type Item = MenuItemConstructorOptions;
const flatten = (items: Item[]): Item[] => items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);

describe('application menu', () => {
  const build = (isMac: boolean, isDev = false, language: 'en' | 'es' = 'en') => {
    const sent: MenuCommand[] = [];
    const opened = vi.fn();
    const template = menuTemplate({
      appName: 'Capa',
      isMac,
      isDev,
      send: (command) => sent.push(command),
      onOpenProject: opened,
      onShowDataFolder: () => {},
      language,
    });
    return { template, sent, opened, items: flatten(template) };
  };
  const click = (item: Item) => (item.click as () => void)();

  it('has every command of the issue, each with its usual shortcut, on Windows and Linux', () => {
    const { template, items, sent, opened } = build(false);
    expect(template.map((item) => item.label ?? item.role)).toEqual(['File', 'Edit', 'Model', 'View', 'windowMenu', 'help']);
    const shortcuts = Object.fromEntries(items.filter((item) => item.label).map((item) => [item.label, item.accelerator]));
    expect(shortcuts).toMatchObject({
      'New Project…': 'CmdOrCtrl+N',
      'Open Project…': 'CmdOrCtrl+O',
      'Import Pictures…': 'CmdOrCtrl+I',
      'Export Model…': 'CmdOrCtrl+E',
      Undo: 'CmdOrCtrl+Z',
      Redo: 'Ctrl+Y',
      Train: 'CmdOrCtrl+Enter',
      'Stop Training': 'CmdOrCtrl+.',
      'Preferences…': 'CmdOrCtrl+,',
      'Capa Help': 'F1',
    });
    for (const item of items)
      if (item.label && item.click && item.label !== 'Open Project…' && item.label !== 'Show Projects Folder') click(item);
    expect([...sent].sort()).toEqual(MENU_COMMANDS.filter((command) => command !== 'open-project').sort());
    click(items.find((item) => item.label === 'Open Project…')!);
    expect(opened).toHaveBeenCalledTimes(1);
    expect(items.some((item) => item.role === 'quit')).toBe(true);
  });

  it("speaks the language the screens speak: Capa's own items in Spanish, the same shortcuts and commands", () => {
    const english = build(false).items;
    const { template, items, sent } = build(false, false, 'es');
    expect(template.map((item) => item.label ?? item.role)).toEqual(['Archivo', 'Edición', 'Modelo', 'Ver', 'windowMenu', 'help']);
    const shortcuts = Object.fromEntries(items.filter((item) => item.label).map((item) => [item.label, item.accelerator]));
    expect(shortcuts).toMatchObject({
      'Nuevo proyecto…': 'CmdOrCtrl+N',
      'Detener el entrenamiento': 'CmdOrCtrl+.',
      'Ayuda de Capa': 'F1',
      'Preferencias…': 'CmdOrCtrl+,',
    });
    // The same items in the same places, only the words differ.
    expect(items.map((item) => [item.role, item.accelerator])).toEqual(english.map((item) => [item.role, item.accelerator]));
    for (const item of items)
      if (item.label && item.click && item.label !== 'Abrir proyecto…' && item.label !== 'Mostrar la carpeta de proyectos') click(item);
    expect([...sent].sort()).toEqual(MENU_COMMANDS.filter((command) => command !== 'open-project').sort());
  });

  it('follows macOS: an app menu with Settings and Quit, Shift+Cmd+Z for redo, Close under File', () => {
    const { template, items } = build(true);
    expect(template[0]!.label).toBe('Capa');
    const appMenu = flatten(template[0]!.submenu as Item[]);
    expect(appMenu.map((item) => item.label ?? item.role)).toEqual(expect.arrayContaining(['about', 'Settings…', 'quit']));
    expect(items.find((item) => item.label === 'Redo')!.accelerator).toBe('Shift+Cmd+Z');
    expect(flatten(template[1]!.submenu as Item[]).map((item) => item.role)).toContain('close');
    // One Preferences entry only, and About once.
    expect(items.filter((item) => item.label === 'Settings…' || item.label === 'Preferences…')).toHaveLength(1);
    expect(items.filter((item) => item.role === 'about')).toHaveLength(1);
  });

  it('offers developer tools only in development', () => {
    expect(build(false, true).items.map((item) => item.role)).toContain('toggleDevTools');
    expect(build(false, false).items.map((item) => item.role)).not.toContain('toggleDevTools');
  });

  it('dispatches a DOM event whose detail survives hostile paths intact', () => {
    for (const path of ['C:\\Users\\ada\\"quoted"\\x.capa', "/home/ada/it's </script> ${x}.capa", '/home/ada/line\u2028sep.capa']) {
      const seen: MenuEventDetail[] = [];
      const window = {
        dispatchEvent: (event: { type: string; detail: MenuEventDetail }) => (event.type === MENU_EVENT ? seen.push(event.detail) : 0),
      };
      class CustomEvent {
        constructor(
          readonly type: string,
          init: { detail: MenuEventDetail },
        ) {
          this.detail = init.detail;
        }
        detail: MenuEventDetail;
      }
      runInNewContext(menuEventScript({ command: 'open-project', path }), { window, CustomEvent });
      expect(seen).toEqual([{ command: 'open-project', path }]);
    }
  });
});

describe('.capa file from the command line', () => {
  it('takes the first .capa argument, made absolute against the launch folder', () => {
    expect(projectArchiveFromArgv(['/opt/Capa/capa', 'birds.capa'], '/home/ada')).toBe(resolve('/home/ada', 'birds.capa'));
    expect(projectArchiveFromArgv(['capa.exe', '--allow-file-access', '/x/Birds.CAPA'], '/home')).toBe('/x/Birds.CAPA');
    expect(projectArchiveFromArgv(['electron', '.', '/data/a.capa', '/data/b.capa'], '/')).toBe('/data/a.capa');
  });

  it('ignores the executable, flags and other files', () => {
    expect(projectArchiveFromArgv(['/x/thing.capa'], '/')).toBeNull();
    expect(projectArchiveFromArgv(['capa', '--open=x.capa', 'notes.txt', '.'], '/')).toBeNull();
    expect(projectArchiveFromArgv(['capa', 'a\0.capa'], '/')).toBeNull();
  });
});

describe('remembered window bounds', () => {
  const screen = { x: 0, y: 0, width: 1920, height: 1040 };
  const second = { x: 1920, y: 0, width: 1280, height: 1024 };
  const state = (x: number, y: number, width = 1200, height = 800): WindowState => ({ bounds: { x, y, width, height }, maximized: false });
  const minimum = { width: 900, height: 600 };

  it('restores bounds that are on a display, including a second one', () => {
    expect(restorableBounds(state(100, 80), [screen], minimum)).toEqual(state(100, 80).bounds);
    expect(restorableBounds(state(2000, 50), [screen, second], minimum)).toEqual(state(2000, 50).bounds);
  });

  it('drops bounds on a display that is gone, mostly off-screen, or too small', () => {
    expect(restorableBounds(state(2000, 50), [screen], minimum)).toBeNull();
    expect(restorableBounds(state(1880, 50), [screen], minimum)).toBeNull();
    expect(restorableBounds(state(-1150, 50), [screen], minimum)).toBeNull();
    expect(restorableBounds(state(100, 80, 300, 200), [screen], minimum)).toBeNull();
    expect(restorableBounds(null, [screen], minimum)).toBeNull();
  });

  it('round-trips through its file and ignores a damaged one', () => {
    const userData = tempDir('capa-window-');
    expect(readWindowState(userData)).toBeNull();
    writeWindowState(userData, { bounds: { x: 5, y: 6, width: 1000, height: 700 }, maximized: true });
    expect(readWindowState(userData)).toEqual({ bounds: { x: 5, y: 6, width: 1000, height: 700 }, maximized: true });
    writeFileSync(join(userData, 'window-state.json'), '{"bounds":{"x":"5"}');
    expect(readWindowState(userData)).toBeNull();
    writeFileSync(join(userData, 'window-state.json'), JSON.stringify({ bounds: { x: 0, y: 0, width: -5, height: 10 }, maximized: false }));
    expect(readWindowState(userData)).toBeNull();
  });

  it('paints the window background in the theme the system uses', () => {
    expect(mainWindowOptions('/p', true).backgroundColor).toBe(WINDOW_BACKGROUND.dark);
    expect(mainWindowOptions('/p').backgroundColor).toBe(WINDOW_BACKGROUND.light);
  });
});

describe('taskbar progress and notification', () => {
  const progress = (epoch: number, batch: number): RunEvent => ({
    runId: 'r',
    kind: 'progress',
    epoch,
    epochs: 4,
    batch,
    batches: 10,
    loss: 1,
    accuracy: 0.5,
    imagesPerSecond: 9,
  });

  it('shows training progress across epochs, then removes the bar', () => {
    const bar = new TaskbarProgress();
    expect(bar.value()).toBe(NO_PROGRESS);
    expect(
      bar.run({
        runId: 'r',
        kind: 'started',
        backend: { name: 'wasm', description: '', gpu: false, fallbacks: [] },
        trainCount: 10,
        validationCount: 2,
      }),
    ).toBe(INDETERMINATE);
    expect(bar.run(progress(1, 5))).toBeCloseTo(0.125);
    expect(bar.run(progress(3, 10))).toBeCloseTo(0.75);
    expect(bar.run({ runId: 'r', kind: 'done', status: 'completed', error: null })).toBe(NO_PROGRESS);
  });

  it('follows an import alongside training and shows the least advanced', () => {
    const bar = new TaskbarProgress();
    bar.run(progress(4, 5));
    expect(
      bar.import({ importId: 'i', projectId: 'p', kind: 'progress', done: 10, total: 40, imagesPerSecond: 5, secondsLeft: 6 }),
    ).toBeCloseTo(0.25);
    expect(bar.run({ runId: 'r', kind: 'done', status: 'stopped', error: null })).toBeCloseTo(0.25);
    expect(
      bar.import({
        importId: 'i',
        projectId: 'p',
        kind: 'done',
        cancelled: false,
        report: { imported: 40, duplicates: [], rejected: [], classesCreated: [] },
      }),
    ).toBe(NO_PROGRESS);
  });

  it('notifies the end of training only while the window is hidden', () => {
    const done: RunEvent = { runId: 'r', kind: 'done', status: 'completed', error: null };
    expect(runEndNotification(done, false, 'en')).toBeNull();
    expect(runEndNotification(progress(1, 1), true, 'en')).toBeNull();
    expect(runEndNotification(done, true, 'en')).toEqual({ title: 'Training finished', body: expect.stringContaining('ready') });
    expect(runEndNotification({ ...done, status: 'failed', error: { message: 'Out of memory.' } }, true, 'en')).toEqual({
      title: 'Training failed',
      body: 'Out of memory.',
    });
  });

  it("notifies in the language the screens speak, the run's own failure said in it too", () => {
    const done: RunEvent = { runId: 'r', kind: 'done', status: 'completed', error: null };
    expect(runEndNotification(done, true, 'es')).toEqual({
      title: 'Entrenamiento terminado',
      body: 'Tu modelo está listo. Abre Capa para ver qué tan bien funciona.',
    });
    const diverged = said('runs.training.closedByApp');
    const failed = runEndNotification({ ...done, status: 'failed', error: diverged }, true, 'es')!;
    expect(failed.title).toBe('El entrenamiento falló');
    expect(failed.body).not.toBe(diverged.message);
    expect(failed.body).toBe(sayIn('es', diverged));
    expect(runEndNotification({ ...done, status: 'interrupted', error: null }, true, 'es')!.body).toBe(
      'El entrenamiento terminó antes de su última época. Abre Capa para reanudarlo.',
    );
  });
});

describe('media protocol containment (real service, real files)', () => {
  it('serves a stored image and refuses one replaced by a symlink that escapes the data folder', async () => {
    const root = tempDir('capa-media-');
    const dataDir = join(root, 'data');
    const service = createCapaService({ dataDir, host: 'electron' });
    try {
      const project = await callOrThrow(service, 'createProject', { name: 'Shapes' });
      await callOrThrow(service, 'importPaths', {
        projectId: project.id,
        paths: [await writeShapeDataset(join(root, 'pictures'), { perClass: 1, size: 16, shapes: ['circle', 'square'] })],
      });
      const url = `capa-media://media/image/${project.id}/1`;
      const stored = await mediaFileFor(url, service, dataDir);
      expect(stored).not.toBeNull();
      expect(readFileSync(stored!).subarray(1, 4).toString()).toBe('PNG');

      mkdirSync(join(root, 'outside'));
      const secret = join(root, 'outside', 'secret.png');
      writeFileSync(secret, 'private');
      unlinkSync(stored!);
      symlinkSync(secret, stored!);
      expect(await mediaFileFor(url, service, dataDir)).toBeNull();
      expect(await fileInside(stored!, join(root, 'outside'))).toBe(secret);

      for (const bad of [
        `capa-media://media/image/${project.id}/999`,
        'capa-media://media/image/..%2f..%2foutside/1',
        `capa-media://media/image/${project.id}/1/../../2`,
      ]) {
        expect(await mediaFileFor(bad, service, dataDir), bad).toBeNull();
      }
    } finally {
      await service.close();
    }
  });

  it('refuses a file outside the root, the root itself and a missing file', async () => {
    const root = tempDir('capa-inside-');
    mkdirSync(join(root, 'a'));
    writeFileSync(join(root, 'a', 'x'), '1');
    writeFileSync(join(root, 'y'), '2');
    expect(await fileInside(join(root, 'a', 'x'), join(root, 'a'))).toBe(join(root, 'a', 'x'));
    expect(await fileInside(join(root, 'y'), join(root, 'a'))).toBeNull();
    expect(await fileInside(join(root, 'a', '..', 'y'), join(root, 'a'))).toBeNull();
    expect(await fileInside(join(root, 'a'), join(root, 'a'))).toBeNull();
    expect(await fileInside(join(root, 'a', 'nope'), join(root, 'a'))).toBeNull();
  });
});
