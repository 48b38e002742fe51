// The model's sentences in Spanish on the real screens (Chromium against the real browser host):
// the export dialog's format descriptions and why a format is greyed out, the pretrained networks'
// descriptions, the presets', a wrong value typed into a layer field and into a training field, and
// a network that cannot be built (next to the layer, and in the summary). Every sentence the main
// side made is said in Spanish, and no English sentence of either catalogue is left on the screen.
// Screenshots of each step.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunInfo } from '../../preload/contract';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import { presetById } from '../../common/model/presets';
import { writeTinyBackbone, TINY_SIZE } from '../helpers/backbone';
import { closeUi, openUi, screenshot, type Ui } from '../helpers/browser';
import { catalogueTextShown } from '../helpers/catalogue';
import { writeShapeDataset } from '../helpers/shapes';
import { tempDir } from '../helpers/temp';
import { trainProject } from '../helpers/train';

let ui: Ui;
let page: Page;
let transferRun: RunInfo;

/** English sentences of the screens' and the core's catalogues visible on the Spanish screen. */
const englishLeft = () => catalogueTextShown(page, 'en');
const layerRow = (type: string) => page.locator(`[data-testid="layer-row"][data-layer-type="${type}"]`).first();

beforeAll(async () => {
  // A transfer-learning run on a pretrained network imported from a folder: the formats other than
  // TensorFlow.js's cannot join the two yet, and train.py cannot rebuild it, so each is greyed out.
  const userData = tempDir('capa-e2e-i18n-model-');
  const dataDir = join(userData, 'projects');
  const shapes = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 12, size: 24, seed: 5 });
  const backbone = join(tempDir(), 'tiny-backbone');
  await writeTinyBackbone(backbone);
  const service = createCapaService({ dataDir, host: 'browser' });
  try {
    const project = await callOrThrow(service, 'createProject', { name: 'Formas' });
    await callOrThrow(service, 'importPaths', { projectId: project.id, paths: [shapes] });
    await callOrThrow(service, 'importBackbone', { path: backbone, id: 'my-backbone' });
    const transfer = presetById('transfer')!.build({ width: 1, height: 1, channels: 3, resize: 'crop' }, { epochs: 1, batch_size: 12 });
    // Named in Spanish: the default name of a first saved model ("Model 1") is another part's sentence.
    const spec = {
      ...transfer,
      input: { ...transfer.input, width: TINY_SIZE, height: TINY_SIZE },
      backbone: { id: 'my-backbone', trainable_blocks: 0 },
    };
    await callOrThrow(service, 'saveSpecAs', { projectId: project.id, name: 'Transferencia', spec });
    transferRun = await trainProject(service, project.id);
  } finally {
    await service.close();
  }
  ui = await openUi(dataDir, { hostArgs: ['--settings-file', join(userData, 'settings.json')] });
  page = ui.page;
}, 180_000);

afterAll(() => closeUi(ui));

describe("the model's sentences in Spanish", () => {
  it('switches to Español and opens the project', async () => {
    expect(transferRun.status).toBe('completed');
    await page.goto(ui.host.url);
    await page.getByTestId('nav-preferences').click();
    await page.getByTestId('language-select').selectOption('es');
    await expect.poll(() => page.locator('main h1').first().textContent()).toBe('Preferencias');
    await page.getByTestId('nav-projects').click();
    await page.getByTestId('project-open').filter({ hasText: 'Formas' }).click();
  });

  it('export: each format described, and the greyed-out ones say why, in Spanish', async () => {
    await page.getByTestId('nav-export').click();
    await page.getByTestId('export-run-select').selectOption(transferRun.id);
    await expect.poll(() => page.getByTestId('export-format-onnx').locator('input').isDisabled()).toBe(true);
    const tfjs = page.getByTestId('export-format-tfjs');
    expect(await tfjs.textContent()).toContain('Ejecuta el modelo en una página web o en Node.js.');
    expect(await page.getByTestId('export-format-bundle').textContent()).toContain('Paquete de entrenamiento');
    expect(await page.getByTestId('export-format-tflite-int8').textContent()).toContain('TensorFlow Lite, pesos int8');
    for (const format of ['tfjs', 'keras', 'h5', 'onnx', 'tflite', 'tflite-int8']) {
      expect(await page.getByTestId(`export-format-reason-${format}`).textContent()).toBe(
        'No disponible: la red preentrenada "my-backbone" se guarda aparte de las capas entrenadas, y Capa todavía no puede unir las dos en este formato. El paquete de entrenamiento reconstruye el modelo completo en Keras.',
      );
    }
    expect(await page.getByTestId('export-format-reason-bundle').textContent()).toBe(
      'No disponible: su train.py solo reconstruye las MobileNet de keras.applications, y "my-backbone" no es una de ellas.',
    );
    await screenshot(page, 'i18n-model-1-export');
    expect(await englishLeft()).toEqual([]);
  });

  it('model: the presets and the pretrained networks are described in Spanish', async () => {
    await page.getByTestId('nav-model').click();
    await expect.poll(() => page.getByTestId('backbone-card').textContent()).toContain('Importada desde ');
    const preset = async (id: string) =>
      (await page.getByTestId(`preset-${id}`).locator('xpath=..').textContent())!.replace(/\s+/g, ' ').trim();
    expect(await preset('small-cnn')).toBe(
      'CNN pequeña Dos bloques de convolución + pooling que aprenden bordes y formas, y luego una capa densa que decide. Un buen primer modelo.',
    );
    expect(await preset('transfer')).toMatch(/^Aprendizaje por transferencia \(recomendado\) Una red preentrenada con millones de fotos/);
    await page.getByTestId('backbone-select').selectOption('mobilenet-v2-0.5-224');
    await expect
      .poll(() => page.getByTestId('backbone-card').textContent())
      .toContain('Más estrecha (50 % de los filtros): más pequeña y rápida, un poco menos precisa.');
    // A graph network cannot be fine-tuned: the note names the one that can, by a name with no English word in it.
    expect(await page.getByTestId('fine-tune-note').textContent()).toContain('Para ajustarla, elige MobileNet V2 1.0 · 224 px · Keras.');
    await page.getByTestId('backbone-picker').scrollIntoViewIfNeeded();
    await screenshot(page, 'i18n-model-2-pretrained');
    expect(await englishLeft()).toEqual([]);
  });

  it('a wrong value in a layer field is explained next to it in Spanish', async () => {
    await page.getByTestId('preset-small-cnn').check();
    await expect.poll(() => page.getByTestId('layer-row').count()).toBe(6);
    await layerRow('Conv2D').locator('input[type="number"]').first().fill('0');
    await expect
      .poll(() => layerRow('Conv2D').getByTestId('field-issue').textContent())
      .toBe('Se esperaba un número entero positivo para "filters". Recibido: 0');
    expect(await page.getByTestId('save-model').isDisabled()).toBe(true);
    await layerRow('Conv2D').scrollIntoViewIfNeeded();
    await screenshot(page, 'i18n-model-3-layer-field');
    expect(await englishLeft()).toEqual([]);
    await layerRow('Conv2D').locator('input[type="number"]').first().fill('16');
    await expect.poll(() => layerRow('Conv2D').getByTestId('field-issue').count()).toBe(0);
  });

  it('a wrong value in a training field is explained next to it in Spanish', async () => {
    const settings = page.getByTestId('training-settings');
    await page.getByTestId('learning-rate-input').fill('20');
    await expect
      .poll(() => settings.getByTestId('field-issue').first().textContent())
      .toBe('Con una tasa de aprendizaje mayor que 10 el entrenamiento diverge.');
    await page.getByTestId('epochs-input').fill('0');
    await expect
      .poll(() => settings.getByTestId('field-issue').allTextContents())
      .toEqual([
        'Se esperaba un número entero positivo para "epochs". Recibido: 0',
        'Con una tasa de aprendizaje mayor que 10 el entrenamiento diverge.',
      ]);
    await settings.scrollIntoViewIfNeeded();
    await screenshot(page, 'i18n-model-4-training-field');
    expect(await englishLeft()).toEqual([]);
    await page.getByTestId('learning-rate-input').fill('0.001');
    await page.getByTestId('epochs-input').fill('10');
    await expect.poll(() => settings.getByTestId('field-issue').count()).toBe(0);
  });

  it('a network that cannot be built says why in Spanish', async () => {
    // Without Flatten, Dense receives the last pooling's image.
    await layerRow('Flatten')
      .getByRole('button', { name: /^Quitar la capa 5/ })
      .click();
    await expect.poll(() => page.getByTestId('layer-row').count()).toBe(5);
    await expect
      .poll(() => layerRow('Dense').getByTestId('field-issue').textContent())
      .toMatch(
        /^Dense necesita un vector plano, pero recibe una imagen de forma \(\d+, \d+, 32\); añade una capa Flatten o GlobalAveragePooling2D antes de ella\.$/,
      );
    expect(await page.getByTestId('save-model').isDisabled()).toBe(true);
    await layerRow('Dense').scrollIntoViewIfNeeded();
    await screenshot(page, 'i18n-model-5-impossible');
    expect(await englishLeft()).toEqual([]);
  });

  it('a network ending on an image says so in the summary, in Spanish', async () => {
    await layerRow('Dense')
      .getByRole('button', { name: /^Quitar la capa 5/ })
      .click();
    await expect.poll(() => page.getByTestId('layer-row').count()).toBe(4);
    const summary = page.getByRole('region', { name: 'Resumen del modelo' });
    await expect
      .poll(() => summary.getByRole('alert').allTextContents())
      .toEqual([
        'La capa de salida necesita un vector plano, pero la última capa da una imagen de forma (14, 14, 32); añade una capa Flatten o GlobalAveragePooling2D al final.',
      ]);
    await summary.scrollIntoViewIfNeeded();
    await screenshot(page, 'i18n-model-6-summary');
    expect(await englishLeft()).toEqual([]);
  });
});
