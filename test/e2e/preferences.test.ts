// Preferences through the real UI in Chromium against the real browser host process: the theme
// (system, dark, light, kept in settings.json) and moving the data folder (refused for a foreign
// folder, then copied and verified into an empty one), with screenshots of both themes.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import { closeUi, openUi, screenshot, type Ui } from '../helpers/browser';
import { tempDir } from '../helpers/temp';
import { projectPaths } from '../../main/core/projects/project-paths';

let ui: Ui;
let page: Page;
let dataDir: string;
let settingsFile: string;
let archive: string;

beforeAll(async () => {
  const userData = tempDir('capa-e2e-prefs-');
  dataDir = join(userData, 'projects');
  settingsFile = join(userData, 'settings.json');
  // One project to move, made by the real service before the host opens the folder.
  // And a .capa archive of another, for File > Open Project.
  const service = createCapaService({ dataDir, host: 'browser' });
  await callOrThrow(service, 'createProject', { name: 'Birds' });
  const other = createCapaService({ dataDir: tempDir('capa-e2e-other-'), host: 'browser' });
  const fish = await callOrThrow(other, 'createProject', { name: 'Fish' });
  const exported = await callOrThrow(other, 'exportProject', { projectId: fish.id });
  archive = join(exported.directory, exported.files[0]!);
  await Promise.all([service.close(), other.close()]);
  ui = await openUi(dataDir, { hostArgs: ['--settings-file', settingsFile] });
  page = ui.page;
  await page.emulateMedia({ colorScheme: 'light' });
});

afterAll(() => closeUi(ui));

const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);

describe('Preferences', () => {
  it('opens from the sidebar without a project and shows where projects are kept', async () => {
    await page.goto(ui.host.url);
    await expect.poll(() => page.getByTestId('projects-screen').textContent()).toContain('Birds');
    await page.getByTestId('nav-preferences').click();
    await expect.poll(() => page.getByTestId('data-folder-path').textContent()).toBe(dataDir);
    expect(await page.getByTestId('theme-system').isChecked()).toBe(true);
    expect(await theme()).toBe('light');
    await screenshot(page, 'prefs-1-light');
  });

  it('follows the system to dark, then keeps an explicit choice across a reload', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(theme).toBe('dark');
    const darkBackground = await background();
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(theme).toBe('light');
    expect(await background()).not.toBe(darkBackground);

    await page.getByTestId('theme-dark').check();
    await expect.poll(theme).toBe('dark');
    await expect.poll(() => JSON.parse(readFileSync(settingsFile, 'utf8')).theme).toBe('dark');
    await page.reload();
    await expect.poll(theme).toBe('dark');
    await page.getByTestId('nav-preferences').click();
    expect(await page.getByTestId('theme-dark').isChecked()).toBe(true);
    await screenshot(page, 'prefs-2-dark');
    await page.getByTestId('nav-projects').click();
    await screenshot(page, 'prefs-3-dark-projects');
  });

  it('refuses a folder holding other files, then moves the projects into an empty one', async () => {
    await page.getByTestId('nav-preferences').click();
    const foreign = tempDir('capa-e2e-foreign-');
    writeFileSync(join(foreign, 'taxes.pdf'), 'mine');
    await page.getByTestId('data-folder-target').fill(foreign);
    await page.getByTestId('data-folder-move').click();
    await expect.poll(() => page.getByTestId('data-folder-error').textContent()).toContain('is not empty and is not a Capa data folder');
    await screenshot(page, 'prefs-4-move-refused');
    expect(readdirSync(foreign)).toEqual(['taxes.pdf']);

    const target = join(tempDir('capa-e2e-target-'), 'Capa');
    await page.getByTestId('data-folder-target').fill(target);
    await page.getByTestId('data-folder-move').click();
    await expect.poll(() => page.getByTestId('data-folder-moved').textContent()).toContain('Copied 1 project (');
    await screenshot(page, 'prefs-5-moved');
    const [project] = readdirSync(target);
    expect(existsSync(projectPaths(join(target, project!)).database)).toBe(true);
    expect(existsSync(projectPaths(join(dataDir, project!)).database)).toBe(true);
    expect(JSON.parse(readFileSync(settingsFile, 'utf8')).dataDirectory).toBe(target);
    await page.getByTestId('theme-light').check();
    await expect.poll(theme).toBe('light');
    await screenshot(page, 'prefs-6-moved-light');
  });
});

describe('menu commands (the DOM events main/electron/menu.ts dispatches)', () => {
  const menu = (detail: { command: string; path?: string }) =>
    page.evaluate((d) => window.dispatchEvent(new CustomEvent('capa-menu', { detail: d })), detail);

  it('goes to the projects screen and to Preferences, and shows help', async () => {
    await menu({ command: 'new-project' });
    await expect.poll(() => page.getByTestId('projects-screen').isVisible()).toBe(true);
    await menu({ command: 'preferences' });
    await expect.poll(() => page.getByTestId('preferences-screen').isVisible()).toBe(true);
    // Help > Capa Help (F1) opens the keyboard shortcuts overlay, as "?" does.
    await menu({ command: 'help' });
    await expect.poll(() => page.getByTestId('help-overlay').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('help-overlay').count()).toBe(0);
  });

  it('opens a .capa archive as a new project (File > Open Project, a double-clicked file)', async () => {
    await menu({ command: 'open-project', path: archive });
    await expect.poll(() => page.getByTestId('current-project').textContent(), { timeout: 30_000 }).toContain('Fish');
    await screenshot(page, 'prefs-7-opened-archive');
    await menu({ command: 'open-project', path: join(dataDir, 'missing.capa') });
    await expect.poll(() => page.locator('[data-testid="toast"][role="alert"]').count()).toBeGreaterThan(0);
  });
});
