// The Electron shell: one window, the app:// and capa-media:// protocols, IPC wired to the core
// service, the trainer in a utilityProcess, the menu, and a clean shutdown. Decisions (window
// options, CSP, sender and permission checks, URL parsing) live in small modules next door.
import { BrowserWindow, Menu, app, dialog, ipcMain, net, protocol, session, shell, utilityProcess } from 'electron';
import type { WebContents } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { IMPORT_EVENT_CHANNEL, RUN_EVENT_CHANNEL } from '../../preload/contract';
import { defaultDataDir } from '../core/data-dir';
import { createCapaService } from '../core/service';
import type { CapaService } from '../core/service-api';
import { registerIpcHandlers } from './ipc';
import { menuEventScript, menuTemplate } from './menu';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  MEDIA_SCHEME,
  appUrlToFile,
  contentSecurityPolicy,
  isAppUrl,
  isPermissionAllowed,
  isTrustedSender,
  parseMediaUrl,
} from './security';
import { forkUtilityTrainer } from './trainer-port';
import { mainWindowOptions } from './window-options';

// This file is out/main/electron/main.js; the renderer, preload and trainer are built beside it.
const RENDERER_DIR = join(__dirname, '..', '..', 'renderer');
const PRELOAD_PATH = join(__dirname, '..', '..', 'preload', 'bridge.cjs');
const TRAINER_PATH = join(__dirname, '..', 'trainer', 'main.js');
const CSP = contentSecurityPolicy();
const isMac = process.platform === 'darwin';

/** webContents ids of our windows: the only senders IPC answers and permissions are granted to. */
const trustedWebContents = new Set<number>();
let service: CapaService | null = null;
let dataDir = '';

// Must happen before 'ready': standard + secure give app:// a real origin, so 'self' in the CSP,
// fetch and relative URLs behave as on https, without the file:// scheme's wide privileges.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);
// Every renderer sandboxed, even one created by accident.
app.enableSandbox();

const notFound = (): Response => new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });

/** Fetches a local file, or 404 when it has vanished (net.fetch rejects on a missing file). */
async function fetchFile(file: string): Promise<Response> {
  try {
    return await net.fetch(pathToFileURL(file).toString());
  } catch {
    return notFound();
  }
}

function registerProtocols(capa: CapaService): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = appUrlToFile(request.url, RENDERER_DIR);
    if (file === null) return notFound();
    const response = await fetchFile(file);
    // The CSP is set here as well as in onHeadersReceived: custom-scheme responses may bypass webRequest.
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CSP);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
  protocol.handle(MEDIA_SCHEME, async (request) => {
    const media = parseMediaUrl(request.url);
    if (media === null) return notFound();
    // Only a file the service resolves for a real project and image is ever read.
    const file = await capa.mediaFile(media.kind, media.projectId, media.imageId);
    return file === null ? notFound() : fetchFile(file);
  });
}

function hardenSession(): void {
  const ses = session.defaultSession;
  ses.webRequest.onHeadersReceived((details, callback) => {
    const responseHeaders = { ...details.responseHeaders };
    for (const name of Object.keys(responseHeaders)) {
      if (name.toLowerCase() === 'content-security-policy') delete responseHeaders[name];
    }
    responseHeaders['Content-Security-Policy'] = [CSP];
    callback({ responseHeaders });
  });
  ses.setPermissionRequestHandler((contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    callback(trustedWebContents.has(contents.id) && isPermissionAllowed(permission, { mediaTypes, requestingUrl: details.requestingUrl }));
  });
  ses.setPermissionCheckHandler((contents, permission, requestingOrigin) => {
    // Checks carry no media types; answering yes for 'media' lets the page list cameras by name.
    return contents !== null && trustedWebContents.has(contents.id) && permission === 'media' && isAppUrl(requestingOrigin);
  });
}

/** Applies to every webContents: no navigation away from the app, no new windows, no webviews. */
function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // A link to the web opens in the user's browser, never inside Capa.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(PRELOAD_PATH));
  const id = window.webContents.id;
  trustedWebContents.add(id);
  window.on('closed', () => trustedWebContents.delete(id));
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY_URL);
  return window;
}

function focusOrCreateWindow(): void {
  const [window] = BrowserWindow.getAllWindows();
  if (window === undefined) {
    createWindow();
    return;
  }
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

function installMenu(): void {
  const template = menuTemplate({
    appName: app.name,
    isMac,
    isDev: !app.isPackaged,
    onNewProject: () => {
      const window = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
      if (window === undefined) return;
      void window.webContents.executeJavaScript(menuEventScript('new-project'));
    },
    onShowDataFolder: () => void shell.openPath(dataDir),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

async function start(): Promise<void> {
  await app.whenReady();
  dataDir = defaultDataDir({ userData: app.getPath('userData') });
  let capa: CapaService;
  try {
    capa = createCapaService({
      dataDir,
      host: 'electron',
      // A closure keeps `this` bound to utilityProcess.
      spawnTrainer: () => forkUtilityTrainer((path, args, options) => utilityProcess.fork(path, args, options), TRAINER_PATH),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    dialog.showErrorBox('Capa cannot start', `Capa could not open its projects folder (${dataDir}): ${message}`);
    app.exit(1);
    return;
  }
  service = capa;
  app.setAboutPanelOptions({ applicationName: 'Capa', applicationVersion: app.getVersion() });
  hardenSession();
  registerProtocols(capa);
  registerIpcHandlers(ipcMain, capa, (event) => isTrustedSender(event, trustedWebContents));
  const broadcast = (channel: string, event: unknown) => {
    for (const window of BrowserWindow.getAllWindows()) {
      if (!window.isDestroyed()) window.webContents.send(channel, event);
    }
  };
  capa.onRunEvent((event) => broadcast(RUN_EVENT_CHANNEL, event));
  capa.onImportEvent((event) => broadcast(IMPORT_EVENT_CHANNEL, event));
  installMenu();
  createWindow();
}

// A second launch (e.g. double-clicking a .capa file) brings the running window forward instead.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => focusOrCreateWindow());
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
  app.on('activate', () => {
    if (service !== null && BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app.on('window-all-closed', () => {
    if (!isMac) app.quit();
  });
  let closed = false;
  let closing = false;
  app.on('before-quit', (event) => {
    if (closed || service === null) return;
    // Quit waits for the service: running runs are marked interrupted and databases closed cleanly.
    event.preventDefault();
    if (closing) return;
    closing = true;
    service
      .close()
      .catch((error: unknown) => console.error('Capa: closing the service failed:', error))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });
  start().catch((error: unknown) => {
    console.error('Capa failed to start:', error);
    app.exit(1);
  });
}
