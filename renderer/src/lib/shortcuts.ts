// Every keyboard shortcut of the app, per screen, as the help overlay lists them. Each comes from a
// key handler: App.svelte (?), DataScreen and ImageGrid (the picture grid), Lightbox, LayerRow,
// RunsTable (rename), WebcamCapture, and the desktop menu (main/electron/menu.ts), or from the
// browser's own keys on a control (sliders, radio buttons, file inputs, selects, matrix cells).
// test/e2e/keyboard.test.ts presses each one.
import type en from '../../../common/messages/en/screens.json';

/** One shortcut: its keys ("Ctrl+Z"; alternatives listed apart) and the action's key under help.actions. */
export interface Shortcut {
  /** Key combinations that do it, "+" between keys pressed together. */
  keys: readonly string[];
  /** Key of the action's text under help.actions. */
  action: keyof (typeof en)['help']['actions'];
}

/** Shortcuts of one screen or part of the app. */
export interface ShortcutGroup {
  /** Key of its title under help.groups. */
  id: 'everywhere' | 'menu' | 'data' | 'viewer' | 'model' | 'train' | 'evaluate' | 'try';
  /** Its shortcuts. */
  shortcuts: readonly Shortcut[];
}

export const SHORTCUT_GROUPS: readonly ShortcutGroup[] = [
  {
    id: 'everywhere',
    shortcuts: [
      { keys: ['?'], action: 'help' },
      { keys: ['Tab', 'Shift+Tab'], action: 'moveFocus' },
      { keys: ['Enter', 'Space'], action: 'press' },
      { keys: ['Escape'], action: 'close' },
      { keys: ['←', '→', '↑', '↓'], action: 'choose' },
      { keys: ['Space'], action: 'chooseFiles' },
    ],
  },
  {
    id: 'menu',
    shortcuts: [
      { keys: ['Ctrl+N'], action: 'newProject' },
      { keys: ['Ctrl+O'], action: 'openProject' },
      { keys: ['Ctrl+I'], action: 'import' },
      { keys: ['Ctrl+Enter'], action: 'train' },
      { keys: ['Ctrl+.'], action: 'stop' },
      { keys: ['Ctrl+E'], action: 'export' },
      { keys: ['Ctrl+,'], action: 'preferences' },
      { keys: ['F1'], action: 'help' },
    ],
  },
  {
    id: 'data',
    shortcuts: [
      { keys: ['←', '→', '↑', '↓'], action: 'gridMove' },
      { keys: ['Shift+←', 'Shift+→'], action: 'gridExtend' },
      { keys: ['Ctrl+←', 'Ctrl+→'], action: 'gridFocus' },
      { keys: ['Space'], action: 'gridToggle' },
      { keys: ['Ctrl+A'], action: 'gridAll' },
      { keys: ['Enter'], action: 'gridOpen' },
      { keys: ['1 … 9'], action: 'moveToClass' },
      { keys: ['0'], action: 'unlabel' },
      { keys: ['Delete', 'Backspace'], action: 'delete' },
      { keys: ['Ctrl+Z'], action: 'undo' },
      { keys: ['Escape'], action: 'clearSelection' },
      { keys: ['↑', '↓', 'End'], action: 'moveToList' },
      { keys: ['Space'], action: 'record' },
    ],
  },
  {
    id: 'viewer',
    shortcuts: [
      { keys: ['←', '→'], action: 'viewerStep' },
      { keys: ['1 … 9', '0', 'Delete'], action: 'viewerActs' },
      { keys: ['Escape'], action: 'viewerClose' },
    ],
  },
  { id: 'model', shortcuts: [{ keys: ['Alt+↑', 'Alt+↓'], action: 'moveLayer' }] },
  {
    id: 'train',
    shortcuts: [
      { keys: ['Enter'], action: 'renameSave' },
      { keys: ['Escape'], action: 'renameCancel' },
    ],
  },
  { id: 'evaluate', shortcuts: [{ keys: ['Enter'], action: 'openCell' }] },
  {
    id: 'try',
    shortcuts: [{ keys: ['Ctrl+V'], action: 'paste' }],
  },
];

/** Fields where "?" is typed (a tick box, radio button or slider takes no text, so "?" there is help). */
const TYPING =
  'input:not([type="checkbox"], [type="radio"], [type="range"], [type="color"], [type="file"]), select, textarea, [contenteditable="true"]';

/** Whether a key press is the help overlay's "?", and not typing in a field. */
export function isHelpKey(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  if (target?.closest(TYPING)) return false;
  return event.key === '?' && !event.ctrlKey && !event.metaKey && !event.altKey;
}
