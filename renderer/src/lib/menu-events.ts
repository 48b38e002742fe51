// The desktop menu's commands (main/electron/menu.ts dispatches them as a 'capa-menu' DOM event)
// turned into what the app does: go to a screen, undo, start or stop training, open a .capa file.
import type { AppState } from '../state/app.svelte';
import { say, t } from './i18n/i18n.svelte';
import { describeError } from './result';

/** What main puts in the event (MenuEventDetail in main/electron/menu.ts). */
interface MenuEventDetail {
  command: string;
  path?: string;
}

/** Whether typing has the focus, so Undo and Redo belong to the text field. */
function editing(): boolean {
  const element = document.activeElement;
  return (
    element instanceof HTMLInputElement ||
    element instanceof HTMLTextAreaElement ||
    (element instanceof HTMLElement && element.isContentEditable)
  );
}

async function undo(app: AppState): Promise<void> {
  const session = app.session;
  if (session === null) return;
  const result = await app.api.undo({ projectId: session.project.id });
  if (result.ok) {
    app.toast(t('data.done.undone', { what: say(result.value.description) }), 'info');
    await session.load();
  } else app.toast(describeError(result.error));
}

async function openArchive(app: AppState, path: string): Promise<void> {
  app.toast(t('data.portability.opening', { path }), 'info');
  const result = await app.api.importProject({ path });
  if (!result.ok) return app.toast(describeError(result.error));
  await app.loadProjects();
  app.open(result.value);
}

/** Handles one menu command. */
export function runMenuCommand(app: AppState, detail: MenuEventDetail): void {
  const session = app.session;
  switch (detail.command) {
    case 'new-project':
      return app.go('projects');
    case 'open-project':
      if (detail.path !== undefined) void openArchive(app, detail.path);
      return;
    case 'import':
      return app.go(session ? 'data' : 'projects');
    case 'undo':
      // execCommand is the only way to reach a text field's own undo stack from script.
      if (editing()) document.execCommand('undo');
      else void undo(app);
      return;
    case 'redo':
      if (editing()) document.execCommand('redo');
      return;
    case 'train':
      app.go('train');
      if (session && session.runs.active === null && !session.runs.starting) void session.runs.start(() => session.model.save());
      return;
    case 'stop':
      if (session?.runs.active) void session.runs.stop();
      return;
    case 'export':
      return app.go('export');
    case 'preferences':
      return app.go('preferences');
    case 'help':
      app.helpOpen = true;
      return;
  }
}

/** Listens for menu commands for the life of the page. */
export function installMenuEvents(app: AppState): void {
  window.addEventListener('capa-menu', (event) => {
    const detail = (event as CustomEvent<unknown>).detail;
    if (typeof detail === 'object' && detail !== null && typeof (detail as MenuEventDetail).command === 'string')
      runMenuCommand(app, detail as MenuEventDetail);
  });
}
