// The main window's options, apart from main.ts so a test can check the security switches.
import type { BrowserWindowConstructorOptions } from 'electron';

/** Windows' application id (notifications, taskbar grouping); electron-builder.yml's appId. */
export const APP_USER_MODEL_ID = 'app.capa.studio';

/** The window's background before the page paints, per theme, so opening never flashes the other colour. */
export const WINDOW_BACKGROUND = { light: '#f8fafc', dark: '#0f172a' } as const;

/** Options of the main window; the renderer gets no Node and talks only through the preload. */
export function mainWindowOptions(preloadPath: string, dark = false): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Capa',
    // Shown on 'ready-to-show' so the user never sees an empty white frame.
    show: false,
    backgroundColor: dark ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}
