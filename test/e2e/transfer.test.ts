// Transfer learning through the real UI in Chromium against the real browser host process: the
// Transfer learning preset (chosen over Auto, a new project's default), training refused until its network is
// there, fine-tuning offered only for a layers model; choose a backbone (a tiny one made by the
// test, listed by a mirror catalogue and served from loopback), watch the download's progress
// bar, train, and try an image.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mirrorTinyBackbone, TINY_SIZE, type ModelServer } from '../helpers/backbone';
import { closeUi, openUi, screenshot, type Ui } from '../helpers/browser';
import { writeShapeDataset } from '../helpers/shapes';
import { tempDir } from '../helpers/temp';

let ui: Ui;
let server: ModelServer;
let page: Page;
let shapes: string;

beforeAll(async () => {
  const dataDir = tempDir();
  server = await mirrorTinyBackbone(dataDir, join(tempDir(), 'tiny'));
  shapes = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 12, size: 32, seed: 8 });
  ui = await openUi(dataDir);
  page = ui.page;
});

afterAll(async () => {
  await server?.close();
  await closeUi(ui);
});

const go = (screen: string) => page.getByTestId(`nav-${screen}`).click();

describe('transfer learning in the UI', () => {
  it('downloads a pretrained network with a progress bar, trains a head on it and classifies an image', async () => {
    await page.goto(ui.host.url);
    await page.getByTestId('project-name-input').fill('Shapes');
    await page.getByTestId('create-project').click();
    await expect.poll(() => page.getByTestId('current-project').textContent()).toContain('Shapes');
    await go('data');
    await page.getByTestId('import-folder-input').setInputFiles(shapes);
    await expect.poll(() => page.getByTestId('class-card').count(), { timeout: 60_000 }).toBe(3);

    // Auto is a new project's default (these pictures are small: it trains from scratch); with the
    // Transfer learning preset chosen, training before its network is downloaded says what to do.
    await go('model');
    await page.getByTestId('preset-transfer').check();
    await page.getByTestId('save-model').click();
    await go('train');
    await page.getByTestId('train-button').click();
    await expect
      .poll(() => page.getByTestId('train-error').textContent(), { timeout: 30_000 })
      .toContain(
        'Download MobileNet V2 1.0 · 224 px (9.2 MB) on the Model screen first (or import it from a folder there), or choose the Small CNN preset to train without a download.',
      );
    await screenshot(page, 'transfer-0-train-without-network');

    await go('model');
    expect(await page.getByTestId('preset-transfer').isChecked()).toBe(true);
    expect(await page.getByTestId('preset-picker').locator('input[name="preset"]').first().getAttribute('value')).toBe('transfer');
    const picker = page.getByTestId('backbone-picker');
    await expect.poll(() => picker.isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('backbone-select').textContent(), { timeout: 30_000 }).toContain('MobileNet V3 Large');
    // The default spec is valid as soon as the list of networks arrives: its summary shows the network, Save is enabled.
    await expect
      .poll(() => page.getByTestId('summary-table').textContent(), { timeout: 30_000 })
      .toMatch(/mobilenet_v2_1\.0_224\s*\(Functional\)/);
    expect(await page.getByTestId('model-screen').getByTestId('field-issue').count()).toBe(0);
    expect(await page.getByTestId('save-model').isDisabled()).toBe(false);
    await screenshot(page, 'transfer-1-preset');
    // TF Hub's MobileNets are graph models: fine-tuning is not offered, and the note says why and what to choose.
    expect(await page.getByTestId('backbone-trainable-blocks').isDisabled()).toBe(true);
    expect(await page.getByTestId('fine-tune-note').textContent()).toMatch(
      /Not possible with this network: its files are a graph model.*To fine-tune, choose MobileNet V2 1\.0 · 224 px · Keras\./s,
    );
    await picker.scrollIntoViewIfNeeded();
    await screenshot(page, 'transfer-1b-fine-tune-unavailable');
    // Teachable Machine's Keras MobileNet is a layers model: its last blocks can be fine-tuned.
    await page.getByTestId('backbone-select').selectOption('mobilenet-v2-1.0-224-keras');
    await page.getByTestId('backbone-trainable-blocks').fill('2');
    await expect.poll(() => page.getByTestId('fine-tune-note').textContent()).toContain('0 keeps the network frozen');
    expect(await picker.getByTestId('field-issue').count()).toBe(0);
    await screenshot(page, 'transfer-1c-fine-tune-offered');
    await page.getByTestId('backbone-trainable-blocks').fill('0');
    await page.getByTestId('backbone-select').selectOption('tiny');
    expect(await page.getByTestId('input-width').inputValue()).toBe(String(TINY_SIZE));
    await expect.poll(() => page.getByTestId('summary-table').textContent(), { timeout: 30_000 }).toMatch(/\btiny\s*\(Functional\)/);
    await page.getByTestId('epochs-input').fill('3');

    server.holdOnce = { suffix: 'weights.bin', bytes: 300 };
    await page.getByTestId('backbone-download').click();
    await expect
      .poll(() => page.getByTestId('backbone-progress').textContent(), { timeout: 30_000 })
      .toMatch(/^\s*\d+ kB of \d+ kB · \d+ kB\/s\s*$/);
    await screenshot(page, 'transfer-2-downloading');
    server.release();
    await expect
      .poll(() => page.getByTestId('backbone-ready').textContent(), { timeout: 30_000 })
      .toContain('match the published checksums');
    await screenshot(page, 'transfer-3-ready');

    await page.getByTestId('save-and-train').click();
    await page.getByTestId('train-button').click();
    await expect.poll(() => page.getByTestId('run-status').getAttribute('data-status'), { timeout: 120_000 }).toBe('completed');
    await screenshot(page, 'transfer-4-trained');

    await go('try');
    await page.getByTestId('try-file-input').setInputFiles(join(shapes, 'circle', 'circle-2.png'));
    await expect.poll(() => page.getByTestId('prediction-best').textContent(), { timeout: 30_000 }).toMatch(/circle|square|triangle/);
    await screenshot(page, 'transfer-5-try');
  });
});
