// The Model screen a newcomer meets first, in Chromium against the real browser host: the plan in
// words (preset, input size and colour, layers, weights, training) with one Customise door to the
// full designer, which is remembered after a reload; a transfer model is called a pretrained
// network, never "1 layer"; in English and Spanish. Screenshots: model-simple-*.png.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import { presetById } from '../../common/model/presets';
import { closeUi, openUi, screenshot, type Ui } from '../helpers/browser';
import { writeShapeDataset } from '../helpers/shapes';
import { tempDir } from '../helpers/temp';

let ui: Ui;
let page: Page;

beforeAll(async () => {
  const dataDir = tempDir();
  const shapes = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 3, size: 24, seed: 4 });
  const service = createCapaService({ dataDir, host: 'browser' });
  try {
    const grey = await callOrThrow(service, 'createProject', { name: 'Grey' });
    await callOrThrow(service, 'importPaths', { projectId: grey.id, paths: [shapes] });
    await callOrThrow(service, 'saveSpec', {
      projectId: grey.id,
      spec: presetById('small-cnn')!.build({ width: 28, height: 28, channels: 1, resize: 'squash' }, { epochs: 12 }),
    });
    const transfer = await callOrThrow(service, 'createProject', { name: 'Transfer' });
    await callOrThrow(service, 'saveSpec', {
      projectId: transfer.id,
      spec: presetById('transfer')!.build({ width: 224, height: 224, channels: 3, resize: 'crop' }, {}),
    });
  } finally {
    await service.close();
  }
  ui = await openUi(dataDir, { hostArgs: ['--settings-file', join(tempDir(), 'settings.json')], simpleModel: true });
  page = ui.page;
}, 120_000);

afterAll(() => closeUi(ui));

async function openModel(project: string): Promise<void> {
  await page.getByTestId('nav-projects').click();
  await page.getByTestId('project-open').filter({ hasText: project }).click();
  await page.getByTestId('nav-model').click();
  await page.getByTestId('model-screen').waitFor();
}

describe('the Model screen for a newcomer', () => {
  it('opens on the plan in words, without the layer designer', async () => {
    await page.goto(ui.host.url);
    await openModel('Grey');
    const plan = page.getByTestId('model-plan');
    await plan.waitFor();
    const sentences = await plan.getByTestId('model-plan-sentence').allTextContents();
    expect(sentences.join(' ')).toContain('28×28 pixels, in shades of grey');
    expect(sentences.join(' ')).toMatch(/\d+ layers learn the classes/);
    expect(sentences.join(' ')).toContain('every picture 12 times');
    expect(await page.getByTestId('layer-list').count()).toBe(0);
    expect(await page.getByTestId('training-settings').count()).toBe(0);
    // The screen is short: no 3,800 px of settings before the person asks for them.
    expect(await page.getByTestId('model-screen').evaluate((element) => element.scrollHeight)).toBeLessThan(1400);
    await screenshot(page, 'model-simple-en');
  });

  it('Customise opens every layer and setting, remembered after a reload, and goes back', async () => {
    await page.getByTestId('model-customise').click();
    await page.getByTestId('layer-list').waitFor();
    expect(await page.getByTestId('model-plan').count()).toBe(0);
    await screenshot(page, 'model-simple-customised');
    await page.reload();
    await openModel('Grey');
    await page.getByTestId('layer-list').waitFor();
    await page.getByTestId('model-simple').click();
    await page.getByTestId('model-plan').waitFor();
    expect(await page.getByTestId('layer-list').count()).toBe(0);
  });

  it('calls a transfer model a pretrained network (plus the layers on top), never just "1 layer"', async () => {
    await openModel('Transfer');
    await expect.poll(() => page.getByTestId('nav-model').textContent()).toContain('Pretrained network');
    expect(await page.getByTestId('nav-model').textContent()).not.toMatch(/\d layers?/);
    await page.getByTestId('model-plan-sentence').first().waitFor();
    const sentences = (await page.getByTestId('model-plan-sentence').allTextContents()).join(' ');
    expect(sentences).toContain('The pretrained MobileNet V2');
    expect(sentences).toContain('224×224 pixels, in colour');
    await page.getByTestId('model-customise').click();
    await page.getByTestId('saved-models').waitFor();
    expect(await page.getByTestId('saved-model-select').textContent()).toContain('(pretrained network + 1 layer)');
    expect(await page.getByTestId('model-save-state').textContent()).toContain('All changes saved');
    await page.getByTestId('model-simple').click();
  });

  it('reads in Spanish', async () => {
    await page.getByTestId('nav-preferences').click();
    await page.getByTestId('language-select').selectOption('es');
    await openModel('Grey');
    await expect.poll(() => page.getByTestId('model-plan').getByRole('heading').textContent()).toBe('El plan');
    await page.getByTestId('model-plan-sentence').first().waitFor();
    const sentences = (await page.getByTestId('model-plan-sentence').allTextContents()).join(' ');
    expect(sentences).toContain('28×28 píxeles, en tonos de gris');
    expect(sentences).toContain('cada imagen 12 veces');
    expect(await page.getByTestId('model-customise').textContent()).toBe('Personalizar…');
    await screenshot(page, 'model-simple-es');
    await openModel('Transfer');
    await expect.poll(() => page.getByTestId('nav-model').textContent()).toContain('Red preentrenada');
  });
});
