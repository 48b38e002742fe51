// Transfer learning through the real UI in Chromium against the real browser host process: pick
// the Transfer learning preset, choose a backbone (a tiny one made by the test, listed by a mirror
// catalogue and served from loopback), watch the download's progress bar, train, and try an image.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mirrorTinyBackbone, TINY_SIZE, type ModelServer } from '../helpers/backbone';
import { launchChromium, openPage, screenshot, startHost, type RunningHost } from '../helpers/browser';
import { writeShapeDataset } from '../helpers/shapes';
import { removeTempDirs, tempDir } from '../helpers/temp';

let browser: Browser;
let host: RunningHost;
let server: ModelServer;
let page: Page;
let shapes: string;

beforeAll(async () => {
  const dataDir = tempDir();
  server = await mirrorTinyBackbone(dataDir, join(tempDir(), 'tiny'));
  shapes = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 12, size: 32, seed: 8 });
  host = await startHost(dataDir);
  browser = await launchChromium();
  page = await openPage(browser);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await server?.close();
  removeTempDirs();
});

const go = (screen: string) => page.getByTestId(`nav-${screen}`).click();

describe('transfer learning in the UI', () => {
  it('downloads a pretrained network with a progress bar, trains a head on it and classifies an image', async () => {
    await page.goto(host.url);
    await page.getByTestId('project-name-input').fill('Shapes');
    await page.getByTestId('create-project').click();
    await expect.poll(() => page.getByTestId('current-project').textContent()).toContain('Shapes');
    await go('data');
    await page.getByTestId('import-folder-input').setInputFiles(shapes);
    await expect.poll(() => page.getByTestId('class-card').count(), { timeout: 60_000 }).toBe(3);

    await go('model');
    await page.getByTestId('preset-transfer').click();
    const picker = page.getByTestId('backbone-picker');
    await expect.poll(() => picker.isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('backbone-select').textContent(), { timeout: 30_000 }).toContain('MobileNet V3 Large');
    await screenshot(page, 'transfer-1-preset');
    // TF Hub's MobileNets are graph models: asking to fine-tune one is refused next to the field.
    await page.getByTestId('backbone-trainable-blocks').fill('2');
    await expect.poll(() => picker.getByTestId('field-issue').textContent()).toMatch(/is a TensorFlow\.js graph model, whose weights cannot be trained/);
    expect(await page.getByTestId('save-model').isDisabled()).toBe(true);
    await picker.scrollIntoViewIfNeeded();
    await screenshot(page, 'transfer-1b-fine-tune-refused');
    await page.getByTestId('backbone-trainable-blocks').fill('0');
    await page.getByTestId('backbone-select').selectOption('tiny');
    expect(await page.getByTestId('input-width').inputValue()).toBe(String(TINY_SIZE));
    await expect.poll(() => page.getByTestId('summary-table').textContent(), { timeout: 30_000 }).toMatch(/\btiny\s*\(Functional\)/);
    await page.getByTestId('epochs-input').fill('3');

    server.holdOnce = { suffix: 'weights.bin', bytes: 300 };
    await page.getByTestId('backbone-download').click();
    await expect.poll(() => page.getByTestId('backbone-progress').textContent(), { timeout: 30_000 }).toMatch(/^\s*\d+ kB of \d+ kB · \d+ kB\/s\s*$/);
    await screenshot(page, 'transfer-2-downloading');
    server.release();
    await expect.poll(() => page.getByTestId('backbone-ready').textContent(), { timeout: 30_000 }).toContain('match the published checksums');
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
