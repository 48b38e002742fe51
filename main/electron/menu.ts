// The application menu as a plain template, so main.ts stays wiring and a test can read it.
import type { MenuItemConstructorOptions } from 'electron';

/** What the menu needs from the app. */
export interface MenuContext {
  /** The productName, shown in the macOS app menu. */
  appName: string;
  /** macOS puts About, Hide and Quit in an app menu; other platforms under File. */
  isMac: boolean;
  /** Reload and developer tools are offered only to developers. */
  isDev: boolean;
  /** File > New project. */
  onNewProject(): void;
  /** Help > Show Projects Folder: where the data lives, for backups. */
  onShowDataFolder(): void;
}

/** The menu template: File, Edit (standard roles), View, Help. */
export function menuTemplate(context: MenuContext): MenuItemConstructorOptions[] {
  const template: MenuItemConstructorOptions[] = [];
  if (context.isMac) {
    template.push({
      label: context.appName,
      submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }],
    });
  }
  template.push({
    label: 'File',
    submenu: [
      { label: 'New Project…', accelerator: 'CmdOrCtrl+N', click: () => context.onNewProject() },
      { type: 'separator' },
      context.isMac ? { role: 'close' } : { role: 'quit' },
    ],
  });
  template.push({
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'delete' },
      { role: 'selectAll' },
    ],
  });
  const view: MenuItemConstructorOptions[] = [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }];
  if (context.isDev) view.unshift({ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' });
  template.push({ label: 'View', submenu: view });
  template.push({
    role: 'help',
    // macOS already has About in the app menu.
    submenu: [{ label: 'Show Projects Folder', click: () => context.onShowDataFolder() }, ...(context.isMac ? [] : [{ type: 'separator' as const }, { role: 'about' as const }])],
  });
  return template;
}

/** The DOM event File > New project dispatches in the page (window 'capa-menu', detail 'new-project'). */
export const MENU_EVENT = 'capa-menu';

/** Script run in the page for a menu command: a DOM event, so the bridge stays one method per operation. */
export function menuEventScript(command: 'new-project'): string {
  return `window.dispatchEvent(new CustomEvent(${JSON.stringify(MENU_EVENT)}, { detail: ${JSON.stringify(command)} }))`;
}
