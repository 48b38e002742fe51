// English and Spanish through the real UI in Chromium against the real browser host: switch to
// Español in Preferences (every screen changes at once, no reload), the choice survives a reload,
// "System" follows the browser's languages, and no English text from the catalogue is left on the
// Projects, Data, Model and Preferences screens. Screenshots of each screen in both languages.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import { closeUi, openUi, screenshot, type Ui } from '../helpers/browser';
import { catalogueTextShown } from '../helpers/catalogue';
import { writeShapeDataset } from '../helpers/shapes';
import { tempDir } from '../helpers/temp';

let ui: Ui;
let page: Page;

/** The catalogue's English messages visible on the screen in Spanish. */
const englishLeft = () => catalogueTextShown(page, 'en');

beforeAll(async () => {
  const userData = tempDir('capa-e2e-i18n-');
  const dataDir = join(userData, 'projects');
  const service = createCapaService({ dataDir, host: 'browser' });
  const project = await callOrThrow(service, 'createProject', { name: 'Formas' });
  const shapes = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 12, size: 32, seed: 9 });
  await callOrThrow(service, 'importPaths', { projectId: project.id, paths: [shapes] });
  await service.close();
  ui = await openUi(dataDir, { hostArgs: ['--settings-file', join(userData, 'settings.json')] });
  page = ui.page;
});

afterAll(() => closeUi(ui));

const go = (screen: string) => page.getByTestId(`nav-${screen}`).click();
const heading = () => page.locator('main h1').first().textContent();

async function visitScreens(language: 'en' | 'es'): Promise<void> {
  const titles = language === 'es' ? ['Proyectos', 'Datos', 'Modelo', 'Preferencias'] : ['Projects', 'Data', 'Model', 'Preferences'];
  await go('projects');
  await expect.poll(heading).toBe(titles[0]);
  await screenshot(page, `i18n-${language}-1-projects`);
  await page.getByTestId('project-open').first().click();
  await go('data');
  await expect.poll(heading).toBe(titles[1]);
  await expect.poll(() => page.getByTestId('grid-total').textContent()).toBe('36');
  await screenshot(page, `i18n-${language}-2-data`);
  await go('model');
  await expect.poll(heading).toBe(titles[2]);
  await expect.poll(() => page.getByTestId('summary-table').isVisible()).toBe(true);
  await screenshot(page, `i18n-${language}-3-model`);
  await page.getByTestId('layer-list').scrollIntoViewIfNeeded();
  await screenshot(page, `i18n-${language}-4-model-layers`);
  await page.getByTestId('training-settings').scrollIntoViewIfNeeded();
  await screenshot(page, `i18n-${language}-5-model-training`);
  await go('preferences');
  await expect.poll(heading).toBe(titles[3]);
  await screenshot(page, `i18n-${language}-6-preferences`);
}

describe('languages', () => {
  it("starts in the browser's language (English here) with <html lang> set", async () => {
    await page.goto(ui.host.url);
    await expect.poll(heading).toBe('Projects');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await visitScreens('en');
  });

  it('switches every screen to Spanish from Preferences without a reload', async () => {
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    await page.getByTestId('language-select').selectOption('es');
    await expect.poll(heading).toBe('Preferencias');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('es');
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await visitScreens('es');
  });

  it('leaves no English catalogue text on the Projects, Data, Model and Preferences screens in Spanish', async () => {
    const left: Record<string, string[]> = {};
    await go('projects');
    await expect.poll(heading).toBe('Proyectos');
    left.projects = await englishLeft();
    await page.getByTestId('project-open').first().click();
    await go('data');
    await expect.poll(() => page.getByTestId('grid-total').textContent()).toBe('36');
    // Open the folded panels too, so their text is checked.
    for (const panel of await page.locator('main details').all())
      await panel.evaluate((node) => ((node as HTMLDetailsElement).open = true));
    left.data = await englishLeft();
    await go('model');
    await expect.poll(() => page.getByTestId('summary-table').isVisible()).toBe(true);
    left.model = await englishLeft();
    // A preset without a pretrained network shows the layer list and its explanations.
    await page.getByTestId('preset-small-cnn').check();
    await expect.poll(() => page.getByTestId('layer-row').count()).toBeGreaterThan(2);
    await page.getByTestId('layer-row').first().locator('input[type="number"]').first().focus();
    left.modelLayers = await englishLeft();
    expect(await page.getByTestId('layer-help').first().textContent()).toContain('Cuántos patrones');
    await screenshot(page, 'i18n-es-7-model-small-cnn');
    await go('preferences');
    left.preferences = await englishLeft();
    expect(left).toEqual({ projects: [], data: [], model: [], modelLayers: [], preferences: [] });
  });

  it('formats numbers for Spanish', async () => {
    await go('projects');
    await page.getByTestId('project-open').first().click();
    await go('model');
    await expect.poll(() => page.getByTestId('summary-total').textContent()).toMatch(/^Parámetros totales: [\d.]+$/);
    // Spanish groups thousands with a dot: the small CNN has well over 9,999 weights.
    expect(await page.getByTestId('summary-total').textContent()).toMatch(/\d\.\d{3}$/);
  });

  it('keeps the choice across a reload, and "System" follows the browser\'s languages', async () => {
    await page.reload();
    await expect.poll(heading).toBe('Proyectos');
    await go('preferences');
    await page.getByTestId('language-select').selectOption('system');
    await expect.poll(heading).toBe('Preferences');
    const spanishBrowser = await ui.browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'es-MX' });
    await spanishBrowser.goto(ui.host.url);
    await expect.poll(() => spanishBrowser.locator('main h1').first().textContent()).toBe('Proyectos');
    expect(await spanishBrowser.evaluate(() => document.documentElement.lang)).toBe('es');
    await spanishBrowser.close();
  });
});
