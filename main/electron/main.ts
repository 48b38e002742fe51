// The Electron shell: one window, the app:// and capa-media:// protocols, IPC wired to the core
// service, the trainer in a utilityProcess, the menu, native dialogs, taskbar progress,
// notifications, the theme, and a clean shutdown. Decisions (window options, CSP, sender and
// permission checks, URL parsing, window state, progress) live in small modules next door.
import {
  BrowserWindow,
  Menu,
  Notification,
  app,
  dialog,
  ipcMain,
  nativeTheme,
  net,
  protocol,
  screen,
  session,
  shell,
  utilityProcess,
} from 'electron';
import type { WebContents } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BACKBONE_EVENT_CHANNEL, IMPORT_EVENT_CHANNEL, RUN_EVENT_CHANNEL } from '../../preload/contract';
import type { Settings } from '../../preload/contract';
import { dataDirFromEnv, defaultDataDir } from '../core/settings/data-dir';
import { resolveLanguage, type Language } from '../../common/messages/languages';
import { said, sayIn } from '../../common/messages/said';
import { settingsFileIn } from '../core/settings/settings';
import { SAMPLE_RESOURCE_FOLDER } from '../core/guide/handlers';
import { createCapaService } from '../core/service/service';
import type { CapaService } from '../core/service/service-types';
import { registerIpcHandlers } from './ipc';
import { fileInside, mediaFileFor } from './media';
import { menuEventScript, menuTemplate, type MenuEventDetail } from './menu';
import { projectArchiveFromArgv } from './open-file';
import { runEndNotification, TaskbarProgress } from './progress';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  MEDIA_SCHEME,
  appUrlToFile,
  contentSecurityPolicy,
  isAppUrl,
  isPermissionAllowed,
  isTrustedSender,
} from './security';
import { forkUtilityTrainer } from './trainer-port';
import { appendEngineSwitches, openEngineWindow } from './engine-window';
import { APP_USER_MODEL_ID, mainWindowOptions } from './window-options';
import { readWindowState, restorableBounds, writeWindowState } from './window-state';

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
/** The language the screens speak, for the menu, dialogs and notifications the shell draws itself. */
let language: Language = 'en';
/** A .capa file asked for before the window could receive it (launch argument, macOS open-file). */
let pendingArchive: string | null = projectArchiveFromArgv(process.argv, process.cwd());

// Must happen before 'ready': standard + secure give app:// a real origin, so 'self' in the CSP,
// fetch and relative URLs behave as on https, without the file:// scheme's wide privileges.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);
// Every renderer sandboxed, even one created by accident.
app.enableSandbox();
// The Chromium training engine's window needs WebGPU switched on (behind a flag on Linux) and no throttling.
appendEngineSwitches(app.commandLine);

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
    const named = appUrlToFile(request.url, RENDERER_DIR);
    const file = named === null ? null : await fileInside(named, RENDERER_DIR);
    if (file === null) return notFound();
    const response = await fetchFile(file);
    // The CSP is set here as well as in onHeadersReceived: custom-scheme responses may bypass webRequest.
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CSP);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
  protocol.handle(MEDIA_SCHEME, async (request) => {
    // Only a file the service resolves for a real project and image, really inside the data folder, is read.
    const file = await mediaFileFor(request.url, capa, dataDir);
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

const mainWindow = (): BrowserWindow | undefined => BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];

/** Sends a menu command (or a .capa file to open) to the page as a DOM event. */
function sendToPage(detail: MenuEventDetail): void {
  const window = mainWindow();
  if (window === undefined || window.webContents.isLoading()) {
    // The page is not there yet: a file waits for did-finish-load, a plain command is dropped.
    if (detail.path !== undefined) pendingArchive = detail.path;
    return;
  }
  void window.webContents.executeJavaScript(menuEventScript(detail));
}

function createWindow(): BrowserWindow {
  const userData = app.getPath('userData');
  const saved = readWindowState(userData);
  const options = mainWindowOptions(PRELOAD_PATH, nativeTheme.shouldUseDarkColors);
  const bounds = restorableBounds(
    saved,
    screen.getAllDisplays().map((display) => display.workArea),
    {
      width: options.minWidth ?? 0,
      height: options.minHeight ?? 0,
    },
  );
  const window = new BrowserWindow({ ...options, ...(bounds ?? {}) });
  const id = window.webContents.id;
  trustedWebContents.add(id);
  window.on('closed', () => trustedWebContents.delete(id));
  // Remembered on close: getNormalBounds is the size to come back to even when maximised.
  window.on('close', () => writeWindowState(userData, { bounds: window.getNormalBounds(), maximized: window.isMaximized() }));
  window.once('ready-to-show', () => {
    if (bounds !== null && saved?.maximized) window.maximize();
    window.show();
  });
  window.webContents.on('did-finish-load', () => {
    if (pendingArchive === null) return;
    const path = pendingArchive;
    pendingArchive = null;
    sendToPage({ command: 'open-project', path });
  });
  void window.loadURL(APP_ENTRY_URL);
  return window;
}

function focusOrCreateWindow(): void {
  const window = BrowserWindow.getAllWindows()[0];
  if (window === undefined) {
    createWindow();
    return;
  }
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

async function chooseProjectArchive(): Promise<void> {
  const window = mainWindow();
  const options = {
    title: sayIn(language, said('desktop.dialog.openProjectTitle')),
    properties: ['openFile' as const],
    filters: [{ name: sayIn(language, said('desktop.dialog.projectFiles')), extensions: ['capa'] }],
  };
  const result = window === undefined ? await dialog.showOpenDialog(options) : await dialog.showOpenDialog(window, options);
  const [path] = result.filePaths;
  if (!result.canceled && path !== undefined) sendToPage({ command: 'open-project', path });
}

function installMenu(): void {
  const template = menuTemplate({
    appName: app.name,
    isMac,
    isDev: !app.isPackaged,
    send: (command) => sendToPage({ command }),
    onOpenProject: () => void chooseProjectArchive(),
    onShowDataFolder: () => void shell.openPath(dataDir),
    language,
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

/** The OS's preferred languages: the renderer's navigator.languages follows Chromium's own locale, so this is what "System" means. */
function systemLanguages(): string[] {
  return [...app.getPreferredSystemLanguages(), app.getLocale()];
}

/** Follows the settings' language in what the shell draws itself (the menu is rebuilt). */
function followLanguage(settings: Settings): void {
  const next = resolveLanguage(settings.language, systemLanguages());
  if (next === language) return;
  language = next;
  installMenu();
}

/** What only the desktop can do, for core's settings area. */
const desktopHooks = {
  reveal: (path: string) => shell.showItemInFolder(path),
  chooseFolder: async (title: string): Promise<string | null> => {
    const window = mainWindow();
    const options = { title, properties: ['openDirectory' as const, 'createDirectory' as const] };
    const result = window === undefined ? await dialog.showOpenDialog(options) : await dialog.showOpenDialog(window, options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  },
  systemLanguages,
  dataFolderMoved: () => {
    // Give the page a moment to show the result, then start again on the new folder.
    setTimeout(() => {
      app.relaunch();
      app.quit();
    }, 1500);
  },
};

/** Dock / taskbar progress and the end-of-training notification, from the service's events. */
function followProgress(capa: CapaService): void {
  const progress = new TaskbarProgress();
  const show = (value: number) => mainWindow()?.setProgressBar(value);
  capa.onRunEvent((event) => {
    show(progress.run(event));
    const window = mainWindow();
    const hidden = window === undefined || !window.isVisible() || window.isMinimized();
    const note = runEndNotification(event, hidden, language);
    if (note !== null && Notification.isSupported()) {
      const notification = new Notification(note);
      notification.on('click', () => focusOrCreateWindow());
      notification.show();
    }
  });
  capa.onImportEvent((event) => show(progress.import(event)));
}

async function start(): Promise<void> {
  await app.whenReady();
  // Until the settings are read (and if they cannot be), the system's language.
  language = resolveLanguage('system', systemLanguages());
  const userData = app.getPath('userData');
  dataDir = defaultDataDir({ userData });
  let capa: CapaService;
  try {
    capa = createCapaService({
      dataDir,
      host: 'electron',
      // A closure keeps `this` bound to utilityProcess.
      spawnTrainer: () =>
        forkUtilityTrainer(
          (path, args, options) => utilityProcess.fork(path, args, options),
          TRAINER_PATH,
          process.env,
          (url) => openEngineWindow(BrowserWindow, url),
        ),
      // CAPA_DATA_DIR fixes the folder: then there is nothing to move and no file to keep it in.
      ...(dataDirFromEnv() === null ? { settingsFile: settingsFileIn(userData) } : {}),
      desktop: desktopHooks,
      // Packaged, the guide's sample pictures are an extra resource (electron-builder.yml); in development, assets/sample.
      ...(app.isPackaged ? { sampleDir: join(process.resourcesPath, SAMPLE_RESOURCE_FOLDER) } : {}),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    dialog.showErrorBox(
      sayIn(language, said('desktop.dialog.cannotStartTitle')),
      sayIn(language, said('desktop.dialog.cannotStartBody', { dataDir, detail: message })),
    );
    app.exit(1);
    return;
  }
  service = capa;
  app.setAboutPanelOptions({ applicationName: 'Capa', applicationVersion: app.getVersion() });
  // Windows shows notifications and groups taskbar entries by this id; it must match electron-builder.yml's appId.
  if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
  hardenSession();
  registerProtocols(capa);
  // Native widgets, the window background and prefers-color-scheme follow the chosen theme; the menu,
  // dialogs and notifications the shell draws follow the chosen language.
  const settings = await capa.call('getSettings', {});
  if (settings.ok) {
    nativeTheme.themeSource = (settings.value as Settings).theme;
    language = resolveLanguage((settings.value as Settings).language, systemLanguages());
  }
  const followingSettings = {
    call: async (name: Parameters<CapaService['call']>[0], request: unknown) => {
      const result = await capa.call(name, request);
      if (name === 'setSettings' && result.ok) {
        nativeTheme.themeSource = (result.value as Settings).theme;
        followLanguage(result.value as Settings);
      }
      return result;
    },
  };
  registerIpcHandlers(ipcMain, followingSettings, (event) => isTrustedSender(event, trustedWebContents));
  const broadcast = (channel: string, event: unknown) => {
    for (const window of BrowserWindow.getAllWindows()) {
      if (!window.isDestroyed()) window.webContents.send(channel, event);
    }
  };
  capa.onRunEvent((event) => broadcast(RUN_EVENT_CHANNEL, event));
  capa.onImportEvent((event) => broadcast(IMPORT_EVENT_CHANNEL, event));
  capa.onBackboneEvent((event) => broadcast(BACKBONE_EVENT_CHANNEL, event));
  followProgress(capa);
  installMenu();
  createWindow();
}

// A second launch (e.g. double-clicking a .capa file) brings the running window forward instead.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // The second launch's arguments arrive here: bring the window forward and open its .capa file.
  app.on('second-instance', (_event, argv, workingDirectory) => {
    focusOrCreateWindow();
    const path = projectArchiveFromArgv(argv, workingDirectory);
    if (path !== null) sendToPage({ command: 'open-project', path });
  });
  // macOS delivers double-clicked files this way, before or after 'ready'.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    if (service === null) pendingArchive = path;
    else sendToPage({ command: 'open-project', path });
  });
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
