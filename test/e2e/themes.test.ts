// Every screen in both themes, through the real UI in Chromium against the real browser host:
// a screenshot of each (theme-<light|dark>-<screen>.png, to look at), and a check that the main
// text and panel background of each screen really change with the theme, so a colour hard-coded
// on a main surface (instead of a palette variable from renderer/src/app.css) fails here.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeUi, openUi, screenshot, type Ui } from '../helpers/browser';
import { writeShapeDataset } from '../helpers/shapes';
import { tempDir } from '../helpers/temp';

let ui: Ui;
let page: Page;
let shapes: string;

beforeAll(async () => {
  const userData = tempDir('capa-e2e-themes-');
  shapes = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 10, size: 32, seed: 11 });
  // An unusable file, so the import report lists a rejection.
  writeFileSync(join(shapes, 'circle', 'notes.txt'), 'not a picture');
  ui = await openUi(join(userData, 'projects'), { hostArgs: ['--settings-file', join(userData, 'settings.json')] });
  page = ui.page;
  await page.emulateMedia({ colorScheme: 'light' });
});

afterAll(() => closeUi(ui));

interface Colours {
  theme: string | undefined;
  text: string;
  panel: string;
  page: string;
}

/** The theme in force and the computed colours of the screen's text, its first panel and the page. */
const colours = (screen: string): Promise<Colours> =>
  page.evaluate((testid) => {
    const root = document.querySelector(`[data-testid="${testid}"]`);
    if (!root) throw new Error(`no ${testid} on the page`);
    const panel = root.querySelector('.panel') ?? root;
    return {
      theme: document.documentElement.dataset.theme,
      text: getComputedStyle(root).color,
      panel: getComputedStyle(panel).backgroundColor,
      page: getComputedStyle(document.body.parentElement!).backgroundColor,
    };
  }, `${screen}-screen`);

/** Scrolls the screen to its top with nothing focused, as a person arriving on it sees it. */
const toTop = (screen: string) =>
  page.getByTestId(`${screen}-screen`).evaluate((element) => {
    (document.activeElement as HTMLElement | null)?.blur();
    element.scrollIntoView({ block: 'start' });
  });

/**
 * Screenshots the screen in the light theme, then the dark one (the theme follows the system, as
 * by default), and compares their colours; `view` names a second view of the same screen.
 */
async function bothThemes(screen: string, view = screen): Promise<void> {
  await expect.poll(() => page.getByTestId(`${screen}-screen`).isVisible()).toBe(true);
  if (view === screen) await toTop(screen);
  const seen: Record<string, Colours> = {};
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(scheme);
    // Charts repaint on the next frame after the theme changes.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    seen[scheme] = await colours(screen);
    await screenshot(page, `theme-${scheme}-${view}`);
  }
  const { light, dark } = seen as { light: Colours; dark: Colours };
  expect(light.text, `${screen}: text colour`).not.toBe(dark.text);
  expect(light.panel, `${screen}: panel background`).not.toBe(dark.panel);
  expect(light.page, `${screen}: page background`).not.toBe(dark.page);
  // A panel with no colour of its own (transparent) would pass the check above for the wrong reason.
  for (const theme of [light, dark]) expect(theme.panel, `${screen}: panel background`).not.toBe('rgba(0, 0, 0, 0)');
  await page.emulateMedia({ colorScheme: 'light' });
}

const go = (screen: string) => page.getByTestId(`nav-${screen}`).click();

describe('every screen in the light and the dark theme', () => {
  it('Projects', async () => {
    await page.goto(ui.host.url);
    await page.getByTestId('project-name-input').fill('Shapes');
    await page.getByTestId('create-project').click();
    await expect.poll(() => page.getByTestId('current-project').textContent()).toContain('Shapes');
    await go('projects');
    await bothThemes('projects');
  });

  it('Data, with pictures and the import report', async () => {
    await go('data');
    await page.getByTestId('import-folder-input').setInputFiles(shapes);
    await expect.poll(() => page.getByTestId('class-card').count(), { timeout: 60_000 }).toBe(3);
    await expect.poll(() => page.getByTestId('import-rejected').textContent()).toContain('notes.txt');
    await expect
      .poll(() =>
        page
          .getByTestId('thumbnail')
          .first()
          .evaluate((img) => (img as HTMLImageElement).naturalWidth),
      )
      .toBeGreaterThan(0);
    await bothThemes('data');
    // A selection: the selection bar, selected and focused tiles.
    await page.getByTestId('thumbnail').nth(1).click();
    await page
      .getByTestId('thumbnail')
      .nth(3)
      .click({ modifiers: ['Shift'] });
    await page.getByTestId('thumbnail').nth(3).scrollIntoViewIfNeeded();
    await bothThemes('data', 'data-selected');
  });

  it('Model', async () => {
    await go('model');
    await page.getByTestId('preset-small-cnn').click();
    await page.getByTestId('input-width').fill('32');
    await page.getByTestId('input-height').fill('32');
    await page.getByTestId('epochs-input').fill('3');
    await page.getByTestId('batch-size-input').fill('16');
    await expect.poll(() => page.getByTestId('summary-table').textContent()).toContain('Conv2D');
    await bothThemes('model');
    await page.getByText('Show as Keras code').click();
    await expect.poll(() => page.getByTestId('keras-code').textContent()).toContain('Conv2D');
    await bothThemes('model', 'model-keras-code');
    await page.keyboard.press('Escape');
  });

  it('Train, after a short training', async () => {
    await page.getByTestId('save-and-train').click();
    await expect.poll(() => page.getByTestId('train-screen').isVisible()).toBe(true);
    await page.getByTestId('train-button').click();
    await expect.poll(() => page.getByTestId('run-status').getAttribute('data-status'), { timeout: 180_000 }).toBe('completed');
    await expect.poll(() => page.getByTestId('loss-chart').locator('canvas').count()).toBeGreaterThan(0);
    await bothThemes('train');
  });

  it('Try, with a prediction', async () => {
    await go('try');
    await page.getByTestId('try-file-input').setInputFiles(join(shapes, 'triangle', 'triangle-3.png'));
    await expect.poll(() => page.getByTestId('prediction-best').textContent(), { timeout: 30_000 }).toMatch(/circle|square|triangle/);
    await bothThemes('try');
  });

  it('Export', async () => {
    await go('export');
    await page.getByTestId('export-button').click();
    await expect.poll(() => page.getByTestId('export-files').textContent(), { timeout: 30_000 }).toContain('model.json');
    await bothThemes('export');
    await page.getByTestId('export-snippets').scrollIntoViewIfNeeded();
    await bothThemes('export', 'export-snippets');
  });

  it('Preferences', async () => {
    await go('preferences');
    await bothThemes('preferences');
  });
});
