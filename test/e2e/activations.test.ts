// Looking inside the network through the real UI in Chromium against the real browser host, on a
// project trained on red and blue pictures: the model diagram with hover and keyboard focus, the
// feature maps of the trained model for a picture, a "Learn more" panel, the live filters and
// captions while a run trains, and the same screens in Spanish and in the dark theme.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCapaService } from '../../main/core/service/service';
import { trainColourProject, writeColourDataset } from '../helpers/colours';
import { closeUi, openUi, screenshot, type Ui } from '../helpers/browser';
import { tempDir } from '../helpers/temp';

let ui: Ui;
let page: Page;
let root: string;

beforeAll(async () => {
  const dataDir = tempDir();
  const service = createCapaService({ dataDir, host: 'browser' });
  try {
    root = await writeColourDataset(join(tempDir(), 'colours'), 16);
    await trainColourProject(service, 'Colours', root, 3);
  } finally {
    await service.close();
  }
  ui = await openUi(dataDir);
  page = ui.page;
  await page.goto(ui.host.url);
  await page.getByTestId('project-open').filter({ hasText: 'Colours' }).click();
  await page.getByTestId('nav-model').click();
}, 240_000);

afterAll(() => closeUi(ui));

const details = () => page.getByTestId('diagram-details').textContent();

describe('looking inside the network', () => {
  it('1. draws the model as blocks sized by their output, with details on hover and on keyboard focus', async () => {
    const diagram = page.getByTestId('network-diagram');
    await expect.poll(() => diagram.isVisible()).toBe(true);
    const blocks = diagram.getByTestId('diagram-block');
    const rows = await page.getByTestId('summary-table').locator('tbody tr').count();
    expect(await blocks.count()).toBe(rows + 1); // the input, then one block per summary row
    expect(await diagram.getByTestId('diagram-classes').locator('li').allTextContents()).toEqual(['blue', 'red']);
    // A 16x16x3 input is taller than the Dense output, which is wider than the input is.
    const input = (await blocks.first().boundingBox())!;
    const output = (await blocks.last().boundingBox())!;
    expect(input.height).toBeGreaterThan(output.height);
    await blocks.nth(1).hover();
    await expect.poll(details).toContain('conv2d');
    expect(await page.getByTestId('diagram-code').textContent()).toMatch(/^layers\.Conv2D\(/);
    await diagram.scrollIntoViewIfNeeded();
    await screenshot(page, 'inside-1-diagram-hover');
    await blocks.last().focus();
    await expect.poll(details).toContain('Parameters (weights W and biases b)');
    expect(await page.getByTestId('diagram-code').textContent()).toBe('layers.Dense(NUM_CLASSES, activation="softmax")');
    await page.keyboard.press('Shift+Tab');
    await expect.poll(details).not.toContain('dense_');
  });

  it('2. shows the feature maps and activations of the trained model for a project picture', async () => {
    const panel = page.getByTestId('inside-panel');
    await page.getByTestId('inside-open').click();
    await panel.scrollIntoViewIfNeeded();
    await expect.poll(() => panel.getByTestId('inside-picture').count(), { timeout: 10_000 }).toBe(6); // three of each class
    await panel.getByTestId('inside-picture').first().click();
    await expect
      .poll(() => panel.getByTestId('inside-layer').count(), { timeout: 20_000 })
      .toBe((await page.getByTestId('diagram-block').count()) - 1);
    expect(await panel.locator('[data-testid="inside-layer"][data-kind="maps"]').count()).toBeGreaterThan(0);
    expect(await panel.getByTestId('feature-map').count()).toBeGreaterThan(4);
    // Every map is a real picture of the layer's size, not an empty image.
    const natural = await panel
      .getByTestId('feature-map')
      .first()
      .evaluate((img) => [(img as HTMLImageElement).naturalWidth, (img as HTMLImageElement).naturalHeight]);
    expect(natural[0]).toBeGreaterThan(1);
    expect(await panel.getByTestId('inside-output').locator('li').count()).toBe(2);
    await panel.getByTestId('inside-file').setInputFiles(join(root, 'red', 'red-3.png'));
    await expect.poll(() => panel.getByTestId('inside-output').locator('li').first().textContent()).toMatch(/^blue/);
    await panel.getByTestId('inside-layer').first().scrollIntoViewIfNeeded();
    await screenshot(page, 'inside-2-feature-maps');
  });

  it('3. opens a Learn more panel with a picture beside a layer and beside the training settings', async () => {
    const conv = page.locator('[data-testid="layer-row"][data-layer-type="Conv2D"]').first();
    await conv.getByTestId('learn-more-kernel').click();
    const panel = conv.getByTestId('learn-panel');
    await expect.poll(() => panel.textContent()).toContain('Z = WX + b');
    expect(await panel.getByTestId('learn-picture').count()).toBe(1);
    await conv.getByTestId('learn-more-activation').click();
    await expect.poll(() => panel.getByTestId('learn-activation-text').textContent()).toMatch(/^relu: max\(0, Z\)/);
    await panel.getByTestId('learn-function').selectOption('sigmoid');
    await expect.poll(() => panel.getByTestId('learn-activation-text').textContent()).toMatch(/^sigmoid:/);
    await conv.scrollIntoViewIfNeeded();
    await screenshot(page, 'inside-3-learn-activation');
    await page.getByTestId('training-settings').getByTestId('learn-more-batch').click();
    await expect
      .poll(() => page.getByTestId('training-settings').getByTestId('learn-panel').textContent())
      .toContain('iterations per epoch');
    await page.getByTestId('training-settings').scrollIntoViewIfNeeded();
    await screenshot(page, 'inside-4-learn-batch');
  });

  it("4. shows the first layer's filters changing epoch by epoch and captions while a run trains", async () => {
    await page.getByTestId('nav-train').click();
    await page.getByTestId('filters-toggle').check();
    // Every picture the first filter shows while the run trains (a fast run can be at epoch 3
    // before the test looks twice, so the page records them as they are drawn).
    await page.evaluate(() => {
      const seen = new Set<string>();
      (window as unknown as { filterPictures: Set<string> }).filterPictures = seen;
      const record = () => {
        const src = document.querySelector('[data-testid="filter-image"]')?.getAttribute('src');
        if (src) seen.add(src);
      };
      new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['src'] });
    });
    await page.getByTestId('train-button').click();
    await expect.poll(() => page.getByTestId('filters-caption').textContent(), { timeout: 60_000 }).toMatch(/^After epoch [1-9]/);
    expect(await page.getByTestId('filter-image').count()).toBeGreaterThan(0);
    const caption = async () => (await page.getByTestId('epoch-caption').textContent())!.replace(/\s+/g, ' ').trim();
    await expect
      .poll(caption)
      .toMatch(
        /^Epoch \d of 3: \d+ pictures seen so far, in \d+ iterations\. Each epoch shows the model all \d+ training pictures in \d+ iterations of batch 8;/,
      );
    // Iterations per epoch = training pictures / batch size, rounded up.
    const [, pictures, iterations] = (await caption()).match(/all (\d+) training pictures in (\d+) iterations/)!;
    expect(Number(iterations)).toBe(Math.ceil(Number(pictures) / 8));
    await expect.poll(() => page.getByTestId('filters-caption').textContent(), { timeout: 60_000 }).toMatch(/^After epoch 3/);
    // Before epoch 1 and after each of the 3 epochs: the first filter changed as it learned.
    expect(await page.evaluate(() => (window as unknown as { filterPictures: Set<string> }).filterPictures.size)).toBeGreaterThanOrEqual(2);
    await page.getByTestId('filters-view').scrollIntoViewIfNeeded();
    await screenshot(page, 'inside-5-train-filters');
  });

  it('5. reads in Spanish and in the dark theme', async () => {
    await page.getByTestId('nav-preferences').click();
    await page.getByTestId('language-select').selectOption('es');
    await page.getByTestId('nav-train').click();
    await expect.poll(() => page.getByTestId('filters-caption').textContent()).toMatch(/^Después de la época 3\./);
    await page.getByTestId('filters-view').scrollIntoViewIfNeeded();
    await screenshot(page, 'inside-es-1-train-filters');
    await page.getByTestId('nav-model').click();
    await page.getByTestId('network-diagram').getByTestId('diagram-block').nth(2).hover();
    await expect.poll(details).toContain('Forma de salida');
    await page.getByTestId('network-diagram').scrollIntoViewIfNeeded();
    await screenshot(page, 'inside-es-2-diagram');
    const panel = page.getByTestId('inside-panel');
    await page.getByTestId('inside-open').click();
    await expect.poll(() => panel.getByTestId('inside-picture').count(), { timeout: 10_000 }).toBe(6);
    await panel.getByTestId('inside-picture').last().click();
    await expect.poll(() => panel.getByTestId('feature-map').count(), { timeout: 20_000 }).toBeGreaterThan(4);
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'inside-es-3-feature-maps');
    const pooling = page.locator('[data-testid="layer-row"][data-layer-type="MaxPooling2D"]').first();
    await pooling.getByTestId('learn-more-pooling').click();
    await expect.poll(() => pooling.getByTestId('learn-panel').textContent()).toContain('conserva su valor más grande');
    await pooling.scrollIntoViewIfNeeded();
    await screenshot(page, 'inside-es-4-learn-pooling');
    await page.getByTestId('augmentation-settings').getByTestId('learn-more-augmentation').click();
    await page.getByTestId('training-settings').getByTestId('learn-more-learningRate').click();
    await expect
      .poll(() => page.getByTestId('training-settings').getByTestId('learn-panel').textContent())
      .toContain('tasa de aprendizaje');
    await page.getByTestId('training-settings').scrollIntoViewIfNeeded();
    await screenshot(page, 'inside-es-5-learn-rate');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.getByTestId('network-diagram').scrollIntoViewIfNeeded();
    await screenshot(page, 'inside-dark-diagram');
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'inside-dark-feature-maps');
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
