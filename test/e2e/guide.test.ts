// The first-run guide end to end through the real UI in Chromium against the real browser host, in
// English and in Spanish: offered on a first start, the sample imported, the data looked at, the
// model's plan read, a small network trained (well: the guide says its accuracy), the evaluation
// seen, the Try screen shown, the model exported with its result in view, each panel beside its
// control, each step a screenshot
// (guide-<lang>-<n>-<step>.png); finishing or skipping is remembered after a reload. And the
// keyboard help overlay: "?" opens it, Tab stays inside, Escape closes it and focus comes back.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import en from '../../common/messages/en/screens.json';
import es from '../../common/messages/es/screens.json';
import { launchChromium, openPage, screenshot, startHost, type RunningHost } from '../helpers/browser';
import { removeTempDirs, tempDir } from '../helpers/temp';

const CATALOGUES = { en, es } as const;

let browser: Browser;
let host: RunningHost | undefined;
let page: Page;
let settingsFile: string;

beforeAll(async () => {
  browser = await launchChromium();
});
afterEach(async () => {
  await page?.close();
  await host?.stop();
  host = undefined;
});
afterAll(async () => {
  await browser?.close();
  removeTempDirs();
});

/** A first start: an empty data folder and a settings file holding only the language. */
async function firstStart(language: 'en' | 'es'): Promise<void> {
  const userData = tempDir('capa-e2e-guide-');
  settingsFile = join(userData, 'settings.json');
  mkdirSync(userData, { recursive: true });
  writeFileSync(settingsFile, JSON.stringify({ language, theme: 'light' }));
  host = await startHost(join(userData, 'projects'), ['--settings-file', settingsFile]);
  page = await openPage(browser, { simpleModel: true });
  await page.goto(host.url);
}

const panel = () => page.getByTestId('guide-panel');
const stepShown = () => panel().getAttribute('data-step');
/** The guide's panel lies beside the control its step is about, covering none of it. */
async function expectBeside(testid: string): Promise<void> {
  await expect
    .poll(async () => {
      const [a, b] = await Promise.all([panel().boundingBox(), page.getByTestId(testid).first().boundingBox()]);
      if (!a || !b) return 'missing';
      const apart = a.x >= b.x + b.width || b.x >= a.x + a.width || a.y >= b.y + b.height || b.y >= a.y + a.height;
      return apart ? 'beside' : 'covering';
    })
    .toBe('beside');
}
const savedGuide = () => (JSON.parse(readFileSync(settingsFile, 'utf8')) as { guide?: string }).guide;

describe.each(['en', 'es'] as const)('the first-run guide in %s', (language) => {
  const text = CATALOGUES[language].guide;

  it('walks through import, data, training, evaluation and export, then never starts again', async () => {
    await firstStart(language);
    await expect.poll(stepShown, { timeout: 15_000 }).toBe('import');
    expect(await panel().getByRole('heading').textContent()).toBe(text.steps.import.title);
    // The panel takes the focus, so a keyboard user reads it first.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('guide-title');
    await screenshot(page, `guide-${language}-1-import`);

    await page.getByTestId('guide-import').click();
    await expect.poll(stepShown, { timeout: 60_000 }).toBe('data');
    await expect.poll(() => page.getByTestId('class-card').count()).toBe(3);
    expect(await page.getByTestId('data-screen').isVisible()).toBe(true);
    await screenshot(page, `guide-${language}-2-data`);

    // The model's plan in words, the simple view a newcomer meets first.
    await page.getByTestId('guide-next').click();
    await expect.poll(stepShown).toBe('model');
    await expect.poll(() => page.getByTestId('model-plan').isVisible()).toBe(true);
    expect(await page.getByTestId('layer-list').count()).toBe(0);
    expect(await page.getByTestId('model-plan').textContent()).toContain('32×32');
    await expectBeside('model-plan');
    await screenshot(page, `guide-${language}-3-model`);

    // Back returns to the previous step's screen; Next comes back (the sample is not imported twice).
    await page.getByTestId('guide-next').click();
    await expect.poll(stepShown).toBe('train');
    await page.getByTestId('guide-back').click();
    await expect.poll(stepShown).toBe('model');
    await page.getByTestId('guide-next').click();
    await expect.poll(stepShown).toBe('train');
    await expect.poll(() => page.getByTestId('train-screen').isVisible()).toBe(true);
    await expectBeside('train-button');
    await screenshot(page, `guide-${language}-3-train`);

    // Doing the step moves the guide on: a finished run shows the Evaluate step, pointing at
    // Evaluate in the sidebar while the charts stay on screen.
    await page.getByTestId('train-button').click();
    await expect.poll(stepShown, { timeout: 180_000 }).toBe('evaluate');
    // The sample trains a model that clearly works, and the guide says so with its accuracy.
    const trained = (await page.getByTestId('guide-previous-done').textContent()) ?? '';
    expect(trained).toBe(text.steps.train.doneGood.replace('{{accuracy}}', trained.match(/\d[\d.,]*\s?%/)?.[0] ?? '?'));
    expect(await page.getByTestId('train-screen').isVisible()).toBe(true);
    await screenshot(page, `guide-${language}-4-trained`);
    await page.getByTestId('nav-evaluate').click();
    // The run ended with its final evaluation on the test pictures: the metrics are there to read.
    await page.getByTestId('evaluation-metrics').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('guide-previous-done').count()).toBe(0);
    await screenshot(page, `guide-${language}-5-evaluate`);
    await page.getByTestId('guide-next').click();
    await expect.poll(stepShown).toBe('try');
    await expect.poll(() => page.getByTestId('try-screen').isVisible()).toBe(true);
    await screenshot(page, `guide-${language}-6-try`);
    await page.getByTestId('guide-next').click();
    await expect.poll(() => page.getByTestId('export-screen').isVisible()).toBe(true);
    await expectBeside('export-button');
    await screenshot(page, `guide-${language}-6b-export`);

    await page.getByTestId('export-button').click();
    await expect.poll(() => page.getByTestId('guide-done').textContent(), { timeout: 60_000 }).toBe(text.steps.export.done);
    expect(await page.getByTestId('guide-next').textContent()).toBe(text.finish);
    // The export's result is brought into view.
    await expect
      .poll(() => page.getByTestId('export-result').evaluate((element) => element.getBoundingClientRect().top < window.innerHeight))
      .toBe(true);
    await screenshot(page, `guide-${language}-7-done`);
    await page.getByTestId('guide-next').click();
    await expect.poll(() => panel().count()).toBe(0);
    await expect.poll(savedGuide).toBe('finished');

    await page.reload();
    await expect.poll(() => page.getByTestId('projects-screen').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('project-list').textContent()).toContain(text.sampleName);
    expect(await panel().count()).toBe(0);
  });
});

describe('skipping the guide', () => {
  it('closes it at once, is remembered after a reload, and Take the tour brings it back', async () => {
    await firstStart('en');
    await expect.poll(stepShown, { timeout: 15_000 }).toBe('import');
    await page.getByTestId('guide-skip').click();
    await expect.poll(() => panel().count()).toBe(0);
    await expect.poll(savedGuide).toBe('skipped');
    await page.reload();
    await expect.poll(() => page.getByTestId('projects-empty').isVisible()).toBe(true);
    // Long enough for the settings and the projects to load, which is when the guide would start.
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    expect(await panel().count()).toBe(0);
    await screenshot(page, 'guide-skipped-projects');

    await page.getByTestId('tour-start').click();
    await expect.poll(stepShown).toBe('import');
    // Escape skips too.
    await page.keyboard.press('Escape');
    await expect.poll(() => panel().count()).toBe(0);
  });
});

describe('going your own way', () => {
  it('creating a project of your own closes the offer without counting as a skip', async () => {
    await firstStart('en');
    await expect.poll(stepShown, { timeout: 15_000 }).toBe('import');
    await page.getByTestId('project-name-input').fill('Birds');
    await page.getByTestId('create-project').click();
    await expect.poll(() => page.getByTestId('data-screen').isVisible()).toBe(true);
    await expect.poll(() => panel().count()).toBe(0);
    expect(savedGuide()).toBeUndefined();
  });
});

describe('the keyboard help overlay', () => {
  it('opens with ?, keeps the focus inside, closes with Escape and gives the focus back', async () => {
    await firstStart('es');
    await expect.poll(stepShown, { timeout: 15_000 }).toBe('import');
    await page.getByTestId('guide-skip').click();
    await page.getByTestId('tour-start').focus();
    await page.keyboard.press('?');
    await expect.poll(() => page.getByTestId('help-overlay').isVisible()).toBe(true);
    expect(await page.getByTestId('help-overlay').getByRole('heading', { level: 2 }).textContent()).toBe(es.help.title);
    expect(await page.getByTestId('help-overlay').textContent()).toContain(es.help.actions.moveToClass);
    // The browser host has no desktop menu, so its shortcuts are not listed.
    expect(await page.getByTestId('help-overlay').textContent()).not.toContain(es.help.groups.menu);
    await screenshot(page, 'help-overlay-es');
    const focused = () =>
      page.evaluate(() => (document.activeElement as HTMLElement | null)?.closest('[data-testid="help-overlay"]') !== null);
    expect(await focused()).toBe(true);
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Tab');
      expect(await focused()).toBe(true);
    }
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('help-overlay').count()).toBe(0);
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid)).toBe('tour-start');

    // The Help button opens it too; typing "?" in a field does not.
    await page.getByTestId('help-button').click();
    await expect.poll(() => page.getByTestId('help-overlay').isVisible()).toBe(true);
    await page.getByTestId('help-close').click();
    await page.getByTestId('project-name-input').fill('');
    await page.getByTestId('project-name-input').press('?');
    expect(await page.getByTestId('project-name-input').inputValue()).toBe('?');
    expect(await page.getByTestId('help-overlay').count()).toBe(0);
  });
});
