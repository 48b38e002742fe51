// The application menu as a plain template, so main.ts stays wiring and a test can read it. App
// commands reach the renderer as one DOM event ('capa-menu') that renderer/src/lib/menu-events.ts
// handles, so the bridge stays one method per operation.
import type { MenuItemConstructorOptions } from 'electron';
import type { Language } from '../../common/messages/languages';
import { said, sayIn, type CoreKey } from '../../common/messages/said';

/** Commands the menu sends to the renderer. */
export const MENU_COMMANDS = [
  'new-project',
  'open-project',
  'import',
  'undo',
  'redo',
  'train',
  'stop',
  'export',
  'preferences',
  'help',
] as const;
/** One of them. */
export type MenuCommand = (typeof MENU_COMMANDS)[number];

/** What the menu needs from the app. */
export interface MenuContext {
  /** The productName, shown in the macOS app menu. */
  appName: string;
  /** macOS puts About, Preferences, Hide and Quit in an app menu; other platforms under File and Edit. */
  isMac: boolean;
  /** Reload and developer tools are offered only to developers. */
  isDev: boolean;
  /** Sends a command to the renderer. */
  send(command: MenuCommand): void;
  /** File > Open Project…: a native open dialog for a .capa archive, handled by the shell. */
  onOpenProject(): void;
  /** Help > Show Projects Folder: where the data lives, for backups. */
  onShowDataFolder(): void;
  /** The language the labels are in: the one the screens speak (Preferences, or the system's). */
  language: Language;
}

/** The menu template: (app menu on macOS), File, Edit, Model, View, Help, with the usual shortcuts. */
export function menuTemplate(context: MenuContext): MenuItemConstructorOptions[] {
  // Roles (Cut, Copy, Quit…) are labelled by Electron in the system's language; Capa's own items here.
  const words = (key: CoreKey) => sayIn(context.language, said(key));
  const command = (key: CoreKey, name: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label: words(key),
    ...(accelerator ? { accelerator } : {}),
    click: () => context.send(name),
  });
  const preferences = command(context.isMac ? 'desktop.menu.settings' : 'desktop.menu.preferences', 'preferences', 'CmdOrCtrl+,');
  const template: MenuItemConstructorOptions[] = [];
  if (context.isMac) {
    template.push({
      label: context.appName,
      submenu: [
        { role: 'about' },
        { type: 'separator' },
        preferences,
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
  }
  template.push({
    label: words('desktop.menu.file'),
    submenu: [
      command('desktop.menu.newProject', 'new-project', 'CmdOrCtrl+N'),
      { label: words('desktop.menu.openProject'), accelerator: 'CmdOrCtrl+O', click: () => context.onOpenProject() },
      { type: 'separator' },
      command('desktop.menu.importPictures', 'import', 'CmdOrCtrl+I'),
      command('desktop.menu.exportModel', 'export', 'CmdOrCtrl+E'),
      { type: 'separator' },
      ...(context.isMac ? [{ role: 'close' as const }] : [preferences, { type: 'separator' as const }, { role: 'quit' as const }]),
    ],
  });
  template.push({
    label: words('desktop.menu.edit'),
    submenu: [
      // Text fields undo their typing; elsewhere the renderer undoes the last change to the data set.
      command('desktop.menu.undo', 'undo', 'CmdOrCtrl+Z'),
      command('desktop.menu.redo', 'redo', context.isMac ? 'Shift+Cmd+Z' : 'Ctrl+Y'),
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'delete' },
      { role: 'selectAll' },
    ],
  });
  template.push({
    label: words('desktop.menu.model'),
    submenu: [command('desktop.menu.train', 'train', 'CmdOrCtrl+Enter'), command('desktop.menu.stopTraining', 'stop', 'CmdOrCtrl+.')],
  });
  const view: MenuItemConstructorOptions[] = [
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  if (context.isDev) view.unshift({ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' });
  template.push({ label: words('desktop.menu.view'), submenu: view });
  template.push({ role: 'windowMenu' });
  template.push({
    role: 'help',
    submenu: [
      command('desktop.menu.help', 'help', 'F1'),
      { label: words('desktop.menu.showProjectsFolder'), click: () => context.onShowDataFolder() },
      // macOS already has About in the app menu.
      ...(context.isMac ? [] : [{ type: 'separator' as const }, { role: 'about' as const }]),
    ],
  });
  return template;
}

/** The DOM event a menu command dispatches in the page (window 'capa-menu'). */
export const MENU_EVENT = 'capa-menu';

/** What the event carries: the command, and for 'open-project' the archive to open. */
export interface MenuEventDetail {
  /** Which command. */
  command: MenuCommand;
  /** The .capa file chosen in the open dialog or passed on the command line. */
  path?: string;
}

/** Script run in the page for a menu command: a DOM event, so the bridge stays one method per operation. */
export function menuEventScript(detail: MenuEventDetail): string {
  // JSON.stringify makes any path a string literal: quotes and backslashes cannot break out.
  return `window.dispatchEvent(new CustomEvent(${JSON.stringify(MENU_EVENT)}, { detail: ${JSON.stringify(detail)} }))`;
}
