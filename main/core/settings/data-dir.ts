// Where projects live when nobody says otherwise. One place, so that the Electron app, the
// browser host, the launcher and the CLI open the same projects on the same machine.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readSettings, settingsFileIn } from './settings';

/** The product name Electron uses for its userData folder (package.json "productName"). */
export const PRODUCT_NAME = 'Capa';

/** What the data folder depends on; defaults are the running process's. */
export interface DataDirContext {
  /** Environment; CAPA_DATA_DIR wins when set and not blank. */
  env?: NodeJS.ProcessEnv;
  /** Operating system, as `process.platform` names it. */
  platform?: NodeJS.Platform;
  /** The user's home folder. */
  home?: string;
  /** Electron's `app.getPath('userData')` when running inside Electron (it knows best). */
  userData?: string;
}

/** The per-user folder Electron would pick as userData for Capa, computed without Electron. */
export function userDataDir(context: DataDirContext = {}): string {
  const env = context.env ?? process.env;
  const platform = context.platform ?? process.platform;
  const home = context.home ?? homedir();
  // Mirrors Electron's appData: %APPDATA% on Windows, Application Support on macOS, XDG elsewhere.
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), PRODUCT_NAME);
}

/** CAPA_DATA_DIR when it is set and not blank: it fixes the data folder for this process. */
export function dataDirFromEnv(env: NodeJS.ProcessEnv = process.env): string | null {
  const fromEnv = env.CAPA_DATA_DIR;
  return fromEnv !== undefined && fromEnv.trim() !== '' ? fromEnv : null;
}

/** The folder that holds every project: CAPA_DATA_DIR, else where Preferences moved it, else `<userData>/projects`. */
export function defaultDataDir(context: DataDirContext = {}): string {
  const fromEnv = dataDirFromEnv(context.env ?? process.env);
  if (fromEnv !== null) return fromEnv;
  const userData = context.userData ?? userDataDir(context);
  return readSettings(settingsFileIn(userData)).dataDirectory ?? join(userData, 'projects');
}
