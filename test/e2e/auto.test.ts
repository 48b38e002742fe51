// Auto in the real UI (Chromium against the browser host): a fresh project's Train screen shows
// how long Auto's plan will take on this computer before Train is pressed, in the course's words.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeUi, openUi, screenshot, type Ui } from '../helpers/browser';
import { writeShapeDataset } from '../helpers/shapes';
import { tempDir } from '../helpers/temp';

let ui: Ui;
let page: Page;
let shapes: string;

beforeAll(async () => {
  shapes = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 10, size: 28, seed: 3 });
  ui = await openUi(tempDir());
  page = ui.page;
});

afterAll(async () => {
  await closeUi(ui);
});

describe('Auto in the UI', () => {
  it("shows the estimate of Auto's plan on the Train screen before training", async () => {
    await page.goto(ui.host.url);
    await page.getByTestId('project-name-input').fill('Small pictures');
    await page.getByTestId('create-project').click();
    await expect.poll(() => page.getByTestId('current-project').textContent()).toContain('Small pictures');
    await page.getByTestId('nav-data').click();
    await page.getByTestId('import-folder-input').setInputFiles(shapes);
    await expect.poll(() => page.getByTestId('class-card').count(), { timeout: 60_000 }).toBe(3);
    await page.getByTestId('nav-train').click();
    await expect
      .poll(() => page.getByTestId('train-estimate').textContent(), { timeout: 30_000 })
      .toMatch(/^about \d+ (seconds|minutes) on this computer \(\d+ pictures x \d+ epochs at ~[\d,]+ pictures\/s on wasm\)$/);
    await screenshot(page, 'auto-train-estimate');
  });
});
