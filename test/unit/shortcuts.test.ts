// The help overlay's desktop-menu shortcuts are the menu's own accelerators (main/electron/menu.ts):
// a browser tab has no menu, so the keyboard e2e cannot press them; this holds the list to the menu,
// so the overlay never promises a shortcut the menu lacks.
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { menuTemplate } from '../../main/electron/menu';
import { SHORTCUT_GROUPS } from '../../renderer/src/lib/shortcuts';

type Item = MenuItemConstructorOptions;
const flatten = (items: Item[]): Item[] => items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);

describe('the help overlay’s desktop menu shortcuts', () => {
  it('are each an accelerator of the Windows and Linux menu, for the command the overlay names', () => {
    const template = menuTemplate({
      appName: 'Capa',
      isMac: false,
      isDev: false,
      send: () => {},
      onOpenProject: () => {},
      onShowDataFolder: () => {},
      language: 'en',
    });
    const accelerators = new Map(
      flatten(template)
        .filter((item) => item.accelerator)
        .map((item) => [String(item.accelerator).replace('CmdOrCtrl', 'Ctrl'), item.label]),
    );
    const menu = SHORTCUT_GROUPS.find((group) => group.id === 'menu')!;
    // The overlay's action for each menu label, so a shortcut listed for the wrong command fails too.
    const expected: Record<string, string> = {
      newProject: 'New Project…',
      openProject: 'Open Project…',
      import: 'Import Pictures…',
      train: 'Train',
      stop: 'Stop Training',
      export: 'Export Model…',
      preferences: 'Preferences…',
      help: 'Capa Help',
    };
    expect(menu.shortcuts.length).toBe(Object.keys(expected).length);
    for (const shortcut of menu.shortcuts) {
      for (const keys of shortcut.keys) expect(accelerators.get(keys), `${keys} (${shortcut.action})`).toBe(expected[shortcut.action]);
    }
  });
});
