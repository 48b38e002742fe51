// The real browser host in its own process, and Debian's Chromium driven by playwright-core.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { StoredSettings } from '../../main/core/settings';
import { removeTempDirs, tempDir } from './temp';

const ROOT = join(__dirname, '..', '..');

/** Where end-to-end screenshots go (ignored by git); look at them after a run. */
export const SCREENSHOTS = join(ROOT, 'test', '.artifacts', 'screenshots');

export interface RunningHost {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `node out/main/server/main.js` (built by `npm test`) on a free port and waits for its address. */
export async function startHost(dataDir: string, extraArgs: string[] = []): Promise<RunningHost> {
  const child = spawn(process.execPath, [join(ROOT, 'out', 'main', 'server', 'main.js'), '--port', '0', '--data-dir', dataDir, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CAPA_NO_OPEN: '1' },
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The browser host did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`The browser host exited with ${code}:\n${output}`)));
  });
  return {
    url,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Launches Chromium; `extraArgs` adds switches, e.g. a fake camera for webcam tests. */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
  });
}

/**
 * A page at the size screenshots are taken at (1280x900) that reports page errors on the console,
 * in a context of its own made explicitly: axe-core's Playwright runner cannot use the hidden one
 * of browser.newPage.
 */
export async function openPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`Page error: ${error.message}`));
  return page;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // The viewport, as a person sees it: full-page captures misplace sticky bars.
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** The browser host, Chromium and a page on it: what an end-to-end file opens before its tests. */
export interface Ui {
  /** The browser host in its own process. */
  host: RunningHost;
  /** Chromium, closed by closeUi. */
  browser: Browser;
  /** A 1280x900 page of its own context (openPage), not yet at the host's address. */
  page: Page;
  /** The settings.json given to the host, when openUi was given settings to write. */
  settingsFile?: string;
}

/**
 * Starts the host on `dataDir`, Chromium and a page. `settings` are written to a settings.json in a
 * new temporary folder and passed as --settings-file; `hostArgs` and `chromiumArgs` add switches.
 * The host is stopped again when Chromium or the page fails, so a failed start leaves no process.
 */
export async function openUi(
  dataDir: string,
  options: { settings?: Partial<StoredSettings>; hostArgs?: string[]; chromiumArgs?: string[] } = {},
): Promise<Ui> {
  const hostArgs = [...(options.hostArgs ?? [])];
  let settingsFile: string | undefined;
  if (options.settings !== undefined) {
    settingsFile = join(tempDir('capa-e2e-settings-'), 'settings.json');
    writeFileSync(settingsFile, JSON.stringify(options.settings));
    hostArgs.push('--settings-file', settingsFile);
  }
  const host = await startHost(dataDir, hostArgs);
  let browser: Browser | undefined;
  try {
    browser = await launchChromium(options.chromiumArgs);
    return { host, browser, page: await openPage(browser), settingsFile };
  } catch (error) {
    await browser?.close();
    await host.stop();
    throw error;
  }
}

/** Closes what openUi opened (either part may be missing after a failed start) and removes the temporary folders. */
export async function closeUi(ui: Partial<Ui> | undefined): Promise<void> {
  await ui?.browser?.close();
  await ui?.host?.stop();
  removeTempDirs();
}
