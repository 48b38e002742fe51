// Accessibility of every screen, in the light and the dark theme, through the real UI in Chromium
// against the real browser host: axe-core (WCAG 2 A and AA rules, with contrast) runs on Projects,
// Data, Model (the designer and the simple plan), Train after a run, Evaluate, each Try tab, Export, Preferences, the guide and the keyboard
// help, and the test fails on any moderate, serious or critical violation, printing each with its nodes.
// Screenshots: a11y-<light|dark>-<screen>.png.
import { AxeBuilder } from '@axe-core/playwright';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeUi, openUi, screenshot, type Ui } from '../helpers/browser';
import { tempDir } from '../helpers/temp';

let ui: Ui;
let page: Page;

const SAMPLE_PICTURE = join(__dirname, '..', '..', 'assets', 'sample', 'circle', 'circle-2.png');

beforeAll(async () => {
  const userData = tempDir('capa-e2e-a11y-');
  ui = await openUi(join(userData, 'projects'), {
    hostArgs: ['--settings-file', join(userData, 'settings.json')],
    chromiumArgs: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
  });
  page = ui.page;
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(ui.host.url);
});

afterAll(() => closeUi(ui));

/** Moderate, serious and critical violations on the page as it is, one readable line per node. */
async function violations(): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((violation) => violation.impact !== 'minor')
    .flatMap((violation) =>
      violation.nodes.map(
        (node) =>
          `${violation.impact} ${violation.id} (${violation.help}): ${node.target.join(' ')} ${node.html.slice(0, 160)}\n    ${node.failureSummary?.replace(/\n/g, ' ') ?? ''}`,
      ),
    );
}

/** Checks the screen in both themes and fails listing every moderate, serious or critical violation. */
async function checkBothThemes(view: string): Promise<void> {
  const found: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(scheme);
    for (const line of await violations()) found.push(`[${view}, ${scheme}] ${line}`);
    await screenshot(page, `a11y-${scheme}-${view}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  if (found.length > 0) console.error(found.join('\n'));
  expect(found, found.join('\n')).toEqual([]);
}

const go = (screen: string) => page.getByTestId(`nav-${screen}`).click();

describe('axe-core finds no moderate, serious or critical violation', () => {
  it('Projects, with the first-run guide open, then empty', async () => {
    await expect.poll(() => page.getByTestId('guide-panel').isVisible(), { timeout: 15_000 }).toBe(true);
    await checkBothThemes('projects-guide');
    await page.getByTestId('guide-import').click();
    await expect.poll(() => page.getByTestId('class-card').count(), { timeout: 60_000 }).toBe(3);
    await page.getByTestId('guide-skip').click();
    await go('projects');
    await expect.poll(() => page.getByTestId('project-list').isVisible()).toBe(true);
    await checkBothThemes('projects');
  });

  it('the keyboard help overlay', async () => {
    await page.getByTestId('help-button').click();
    await expect.poll(() => page.getByTestId('help-overlay').isVisible()).toBe(true);
    await checkBothThemes('help');
    await page.keyboard.press('Escape');
  });

  it('Data', async () => {
    await page.getByTestId('project-open').first().click();
    await expect.poll(() => page.getByTestId('thumbnail').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await checkBothThemes('data');
  });

  it('Model', async () => {
    await go('model');
    await expect.poll(() => page.getByTestId('summary-table').isVisible(), { timeout: 30_000 }).toBe(true);
    await checkBothThemes('model');
    // The simple view a newcomer meets first (the tests open the designer, as after one Customise).
    await page.getByTestId('model-simple').click();
    await expect.poll(() => page.getByTestId('model-plan').isVisible()).toBe(true);
    await checkBothThemes('model-simple');
    await page.getByTestId('model-customise').click();
  });

  it('Train, after a run', async () => {
    await go('train');
    await page.getByTestId('train-button').click();
    await expect.poll(() => page.getByTestId('run-status').getAttribute('data-status'), { timeout: 180_000 }).toBe('completed');
    await checkBothThemes('train');
  });

  it('Evaluate, with an evaluation', async () => {
    await go('evaluate');
    await page.getByTestId('evaluate-button').click();
    await expect.poll(() => page.getByTestId('matrix-cell-0-0').isVisible(), { timeout: 60_000 }).toBe(true);
    await checkBothThemes('evaluate');
  });

  it('Try, each tab', async () => {
    await go('try');
    await page.getByTestId('try-file-input').setInputFiles(SAMPLE_PICTURE);
    await expect.poll(() => page.getByTestId('prediction-best').isVisible(), { timeout: 30_000 }).toBe(true);
    await checkBothThemes('try-picture');
    for (const tab of ['webcam', 'batch', 'suggest']) {
      await page.getByTestId(`try-tab-${tab}`).click();
      await checkBothThemes(`try-${tab}`);
    }
  });

  it('Export', async () => {
    await go('export');
    await page.getByTestId('export-button').click();
    await expect.poll(() => page.getByTestId('export-files').textContent(), { timeout: 60_000 }).toContain('model.json');
    await checkBothThemes('export');
  });

  it('Preferences', async () => {
    await go('preferences');
    await checkBothThemes('preferences');
  });
});
