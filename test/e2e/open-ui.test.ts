// The end-to-end files' shared set-up (test/helpers/browser.ts): openUi starts the real browser
// host with the settings it is given, Chromium and a page; closeUi stops them and removes the
// temporary folders; a Chromium that cannot start leaves no host process behind.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeUi, openUi, type Ui } from '../helpers/browser';
import { tempDir } from '../helpers/temp';

let ui: Ui | undefined;

afterAll(() => closeUi(ui));

/** This process's children that run the browser host (Linux /proc). */
function hostChildren(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        // Field 4 of stat is the parent; the name in field 2 may hold spaces, so count after its ")".
        const parent = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').pop()!.trim().split(' ')[1]);
        return parent === process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('server/main.js');
      } catch {
        return false; // the process ended while it was read
      }
    })
    .map(Number);
}

describe('openUi and closeUi', () => {
  it('start the host with the settings written to a file, a page on it, and close both', async () => {
    ui = await openUi(tempDir(), { settings: { language: 'es', theme: 'dark', guide: 'skipped' } });
    const { host, page, settingsFile } = ui;
    expect(JSON.parse(readFileSync(settingsFile!, 'utf8'))).toEqual({ language: 'es', theme: 'dark', guide: 'skipped' });
    expect(page.viewportSize()).toEqual({ width: 1280, height: 900 });
    await page.goto(host.url);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('es');
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(hostChildren()).toEqual([host.process.pid]);

    await closeUi(ui);
    ui = undefined;
    expect(host.process.exitCode !== null || host.process.signalCode !== null).toBe(true);
    expect(hostChildren()).toEqual([]);
    expect(existsSync(dirname(settingsFile!))).toBe(false);
  });

  it('stop the host again when Chromium cannot start', async () => {
    const chromium = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = join(tempDir(), 'no-chromium-here');
    try {
      await expect(openUi(tempDir())).rejects.toThrow();
    } finally {
      if (chromium === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = chromium;
    }
    expect(hostChildren()).toEqual([]);
  });
});
