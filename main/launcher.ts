// What `npm start` does: run the Electron app when its binary is installed, otherwise serve the
// same renderer to the user's browser through the browser host, and say so in one line.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { dataDirFromEnv, defaultDataDir, userDataDir } from './core/settings/data-dir';
import { settingsFileIn } from './core/settings/settings';
import { findElectronBinary } from './electron-binary';
import type { ElectronBinary } from './electron-binary';

/** Port of the browser host when PORT is not set. */
export const DEFAULT_PORT = 5817;

/** Everything the launcher touches, injectable for tests. */
export interface LauncherDeps {
  /** Looks for the Electron binary. */
  findElectron(): ElectronBinary;
  /** Starts Electron on the app folder; resolves with its exit code. */
  runElectron(binary: string, args: string[], env: NodeJS.ProcessEnv): Promise<number>;
  /** Starts the browser host (main/server/host.ts). */
  startBrowserHost(options: { dataDir: string; port: number; settingsFile?: string }): Promise<{ url: string }>;
  /** Opens a URL in the user's browser; failures are ignored (the printed URL is enough). */
  openBrowser(url: string): void;
  /** Prints one line for the user. */
  log(line: string): void;
  env: NodeJS.ProcessEnv;
  /** Arguments after `node out/main/launch.js`, passed on to Electron. */
  args: string[];
}

/** How the launcher ended up running Capa. */
export type LaunchOutcome = { kind: 'electron'; exitCode: number } | { kind: 'browser'; url: string };

/** The port the browser host listens on: PORT when it is a valid port number, else 5817. */
export function browserPort(env: NodeJS.ProcessEnv): number {
  const port = Number(env.PORT);
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : DEFAULT_PORT;
}

/** The line printed when Electron cannot run here. */
export function fallbackMessage(url: string): string {
  return `Electron is not installed on this machine (its binary download was skipped); serving Capa to your browser at ${url} instead.`;
}

/** Runs Electron when it is installed, else the browser host. */
export async function launch(deps: LauncherDeps): Promise<LaunchOutcome> {
  const electron = deps.findElectron();
  if (electron.ok) {
    return { kind: 'electron', exitCode: await deps.runElectron(electron.path, deps.args, deps.env) };
  }
  const dataDir = defaultDataDir({ env: deps.env });
  // CAPA_DATA_DIR fixes the folder; otherwise preferences (and a moved folder) live next to the default one.
  const settings = dataDirFromEnv(deps.env) === null ? { settingsFile: settingsFileIn(userDataDir({ env: deps.env })) } : {};
  const host = await deps.startBrowserHost({ dataDir, port: browserPort(deps.env), ...settings });
  deps.log(fallbackMessage(host.url));
  // CAPA_NO_OPEN=1 for headless machines and tests, where no browser should pop up.
  if (deps.env.CAPA_NO_OPEN !== '1') deps.openBrowser(host.url);
  return { kind: 'browser', url: host.url };
}

/** The app folder (where package.json is): out/main/launcher.js lives two levels below it. */
const APP_DIR = join(__dirname, '..', '..');

function runElectron(binary: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  // Set by some tools, it would make Electron behave as plain Node and ignore the app.
  const childEnv = { ...env };
  delete childEnv.ELECTRON_RUN_AS_NODE;
  const child = spawn(binary, [APP_DIR, ...args], { stdio: 'inherit', env: childEnv, windowsHide: false });
  // Ctrl+C in the terminal reaches Electron too; forward termination so it can close cleanly.
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal === null ? 0 : 1)));
  });
}

/** The command that opens a URL with the desktop's default browser, per OS. */
export function openCommand(url: string, platform: NodeJS.Platform): { command: string; args: string[] } {
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""', url] };
  if (platform === 'darwin') return { command: 'open', args: [url] };
  return { command: 'xdg-open', args: [url] };
}

function openBrowser(url: string): void {
  const { command, args } = openCommand(url, process.platform);
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  // No opener (a server without a desktop) is fine: the URL has been printed.
  child.on('error', () => {});
  child.unref();
}

/** The real dependencies: this process's env and arguments, the real binary, the real host. */
export function processDeps(): LauncherDeps {
  return {
    findElectron: () => findElectronBinary(),
    runElectron,
    startBrowserHost: async (options) => {
      // Loaded only on this path: the host pulls in the whole core, which Electron's path never needs here.
      const { startBrowserHost } = await import('./server/host.js');
      const host = await startBrowserHost(options);
      // Ctrl+C closes the service first, so running runs are marked interrupted and databases closed.
      const stop = () => void host.close().finally(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return host;
    },
    openBrowser,
    log: (line) => console.log(line),
    env: process.env,
    args: process.argv.slice(2),
  };
}
