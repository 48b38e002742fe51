// The real browser host in its own process, and Debian's Chromium driven by playwright-core.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { StoredSettings } from '../../main/core/settings/settings';
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
  const child = spawn(
    process.execPath,
    [join(ROOT, 'out', 'main', 'server', 'main.js'), '--port', '0', '--data-dir', dataDir, ...extraArgs],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CAPA_NO_OPEN: '1' },
    },
  );
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
export async function openPage(browser: Browser, options: { simpleModel?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // The Model screen opens on its simple plan until the person presses Customise once; the tests of
  // the designer start as that person would, with it open, unless they ask for the simple view.
  // The key is renderer/src/lib/model-view.ts's.
  if (!options.simpleModel) await context.addInitScript({ content: "try { localStorage.setItem('capa.modelDesigner', 'open') } catch {}" });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`Page error: ${error.message}`));
  return page;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // The viewport, as a person sees it: full-page captures misplace sticky bars.
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** What pressing Tab round a screen (or a dialog) found. */
export interface TabWalk {
  /** The controls focus reached, in order, each described as `tag#testid "name"`. */
  order: string[];
  /** Visible, enabled controls focus never reached. */
  missed: string[];
  /** Controls that were focused without a visible focus indicator (outline or box-shadow). */
  unmarked: string[];
  /** Where focus stayed on one control however often Tab was pressed, if it did. */
  stuck: string | null;
  /** A control Tab went back to before coming round (focus jumped backwards), if it did. */
  jumpedBack: string | null;
  /** Focus that went outside `within` (a dialog that does not hold focus). */
  escaped: string[];
  /** The order Shift+Tab went through, from the last control back to the first. */
  backwards: string[];
  /** Focused elements the walk had not listed before it began: the screen changed while it walked. */
  unlisted: string[];
}

/** The controls a person must be able to reach with Tab. */
const INTERACTIVE = 'button, a[href], input, select, textarea, summary, [role="button"], [tabindex="0"]';

/**
 * The walk's page side, as source text because the helpers are compiled without the DOM's types (as
 * catalogue.ts does). `list` numbers every control in the scope once (so each step is named the same
 * however often it is met), returns those a person can see and use, and puts an unfocusable mark at
 * the scope's top for Tab to start after; `focused` names the focused control and says whether its
 * focus shows and whether it is in the scope.
 */
const PAGE_SIDE = `window.__capaTabWalk = {
  // Numbers an element once and names it; the number keeps two controls of the same name (each
  // row's "Rename") apart.
  name(el, note) {
    if (el.dataset.kb === undefined) {
      const next = Number(document.body.dataset.kbNext || '0');
      el.dataset.kb = String(next);
      document.body.dataset.kbNext = String(next + 1);
    }
    const testid = el.dataset.testid ? '#' + el.dataset.testid : '';
    const label = (el.getAttribute('aria-label') || el.textContent || '').replace(/\\s+/g, ' ').trim().slice(0, 40);
    el.dataset.kbName = el.tagName.toLowerCase() + testid + note + ' "' + label + '" ' + el.dataset.kb;
    return el.dataset.kbName;
  },
  list(selector, within) {
    const root = within ? document.querySelector(within) : document;
    const groups = new Set();
    const shown = [];
    document.querySelectorAll('[data-kb-listed]').forEach((el) => delete el.dataset.kbListed);
    for (const el of root.querySelectorAll(selector)) {
      this.name(el, '');
      el.dataset.kbListed = '';
      const rect = el.getBoundingClientRect();
      const enabled = !el.matches(':disabled') && el.getAttribute('tabindex') !== '-1' && !(el.tagName === 'INPUT' && el.type === 'hidden');
      const visible = rect.width > 0 && rect.height > 0 && el.checkVisibility({ visibilityProperty: true }) && !el.closest('[inert]');
      if (!enabled || !visible) continue;
      // A group of radio buttons is one stop: its checked button, or its first.
      if (el.tagName === 'INPUT' && el.type === 'radio' && el.name) {
        const checked = (el.form || document).querySelector('input[type="radio"][name="' + el.name + '"]:checked');
        if ((checked && checked !== el) || (!checked && groups.has(el.name))) continue;
        groups.add(el.name);
      }
      shown.push(el.dataset.kbName);
    }
    const start = document.createElement('span');
    start.tabIndex = -1;
    start.dataset.kbStart = '';
    (within ? document.querySelector(within) : document.body).prepend(start);
    start.focus();
    return shown;
  },
  focused(within) {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    // A hidden file input (sr-only) shows its focus on the label dressed as a button around it.
    const rect = el.getBoundingClientRect();
    const shown = rect.width <= 2 || rect.height <= 2 ? el.closest('label') || el.parentElement || el : el;
    const style = getComputedStyle(shown);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const marked = el.matches(':focus-visible') && (outline || style.boxShadow !== 'none');
    const inside = within ? !!el.closest(within) : true;
    // Something the screen showed only as focus moved (a field's help) is named on the spot.
    const listed = el.dataset.kbListed !== undefined;
    const name = listed ? el.dataset.kbName : this.name(el, ' (not a listed control)');
    return { name, marked, inside, listed };
  },
  back(name) {
    for (const el of document.querySelectorAll('[data-kb-name]')) if (el.dataset.kbName === name) el.focus();
  },
  done() {
    document.querySelectorAll('[data-kb-start]').forEach((mark) => mark.remove());
  },
};`;

/** The focused control as the page side describes it. */
interface Focused {
  name: string;
  marked: boolean;
  inside: boolean;
  listed: boolean;
}

/**
 * Presses Tab from the top of the page (or of the open dialog `within`) until focus comes back round
 * to where it began, recording each control it lands on and whether its focus is visible, then walks
 * back with Shift+Tab. Compare what it returns with what the screen shows: every visible enabled
 * control should be in `order`, with nothing `missed`, `unmarked`, `stuck` or `escaped`, and
 * `backwards` should be `order` reversed.
 */
export async function walkTabs(page: Page, options: { within?: string; limit?: number } = {}): Promise<TabWalk> {
  const within = JSON.stringify(options.within ?? null);
  await page.evaluate(PAGE_SIDE);
  const expected = (await page.evaluate(`window.__capaTabWalk.list(${JSON.stringify(INTERACTIVE)}, ${within})`)) as string[];
  const focused = async () => (await page.evaluate(`window.__capaTabWalk.focused(${within})`)) as Focused | null;

  const limit = options.limit ?? expected.length * 2 + 10;
  const order: string[] = [];
  const unmarked: string[] = [];
  const escaped: string[] = [];
  const unlisted: string[] = [];
  let stuck: string | null = null;
  let jumpedBack: string | null = null;
  let outside = 0;
  for (let step = 0; step < limit; step++) {
    await page.keyboard.press('Tab');
    const now = await focused();
    if (!now) {
      // Past the last control focus leaves the page for the browser's own UI; twice means it is gone.
      if (++outside > 2) break;
      continue;
    }
    outside = 0;
    if (!now.listed) unlisted.push(now.name);
    if (now.name === order[0]) break; // round again
    if (now.name === order[order.length - 1]) {
      stuck = now.name;
      break;
    }
    if (order.includes(now.name)) {
      jumpedBack = `${now.name} after ${order[order.length - 1]}`;
      break;
    }
    order.push(now.name);
    if (!now.marked) unmarked.push(now.name);
    if (!now.inside) escaped.push(now.name);
  }

  // Back from the last control to the first.
  const backwards: string[] = [];
  const last = order[order.length - 1];
  if (last !== undefined) {
    await page.evaluate(`window.__capaTabWalk.back(${JSON.stringify(last)})`);
    backwards.push(last);
  }
  for (let step = 1; step < order.length; step++) {
    await page.keyboard.press('Shift+Tab');
    const now = await focused();
    if (now && !now.listed) unlisted.push(now.name);
    backwards.push(now?.name ?? '(nothing)');
  }
  await page.evaluate('window.__capaTabWalk.done()');
  return { order, missed: expected.filter((name) => !order.includes(name)), unmarked, stuck, jumpedBack, escaped, backwards, unlisted };
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
  options: { settings?: Partial<StoredSettings>; hostArgs?: string[]; chromiumArgs?: string[]; simpleModel?: boolean } = {},
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
    return { host, browser, page: await openPage(browser, { simpleModel: options.simpleModel }), settingsFile };
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
