// Errors the main side makes, on the real screens in Spanish (Chromium against the real browser
// host): a project renamed to nothing or to a too long name (refused requests), a saved model under
// a name that exists, a pretrained network imported from a folder without a model, the projects
// moved into a file or a relative path, and a data folder fixed by the command line. Each sentence
// reads in Spanish and no English sentence of either catalogue is left on the screen.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import { PRESETS } from '../../common/model/presets';
import { closeUi, openPage, openUi, screenshot, startHost, type Ui } from '../helpers/browser';
import { catalogueTextShown } from '../helpers/catalogue';
import { tempDir } from '../helpers/temp';

let ui: Ui;
let page: Page;
let userData: string;

beforeAll(async () => {
  userData = tempDir('capa-e2e-errors-');
  const dataDir = join(userData, 'projects');
  const service = createCapaService({ dataDir, host: 'browser' });
  const project = await callOrThrow(service, 'createProject', { name: 'Formas' });
  const spec = PRESETS.find((preset) => preset.id === 'small-cnn')!.build({ width: 32, height: 32, channels: 3, resize: 'squash' });
  await callOrThrow(service, 'saveSpecAs', { projectId: project.id, name: 'Ancho', spec });
  await service.close();
  // Spanish from the first frame; the first-run guide is not in the way.
  ui = await openUi(dataDir, { settings: { theme: 'system', language: 'es', guide: 'skipped' } });
  page = ui.page;
});

afterAll(() => closeUi(ui));

const go = (screen: string) => page.getByTestId(`nav-${screen}`).click();

describe('errors in Spanish on the screens', () => {
  it('a project renamed to nothing, or to more than 200 characters', async () => {
    await page.goto(ui.host.url);
    await expect.poll(() => page.locator('main h1').first().textContent()).toBe('Proyectos');
    const row = page.getByTestId('project-row').first();
    await row.getByTestId('project-rename').click();
    await row.getByTestId('project-rename-input').fill('   ');
    await row.getByTestId('project-rename-save').click();
    await expect.poll(() => row.getByRole('alert').textContent()).toBe('Un nombre no puede quedar vacío.');
    expect(await catalogueTextShown(page, 'en')).toEqual([]);
    await screenshot(page, 'i18n-errors-1-rename-empty');
    await row.getByTestId('project-rename-input').fill('x'.repeat(201));
    await row.getByTestId('project-rename-save').click();
    await expect.poll(() => row.getByRole('alert').textContent()).toBe('Un nombre puede tener como máximo 200 caracteres.');
    expect(await catalogueTextShown(page, 'en')).toEqual([]);
    await screenshot(page, 'i18n-errors-2-rename-long');
    await row.getByTestId('project-rename-input').fill('Formas');
    await row.getByTestId('project-rename-save').click();
    await expect.poll(() => row.getByTestId('project-open').textContent()).toBe('Formas');
  });

  it('a saved model under a name that exists, and a pretrained network from a folder without a model', async () => {
    await page.getByTestId('project-open').first().click();
    await go('model');
    await expect.poll(() => page.getByTestId('summary-table').isVisible()).toBe(true);
    await page.getByTestId('saved-model-name').fill('ancho');
    await page.getByTestId('save-model-as').click();
    await expect
      .poll(() => page.getByTestId('model-save-error').textContent())
      .toBe('Ya existe un modelo llamado «ancho»; elige otro nombre.');
    expect(await catalogueTextShown(page, 'en')).toEqual([]);
    await page.getByTestId('saved-models').scrollIntoViewIfNeeded();
    await screenshot(page, 'i18n-errors-3-model-name-taken');

    await page.getByTestId('preset-transfer').check();
    const importer = page.getByTestId('backbone-import');
    await importer.locator('summary').click();
    const empty = join(userData, 'carpeta-vacia');
    mkdirSync(empty);
    await importer.getByTestId('backbone-import-path').fill(empty);
    await importer.getByTestId('backbone-import-button').click();
    // The folder stands in for the chosen network (not on this computer), so the error is said on its card.
    await expect
      .poll(() => page.getByTestId('backbone-error').textContent())
      .toBe(`No hay ningún model.json en ${empty}. Elige la carpeta de un modelo de TensorFlow.js (model.json y sus archivos de pesos).`);
    expect(await catalogueTextShown(page, 'en')).toEqual([]);
    await page.getByTestId('backbone-error').scrollIntoViewIfNeeded();
    await screenshot(page, 'i18n-errors-4-backbone-folder');
  });

  it('the projects moved into a file, or to a path that is not full', async () => {
    await go('preferences');
    await expect.poll(() => page.locator('main h1').first().textContent()).toBe('Preferencias');
    const file = join(userData, 'notas.txt');
    writeFileSync(file, 'notas');
    await page.getByTestId('data-folder-target').fill(file);
    await page.getByTestId('data-folder-move').click();
    await expect
      .poll(() => page.getByTestId('data-folder-error').textContent())
      .toBe(`${file} es un archivo, no una carpeta. Elige una carpeta.`);
    expect(await catalogueTextShown(page, 'en')).toEqual([]);
    await page.getByTestId('data-folder-setting').scrollIntoViewIfNeeded();
    await screenshot(page, 'i18n-errors-5-move-to-file');
    await page.getByTestId('data-folder-target').fill('carpeta/relativa');
    await page.getByTestId('data-folder-move').click();
    await expect
      .poll(() => page.getByTestId('data-folder-error').textContent())
      .toBe('Elige la ruta completa de una carpeta (por ejemplo, /home/ada/Capa o D:\\Capa). Se recibió: carpeta/relativa');
    expect(await catalogueTextShown(page, 'en')).toEqual([]);
  });

  it('a data folder fixed by the command line says why, in the language chosen on the screen', async () => {
    const fixed = await startHost(join(tempDir('capa-e2e-fixed-'), 'projects'));
    const other = await openPage(ui.browser);
    try {
      await other.goto(fixed.url);
      // An empty data folder starts the first-run guide; it is not what this looks at.
      await other.getByTestId('guide-skip').click();
      await other.getByTestId('nav-preferences').click();
      await other.getByTestId('language-select').selectOption('es');
      await expect.poll(() => other.locator('main h1').first().textContent()).toBe('Preferencias');
      await expect
        .poll(() => other.getByTestId('data-folder-fixed').textContent())
        .toBe(
          'Este Capa se inició con su carpeta de datos indicada en la línea de comandos (--data-dir); para usar otra, inícialo con esa otra carpeta.',
        );
      expect(await catalogueTextShown(other, 'en')).toEqual([]);
      await other.getByTestId('data-folder-setting').scrollIntoViewIfNeeded();
      await screenshot(other, 'i18n-errors-6-folder-fixed');
    } finally {
      await other.close();
      await fixed.stop();
    }
  });
});
