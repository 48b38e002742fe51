// The foundation's path, through the real UI in Debian's Chromium, against the real browser
// host in its own process, with a fresh data folder: create a project (it survives a restart),
// import a folder of class folders, pick Small CNN, train live, stop a run, try an image,
// export, and load the export back with @tensorflow/tfjs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeUi, openUi, screenshot, startHost, type Ui } from '../helpers/browser';
import { loadExport } from '../helpers/export-reader';
import { writeShapeDataset } from '../helpers/shapes';
import { tempDir } from '../helpers/temp';

let ui: Ui;
let page: Page;
let dataDir: string;
let shapes: string;

beforeAll(async () => {
  dataDir = tempDir();
  shapes = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 16, size: 32, seed: 5 });
  // Two files that cannot be used: they must be listed with a reason while the rest imports.
  writeFileSync(join(shapes, 'circle', 'notes.txt'), 'not a picture');
  writeFileSync(join(shapes, 'square', 'broken.png'), Buffer.from('not really a png, only its extension'));
  ui = await openUi(dataDir);
  page = ui.page;
});

afterAll(() => closeUi(ui));

const go = (screen: string) => page.getByTestId(`nav-${screen}`).click();

describe('from a dropped folder to an exported model, in the UI', () => {
  it('1. creates a project that survives a restart', async () => {
    await page.goto(ui.host.url);
    await expect.poll(() => page.getByTestId('projects-screen').isVisible()).toBe(true);
    await screenshot(page, '1a-projects-empty');
    await page.getByTestId('project-name-input').fill('Shapes');
    await page.getByTestId('create-project').click();
    await expect.poll(() => page.getByTestId('current-project').textContent()).toContain('Shapes');

    await ui.host.stop();
    ui.host = await startHost(dataDir);
    await page.goto(ui.host.url);
    await page.getByTestId('project-open').filter({ hasText: 'Shapes' }).click();
    await expect.poll(() => page.getByTestId('current-project').textContent()).toContain('Shapes');
    await screenshot(page, '1b-project-open');
  });

  it('2. imports a folder whose sub-folders are classes, listing the unusable files', async () => {
    await go('data');
    await page.getByTestId('import-folder-input').setInputFiles(shapes);
    await expect.poll(() => page.getByTestId('class-card').count(), { timeout: 60_000 }).toBe(3);
    const names = await page.getByTestId('class-card').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-class-name')));
    expect(names.sort()).toEqual(['circle', 'square', 'triangle']);
    const counts = await page.getByTestId('class-card').getByTestId('class-count').allTextContents();
    expect(counts).toHaveLength(3);
    for (const count of counts) expect(count).toMatch(/\b16\b/);
    await expect.poll(() => page.getByTestId('thumbnail').count()).toBeGreaterThanOrEqual(12);
    const rejected = await page.getByTestId('import-rejected').textContent();
    expect(rejected).toContain('notes.txt');
    expect(rejected).toContain('broken.png');
    await expect
      .poll(() =>
        page
          .getByTestId('thumbnail')
          .first()
          .evaluate((img) => (img as HTMLImageElement).naturalWidth),
      )
      .toBeGreaterThan(0);
    await screenshot(page, '2-data');
  });

  it('3. picks Small CNN and shows a Keras-style summary; sets epochs, batch size and learning rate', async () => {
    await go('model');
    await page.getByTestId('preset-small-cnn').click();
    await page.getByTestId('input-width').fill('32');
    await page.getByTestId('input-height').fill('32');
    await page.getByTestId('epochs-input').fill('4');
    await page.getByTestId('batch-size-input').fill('16');
    await page.getByTestId('learning-rate-input').fill('0.002');
    const summary = page.getByTestId('summary-table');
    await expect.poll(() => summary.textContent()).toContain('Conv2D');
    const text = (await summary.textContent())!;
    expect(text).toContain('MaxPooling2D');
    expect(text).toContain('Flatten');
    expect(text).toContain('(None, 30, 30, 16)');
    expect(text).toContain('448');
    expect(await page.getByTestId('summary-total').textContent()).toMatch(/\d/);
    await screenshot(page, '3-model');
    await page.getByTestId('save-and-train').click();
  });

  it('4. trains with live curves and the backend named; Stop stops a run', async () => {
    await expect.poll(() => page.getByTestId('train-screen').isVisible()).toBe(true);
    await page.getByTestId('train-button').click();
    await expect
      .poll(() => page.getByTestId('backend-name').textContent(), { timeout: 60_000 })
      .toMatch(/WebAssembly|TensorFlow|JavaScript/);
    await expect.poll(() => page.getByTestId('run-status').getAttribute('data-status'), { timeout: 120_000 }).toBe('completed');
    await expect.poll(() => page.getByTestId('loss-chart').locator('canvas').count()).toBeGreaterThan(0);
    await screenshot(page, '4a-train-done');

    // A long second run, stopped from the UI.
    await go('model');
    await page.getByTestId('epochs-input').fill('500');
    await page.getByTestId('save-and-train').click();
    await page.getByTestId('train-button').click();
    await expect.poll(() => page.getByTestId('progress-epoch').textContent(), { timeout: 60_000 }).toMatch(/\b([2-9]|\d{2,}) of 500\b/);
    await screenshot(page, '4b-training-live');
    await page.getByTestId('stop-button').click();
    await expect.poll(() => page.getByTestId('run-status').getAttribute('data-status'), { timeout: 60_000 }).toBe('stopped');
    await screenshot(page, '4c-stopped');
  });

  it('5. classifies a new image with every class probability', async () => {
    await go('try');
    const image = join(tempDir(), 'new-triangle.png');
    await sharp(join(shapes, 'triangle', 'triangle-3.png')).toFile(image);
    await page.getByTestId('try-file-input').setInputFiles(image);
    await expect.poll(() => page.getByTestId('prediction-best').textContent(), { timeout: 30_000 }).toMatch(/circle|square|triangle/);
    const bars = await page.getByTestId('prediction-bars').textContent();
    for (const name of ['circle', 'square', 'triangle']) expect(bars).toContain(name);
    await screenshot(page, '5-try');
  });

  it('6. exports a TensorFlow.js model that @tensorflow/tfjs loads and agrees with', async () => {
    await go('export');
    await page.getByTestId('export-button').click();
    await expect.poll(() => page.getByTestId('export-files').textContent(), { timeout: 30_000 }).toContain('model.json');
    await screenshot(page, '6-export');
    const directory = (await page.getByTestId('export-directory').textContent())!.trim();
    expect(directory.startsWith(dataDir)).toBe(true);
    const reader = await loadExport(directory);
    expect(reader.metadata.classNames).toEqual(['circle', 'square', 'triangle']);
    expect(reader.metadata.input).toMatchObject({ width: 32, height: 32, channels: 3 });
    const probabilities = await reader.predict(join(shapes, 'triangle', 'triangle-3.png'));
    const best = reader.metadata.classNames[probabilities.indexOf(Math.max(...probabilities))]!;
    // The export is of the newest finished run, the same one the Try screen used.
    await go('try');
    await page.getByTestId('try-file-input').setInputFiles(join(shapes, 'triangle', 'triangle-3.png'));
    await expect.poll(() => page.getByTestId('prediction-best').textContent(), { timeout: 30_000 }).toContain(best);
  });
});
