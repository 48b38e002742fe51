// Where projects live when nobody says otherwise. One place, so that the Electron app, the
// browser host, the launcher and the CLI open the same projects on the same machine.
import { homedir } from 'node:os';
import { join } from 'node:path';

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

/** The folder that holds every project: CAPA_DATA_DIR, else `<userData>/projects`. */
export function defaultDataDir(context: DataDirContext = {}): string {
  const fromEnv = (context.env ?? process.env).CAPA_DATA_DIR;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return fromEnv;
  return join(context.userData ?? userDataDir(context), 'projects');
}
