// The model screen in Debian's Chromium against the real browser host: a preset, layer edits, an
// invalid setting caught next to its field, augmentation with its preview, Keras code, and named
// models; screenshots of the editor with a valid and with an invalid setting.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import { closeUi, openUi, screenshot, type Ui } from '../helpers/browser';
import { writeShapeDataset } from '../helpers/shapes';
import { tempDir } from '../helpers/temp';

let ui: Ui;
let page: Page;

beforeAll(async () => {
  const dataDir = tempDir();
  const shapes = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 4, size: 48, seed: 3 });
  // The project is made through the real service, so this test starts at the model screen.
  const service = createCapaService({ dataDir, host: 'browser' });
  const project = await callOrThrow(service, 'createProject', { name: 'Shapes' });
  await callOrThrow(service, 'importPaths', { projectId: project.id, paths: [shapes] });
  await service.close();
  ui = await openUi(dataDir);
  page = ui.page;
});

afterAll(() => closeUi(ui));

const layerTypes = () => page.getByTestId('layer-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-layer-type')));

describe('the model screen', () => {
  it('opens on the project', async () => {
    await page.goto(ui.host.url);
    await page.getByTestId('project-open').filter({ hasText: 'Shapes' }).click();
    await page.getByTestId('nav-model').click();
    await expect.poll(() => page.getByTestId('model-screen').isVisible()).toBe(true);
  });

  it('builds the Deeper CNN preset with a live summary, augmentation preview and Keras code', async () => {
    // A fresh project starts from Auto's plan, whose input is the pictures' own 48 px: the preset builds for it (three blocks, not four).
    await page.getByTestId('preset-deeper-cnn').check();
    await expect.poll(layerTypes).toContain('BatchNormalization');
    await expect.poll(() => page.getByTestId('summary-non-trainable').textContent()).toMatch(/Non-trainable params: [1-9]/);
    await page.getByTestId('flip-select').selectOption('horizontal');
    await page.getByTestId('augment-rotation').fill('0.1');
    await expect.poll(() => page.getByTestId('augmentation-preview').locator('canvas').count()).toBe(8);
    await page.getByTestId('save-model').click();
    await expect.poll(() => page.getByTestId('model-save-state').textContent()).toContain('Saved');
    await page.getByTestId('augmentation-settings').scrollIntoViewIfNeeded();
    await screenshot(page, 'model-1-augmentation');
    await page.getByTestId('layer-list').scrollIntoViewIfNeeded();
    await screenshot(page, 'model-2-valid');

    await page.getByTestId('show-keras-code').click();
    await expect
      .poll(() => page.getByTestId('keras-code').textContent())
      .toContain('layers.BatchNormalization(momentum=0.99, epsilon=0.001)');
    expect(await page.getByTestId('keras-code').textContent()).toContain('layers.RandomFlip("horizontal"');
    await screenshot(page, 'model-3-keras-code');
    await page.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => page.getByTestId('keras-code-dialog').count()).toBe(0);
  });

  it('shows an invalid setting next to its field, with the value and a fix, and refuses to save', async () => {
    await page.getByTestId('preset-small-cnn').check();
    await expect.poll(layerTypes).toEqual(['Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense']);
    await page.getByLabel('Layer 3 kernel size (height)').fill('40');
    // The focused parameter is explained in plain words under its layer.
    await expect
      .poll(() => page.getByTestId('layer-row').nth(2).getByTestId('layer-help').textContent())
      .toMatch(/kernel_size: Size of each filter in pixels/);
    const issue = page.getByTestId('layer-row').nth(2).getByTestId('field-issue');
    await expect
      .poll(() => issue.textContent())
      .toBe('Kernel 40x3 is larger than the 23x23 input of this layer; use padding "same" or a smaller kernel.');
    expect(await page.getByTestId('save-model').isDisabled()).toBe(true);
    await page.getByTestId('layer-list').scrollIntoViewIfNeeded();
    await screenshot(page, 'model-4-invalid');

    // Disabling the layer leaves it out, and the model is valid again.
    await page.getByLabel('Layer 3 (Conv2D) is used').uncheck();
    await expect.poll(() => page.getByTestId('layer-row').nth(2).getByTestId('field-issue').count()).toBe(0);
    expect(await page.getByTestId('save-model').isDisabled()).toBe(false);
  });

  it('duplicates, reorders with the keyboard and removes layers', async () => {
    await page.getByLabel('Layer 3 (Conv2D) is used').check();
    await page.getByLabel('Layer 3 kernel size (height)').fill('3');
    await page.getByRole('button', { name: 'Duplicate layer 6 (Dense)' }).click();
    await expect.poll(layerTypes).toEqual(['Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense', 'Dense']);
    await page.getByTestId('new-layer-type').selectOption('Dropout');
    await page.getByTestId('add-layer').click();
    await page.getByRole('button', { name: /Move layer 8 \(Dropout\)/ }).press('Alt+ArrowUp');
    await expect.poll(layerTypes).toEqual(['Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense', 'Dropout', 'Dense']);
    await page.getByRole('button', { name: 'Remove layer 8 (Dense)' }).click();
    await expect.poll(layerTypes).toEqual(['Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense', 'Dropout']);
  });

  it('saves the design under a name and switches between saved models', async () => {
    await page.getByTestId('saved-model-name').fill('Small with dropout');
    await page.getByTestId('save-model-as').click();
    await expect
      .poll(() => page.getByTestId('saved-model-select').locator('option').allTextContents())
      .toEqual(['Model 1 (15 layers)', 'Small with dropout (7 layers)']);
    await page.getByTestId('saved-model-select').selectOption({ label: 'Model 1 (15 layers)' });
    await expect.poll(layerTypes).toContain('BatchNormalization');
    await page.getByTestId('saved-model-name').fill('Deeper');
    await page.getByTestId('rename-model').click();
    await page.getByTestId('delete-model-select').selectOption({ label: 'Small with dropout' });
    await page.getByTestId('saved-models').scrollIntoViewIfNeeded();
    await screenshot(page, 'model-5-saved-models');
    await page.getByTestId('delete-model').click();
    await expect.poll(() => page.getByTestId('saved-model-select').locator('option').allTextContents()).toEqual(['Deeper (15 layers)']);
  });

  it("shows the training settings, with momentum for SGD and the callbacks' own fields", async () => {
    await page.getByTestId('optimizer-select').selectOption('sgd');
    await page.getByTestId('momentum-input').fill('0.9');
    await page.getByTestId('early-stopping').getByRole('checkbox').first().check();
    await page.getByTestId('reduce-lr').getByRole('checkbox').first().check();
    await page.getByTestId('class-weight-select').selectOption('balanced');
    await expect.poll(() => page.getByTestId('model-save-state').textContent()).toContain('Unsaved changes');
    await page.getByTestId('save-model').click();
    await expect.poll(() => page.getByTestId('model-save-state').textContent()).toContain('Saved');
    await page.getByTestId('training-settings').scrollIntoViewIfNeeded();
    await screenshot(page, 'model-6-training');
    await page.getByTestId('input-settings').scrollIntoViewIfNeeded();
    await screenshot(page, 'model-7-input');
  });
});
