// The Train, Try and Export screens in Spanish and in English, through the real UI in Chromium
// against the real browser host: a tiny model trained from the Train screen (live charts, then
// Stop), the runs table and a comparison, each Try tab used for real (one picture, a fake camera,
// a folder, label suggestions) and an export written. On each screen no catalogue text of the
// other language may be left; screenshots of every screen in both languages.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import { closeUi, openUi, screenshot, type Ui } from '../helpers/browser';
import { catalogueTextShown, type CatalogueLanguage } from '../helpers/catalogue';
import { colourImage, trainColourProject, writeColourDataset } from '../helpers/colours';
import { tempDir } from '../helpers/temp';

let ui: Ui;
let page: Page;
/** A folder with a sub-folder per class, for the Many pictures tab. */
let check: string;
let picture: string;

/** Epochs of the run trained from the UI: far more than the test waits for, so it is stopped while live. */
const UI_EPOCHS = 300;

beforeAll(async () => {
  const userData = tempDir('capa-e2e-i18n-screens-');
  const dataDir = join(userData, 'projects');
  const service = createCapaService({ dataDir, host: 'browser' });
  try {
    const { project, run } = await trainColourProject(service, 'Colores', await writeColourDataset(join(tempDir(), 'colours'), 16), 4);
    await callOrThrow(service, 'saveSpec', {
      projectId: project.id,
      spec: { ...run.spec, training: { ...run.spec.training, epochs: UI_EPOCHS } },
    });
    // Unlabelled pictures for the suggestions tab.
    const loose = await Promise.all(
      (['red', 'blue', 'red'] as const).map(async (colour, i) => {
        const file = join(tempDir(), `${colour}-loose-${i}.png`);
        writeFileSync(file, await colourImage(colour, 80_000 + i));
        return file;
      }),
    );
    await callOrThrow(service, 'importPaths', { projectId: project.id, paths: loose });
  } finally {
    await service.close();
  }
  check = await writeColourDataset(join(tempDir(), 'check'), 4, 7);
  picture = join(check, 'red', 'red-1.png');
  ui = await openUi(dataDir, {
    hostArgs: ['--settings-file', join(userData, 'settings.json')],
    chromiumArgs: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
  });
  page = ui.page;
  await page.goto(ui.host.url);
}, 240_000);

afterAll(() => closeUi(ui));

const TITLES = {
  es: { train: 'Entrenar', try: 'Probar', export: 'Exportar' },
  en: { train: 'Train', try: 'Try', export: 'Export' },
} as const;
const heading = () => page.locator('main h1').first().textContent();

/** Screenshots the screen and returns the other language's catalogue text left on it. */
async function capture(language: CatalogueLanguage, name: string): Promise<string[]> {
  await screenshot(page, `i18n-${language}-${name}`);
  return catalogueTextShown(page, language === 'es' ? 'en' : 'es');
}

async function setLanguage(language: CatalogueLanguage): Promise<void> {
  await page.getByTestId('nav-preferences').click();
  await page.getByTestId('language-select').selectOption(language);
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language);
  await page.getByTestId('nav-projects').click();
  await page.getByTestId('project-open').filter({ hasText: 'Colores' }).click();
}

/** The runs table and a comparison of the two runs, on the Train screen. */
async function runsAndComparison(language: CatalogueLanguage, left: Record<string, string[]>): Promise<void> {
  await page.getByTestId('runs-table').scrollIntoViewIfNeeded();
  left['train-runs'] = await capture(language, 'train-2-runs');
  for (const box of await page.getByTestId('compare-check').all()) await box.check();
  await page.getByTestId('compare-button').click();
  const compare = page.getByTestId('run-compare');
  await expect.poll(() => compare.getByTestId('compare-loss-chart').locator('canvas').count()).toBeGreaterThan(0);
  await compare.getByTestId('same-settings').evaluate((node) => ((node as HTMLDetailsElement).open = true));
  // The two runs differ only in their epochs; the label is made of the catalogue's words.
  expect(await compare.getByTestId('setting-differs').locator('th').allTextContents()).toEqual([
    language === 'es' ? 'Entrenamiento › épocas' : 'Training › epochs',
  ]);
  left['train-compare'] = await capture(language, 'train-3-compare');
  await page.getByTestId('close-compare').click();
  for (const box of await page.getByTestId('compare-check').all()) await box.uncheck();
}

/** Every tab of the Try screen, used for real. */
async function tryTabs(language: keyof typeof TITLES, left: Record<string, string[]>): Promise<void> {
  await page.getByTestId('nav-try').click();
  await expect.poll(heading).toBe(TITLES[language].try);
  await page.getByTestId('try-tab-picture').click();
  await page.getByTestId('try-file-input').setInputFiles(picture);
  await expect.poll(() => page.getByTestId('prediction-best').textContent(), { timeout: 20_000 }).toMatch(/^(red|blue)$/);
  left['try-picture'] = await capture(language, 'try-1-picture');

  await page.getByTestId('try-tab-webcam').click();
  await expect.poll(() => page.getByTestId('live-rate').textContent(), { timeout: 30_000 }).toMatch(/^[1-9]\d*[.,]\d /);
  left['try-webcam'] = await capture(language, 'try-2-webcam');

  await page.getByTestId('try-tab-batch').click();
  await page.getByTestId('batch-folder-input').setInputFiles(check);
  await expect.poll(() => page.getByTestId('batch-accuracy').isVisible(), { timeout: 30_000 }).toBe(true);
  // A filter on, so the slider's label shows a percentage.
  await page.getByTestId('batch-filter-confidence').fill('80');
  left['try-batch'] = await capture(language, 'try-3-batch');
  await page.getByTestId('batch-filter-confidence').fill('100');

  await page.getByTestId('try-tab-suggest').click();
  await page.getByTestId('suggest-start').click();
  await expect.poll(() => page.getByTestId('suggest-item').count(), { timeout: 20_000 }).toBe(3);
  left['try-suggest'] = await capture(language, 'try-4-suggest');
}

/** The Export screen with a TensorFlow.js export written. */
async function exportScreen(language: keyof typeof TITLES, left: Record<string, string[]>): Promise<void> {
  await page.getByTestId('nav-export').click();
  await expect.poll(heading).toBe(TITLES[language].export);
  // Format titles the core writes in English come from the catalogue.
  expect(await page.getByTestId('export-format-bundle').textContent()).toContain(
    language === 'es' ? 'Paquete de entrenamiento' : 'Training bundle',
  );
  await page.getByTestId('export-format-tfjs').click();
  await page.getByTestId('export-quantization').selectOption('float16');
  left['export-formats'] = await capture(language, 'export-1-formats');
  await page.getByTestId('export-button').click();
  await expect.poll(() => page.getByTestId('export-result').isVisible(), { timeout: 60_000 }).toBe(true);
  await page.getByTestId('export-result').scrollIntoViewIfNeeded();
  left['export-result'] = await capture(language, 'export-2-result');
}

/** Every screen's entry, empty: what the assertion compares with. */
const nothingLeft = (left: Record<string, string[]>) => Object.fromEntries(Object.keys(left).map((screen) => [screen, []]));

describe('Train, Try and Export in both languages', () => {
  it('in Spanish: trains live from the Train screen, stops, compares, tries every tab and exports, with no English left', async () => {
    await setLanguage('es');
    await page.getByTestId('nav-train').click();
    await expect.poll(heading).toBe(TITLES.es.train);
    const left: Record<string, string[]> = {};
    left['train-empty'] = await capture('es', 'train-0-before');
    await page.getByTestId('train-button').click();
    await expect
      .poll(() => page.getByTestId('progress-epoch').textContent(), { timeout: 90_000 })
      .toMatch(new RegExp(`^Época ([3-9]|\\d{2,}) de ${UI_EPOCHS}$`));
    await expect.poll(() => page.getByTestId('loss-chart').locator('canvas').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('run-status').textContent()).toMatch(/^Entrenando: \d+ de 300 épocas hechas\./);
    left['train-live'] = await capture('es', 'train-1-live');
    await page.getByTestId('stop-button').click();
    await expect.poll(() => page.getByTestId('run-status').getAttribute('data-status'), { timeout: 60_000 }).toBe('stopped');
    expect(await page.getByTestId('run-status').textContent()).toMatch(
      /^Se detuvo tras \d+ de 300 épocas; se guardaron los mejores pesos\. [\d,]+\s% de exactitud/,
    );
    // Spanish formats: a decimal comma in the losses, the badge and the epochs column in words of the course.
    expect(await page.getByTestId('run-row').first().textContent()).toMatch(/Detenido.*\d,\d{3}.*\d+ de 300/s);
    await runsAndComparison('es', left);
    await tryTabs('es', left);
    await exportScreen('es', left);
    expect(await page.getByTestId('export-files').textContent()).toContain('model.json');
    expect(left).toEqual(nothingLeft(left));
  }, 400_000);

  it('in English: the same screens, with no Spanish left', async () => {
    await setLanguage('en');
    await page.getByTestId('nav-train').click();
    await expect.poll(heading).toBe(TITLES.en.train);
    const left: Record<string, string[]> = {};
    expect(await page.getByTestId('run-status').textContent()).toMatch(
      /^Stopped after \d+ of 300 epochs; the best weights were kept\. [\d.]+% accuracy/,
    );
    left['train-stopped'] = await capture('en', 'train-1-stopped');
    await runsAndComparison('en', left);
    await tryTabs('en', left);
    await exportScreen('en', left);
    expect(left).toEqual(nothingLeft(left));
  }, 400_000);
});
