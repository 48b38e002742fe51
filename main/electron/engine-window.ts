// Capa's hidden window for the Chromium training engine (main/trainer/engines/chromium.ts): the
// trainer (a utilityProcess) asks main for it with an EngineWindowMessage, main opens the engine
// page from the trainer's 127.0.0.1 server in a window that is never shown (and never hidden
// with hide(), which throttles it), with background throttling off, and reports when it closes.
// `electron` is passed in, so this module never imports it at run time and a test can mock it.
import type { BrowserWindow, BrowserWindowConstructorOptions, CommandLine } from 'electron';
import { gpuSwitches, UNTHROTTLED_SWITCHES } from '../trainer/engines/chromium';

/** The engine window's options: never shown, unthrottled, sandboxed, no preload and no Node. */
export function engineWindowOptions(): BrowserWindowConstructorOptions {
  return {
    show: false,
    width: 320,
    height: 240,
    title: 'Capa training engine',
    skipTaskbar: true,
    webPreferences: {
      // A session of its own (in memory): the app's Content-Security-Policy and permission rules stay the main window's.
      partition: 'capa-engine',
      backgroundThrottling: false,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      spellcheck: false,
    },
  };
}

/** Chromium switches as Electron's appendSwitch takes them: "--name=value" → ["name", "value"]. */
export function switchPairs(switches: readonly string[]): [string, string | undefined][] {
  return switches.map((flag) => {
    const [name, ...value] = flag.replace(/^--/, '').split('=');
    return [name!, value.length > 0 ? value.join('=') : undefined];
  });
}

/** Sets the GPU switches (WebGPU behind a flag on Linux) and the unthrottled ones; call before app is ready. */
export function appendEngineSwitches(commandLine: Pick<CommandLine, 'appendSwitch'>, platform: NodeJS.Platform = process.platform): void {
  for (const [name, value] of switchPairs([...gpuSwitches(platform), ...UNTHROTTLED_SWITCHES])) {
    if (value === undefined) commandLine.appendSwitch(name);
    else commandLine.appendSwitch(name, value);
  }
}

/** An open engine window. */
export interface EngineWindow {
  close(): void;
  onClosed(listener: (reason: string) => void): void;
}

type WindowClass = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

/** Opens the engine page at `url` (http://127.0.0.1 only) in a new hidden window. */
export function openEngineWindow(Window: WindowClass, url: string): EngineWindow {
  const origin = new URL(url);
  if (origin.hostname !== '127.0.0.1' || origin.protocol !== 'http:')
    throw new Error(`The engine window opens only http://127.0.0.1 pages. Received: ${url}`);
  const window = new Window(engineWindowOptions());
  const listeners: ((reason: string) => void)[] = [];
  let reason = 'the engine window was closed';
  const contents = window.webContents;
  // The page stays on the trainer's server: no navigation elsewhere, no new windows.
  contents.on('will-navigate', (event, target) => {
    if (new URL(target).origin !== origin.origin) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('render-process-gone', (_event, details) => {
    reason = `the engine window's renderer ended (${details.reason})`;
    if (!window.isDestroyed()) window.destroy();
  });
  window.on('closed', () => listeners.forEach((listener) => listener(reason)));
  void window.loadURL(url);
  return {
    close: () => {
      if (!window.isDestroyed()) window.destroy();
    },
    onClosed: (listener) => void listeners.push(listener),
  };
}
