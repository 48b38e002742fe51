// The runs' sentences in Spanish on the real screens, in Debian's Chromium against the real browser
// host: a tiny Small CNN trained from the Train screen with early stopping and a lowered learning
// rate, its log, status, backend and name in the runs table; the Evaluate screen's note on how a
// picture is explained; Try with a file that is not a picture. No English sentence of the
// catalogues is left on any of them. Screenshots go to test/.artifacts.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import { presetById } from '../../common/model/presets';
import { closeUi, openUi, screenshot, type Ui } from '../helpers/browser';
import { catalogueTextShown } from '../helpers/catalogue';
import { writeShapeDataset } from '../helpers/shapes';
import { tempDir } from '../helpers/temp';

let ui: Ui;
let page: Page;

/** The catalogues' English text visible on the Spanish screen. */
const englishLeft = () => catalogueTextShown(page, 'en');
const row = () => page.getByTestId('run-row').first();

beforeAll(async () => {
  process.env['CAPA_BACKEND'] = 'wasm';
  const userData = tempDir('capa-e2e-i18n-runs-');
  const dataDir = join(userData, 'projects');
  const shapes = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 20, size: 24, seed: 7 });
  const service = createCapaService({ dataDir, host: 'browser' });
  try {
    const project = await callOrThrow(service, 'createProject', { name: 'Formas' });
    await callOrThrow(service, 'setSplitShares', { projectId: project.id, train: 60, validation: 20, test: 20 });
    await callOrThrow(service, 'importPaths', { projectId: project.id, paths: [shapes] });
    // A learning rate this small cannot improve the loss by min_delta = 1: the learning rate is
    // lowered after each epoch and early stopping ends the run after epoch 3, each with a log line.
    // Without validation pictures both watch the training loss instead, and a warning says so.
    const spec = presetById('small-cnn')!.build(
      { width: 24, height: 24, channels: 3, resize: 'squash' },
      {
        epochs: 10,
        batch_size: 16,
        seed: 3,
        learning_rate: 1e-9,
        validation: 'none',
        early_stopping: { monitor: 'val_loss', patience: 2, min_delta: 1, restore_best_weights: true },
        reduce_lr_on_plateau: { monitor: 'val_loss', factor: 0.5, patience: 1, min_lr: 0 },
      },
    );
    await callOrThrow(service, 'saveSpec', { projectId: project.id, spec });
  } finally {
    await service.close();
  }
  ui = await openUi(dataDir, { settings: { theme: 'light', language: 'es', guide: 'skipped' } });
  page = ui.page;
}, 120_000);

afterAll(() => closeUi(ui));

describe("the runs' sentences in Spanish", () => {
  it('trains from the Train screen: log, status, backend and run name in Spanish', async () => {
    await page.goto(ui.host.url);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('es');
    await page.getByTestId('project-open').filter({ hasText: 'Formas' }).click();
    await page.getByTestId('nav-train').click();
    await page.getByTestId('train-button').click();
    await expect.poll(() => row().getAttribute('data-status'), { timeout: 90_000 }).toBe('completed');
    expect(await row().getByTestId('run-name').textContent()).toBe('Entrenamiento 1');

    const log = page.getByTestId('run-log');
    await log.evaluate((node) => ((node as HTMLDetailsElement).open = true));
    const lines = await log.locator('li').allTextContents();
    expect(lines).toContain('Parada temprana después de la época 3: val_loss no mejoró durante 2 épocas.');
    expect(lines).toContain('Sin progreso durante 1 época: la tasa de aprendizaje baja de 1e-9 a 5e-10.');
    expect(lines).toContain('Mejores pesos: época 1.');
    expect(await page.getByTestId('run-warnings').locator('li').allTextContents()).toEqual([
      'No hay ninguna imagen de validación, así que la parada temprana y la reducción de la tasa de aprendizaje vigilan la pérdida y la exactitud de entrenamiento.',
    ]);
    expect(lines.find((line) => line.startsWith('Evaluación final con '))).toMatch(/exactitud \d+,\d %, pérdida \d+,\d{4}\.$/);
    expect(lines.find((line) => line.startsWith('Imágenes de 24x24x3: '))).toBeDefined();
    // The backend's description, said in Spanish (WebAssembly with its threads).
    expect(await page.getByTestId('backend-name').textContent()).toMatch(/^WebAssembly \(XNNPACK.*\d+ hilos?\)$/);
    await log.scrollIntoViewIfNeeded();
    await screenshot(page, 'i18n-runs-1-train-log');
    expect(await englishLeft()).toEqual([]);
    await page.getByTestId('runs-table').scrollIntoViewIfNeeded();
    await screenshot(page, 'i18n-runs-2-runs-table');
    expect(await englishLeft()).toEqual([]);
  }, 120_000);

  it('shows how a picture is explained on the Evaluate screen in Spanish', async () => {
    await page.getByTestId('nav-evaluate').click();
    await page.getByTestId('evaluation-metrics').waitFor({ timeout: 30_000 });
    await page.getByTestId('explain-button').first().click();
    await page.getByTestId('explanation-map').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('explanation-method').textContent()).toMatch(
      /^Grad-CAM: dónde vio la última capa convolucional lo que más hizo subir esta clase\./,
    );
    await page.getByTestId('explanation-method').scrollIntoViewIfNeeded();
    await screenshot(page, 'i18n-runs-3-evaluate-note');
    expect(await englishLeft()).toEqual([]);
  }, 60_000);

  it('says in Spanish why a file is not a picture on the Try screen', async () => {
    await page.getByTestId('nav-try').click();
    await page.getByTestId('try-tab-picture').click();
    await page
      .getByTestId('try-file-input')
      .setInputFiles({ name: 'foto.png', mimeType: 'image/png', buffer: Buffer.from('esto no es una imagen') });
    await expect
      .poll(() => page.getByTestId('try-error').textContent(), { timeout: 20_000 })
      .toMatch(/ Elige una imagen JPEG, PNG, WebP, GIF, BMP o TIFF\.$/);
    await screenshot(page, 'i18n-runs-4-try-not-picture');
    expect(await englishLeft()).toEqual([]);
  }, 60_000);
});
