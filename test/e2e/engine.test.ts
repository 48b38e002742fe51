// The Train screen names the engine and the device while training, and why each faster engine was
// skipped (here: no CUDA, no Chromium engine in this build or no adapter, no native TensorFlow),
// through the real UI in Debian's Chromium against the real browser host.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeUi, openUi, screenshot, type Ui } from '../helpers/browser';
import { writeShapeDataset } from '../helpers/shapes';
import { tempDir } from '../helpers/temp';

let ui: Ui;
let shapesDir: string;

beforeAll(async () => {
  shapesDir = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 16, size: 24, seed: 8 });
  ui = await openUi(tempDir());
});

afterAll(() => closeUi(ui));

describe('training engine on the Train screen', () => {
  it('names the engine and why faster ones were skipped while training', async () => {
    const { page } = ui;
    await page.goto(ui.host.url);
    await page.getByTestId('project-name-input').fill('Engine');
    await page.getByTestId('create-project').click();
    await expect.poll(() => page.getByTestId('current-project').textContent()).toContain('Engine');
    await page.getByTestId('nav-data').click();
    await page.getByTestId('import-folder-input').setInputFiles(shapesDir);
    await expect.poll(() => page.getByTestId('class-card').count(), { timeout: 60_000 }).toBe(3);
    await page.getByTestId('nav-model').click();
    await page.getByTestId('preset-small-cnn').click();
    await page.getByTestId('input-width').fill('24');
    await page.getByTestId('input-height').fill('24');
    await page.getByTestId('epochs-input').fill('30');
    await page.getByTestId('batch-size-input').fill('8');
    await page.getByTestId('save-and-train').click();
    await expect.poll(() => page.getByTestId('train-screen').isVisible()).toBe(true);
    await page.getByTestId('train-button').click();
    await expect.poll(() => page.getByTestId('progress-epoch').textContent(), { timeout: 60_000 }).toMatch(/\b[1-9]\d* of 30\b/);

    // Without CAPA_BACKEND, on this 2-core machine without native TensorFlow: WASM on every core.
    await expect.poll(() => page.getByTestId('backend-name').textContent()).toMatch(/on 2 threads, data-parallel/);
    await page.getByTestId('backend').locator('summary').click();
    const skipped = await page.getByTestId('backend-skipped').allTextContents();
    expect(skipped[0]).toMatch(/^@tensorflow\/tfjs-node-gpu skipped: /);
    expect(skipped.slice(1, 3)).toEqual([
      expect.stringMatching(/^Chromium WebGPU skipped: /),
      expect.stringMatching(/^Chromium WebGL skipped: /),
    ]);
    expect(skipped[3]).toMatch(/^@tensorflow\/tfjs-node skipped: /);
    await screenshot(page, 'engine-train-screen');
    await page.getByTestId('stop-button').click();
    await expect.poll(() => page.getByTestId('run-status').getAttribute('data-status'), { timeout: 120_000 }).toBe('stopped');
  });
});
