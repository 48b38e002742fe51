// The inference engine named on screen, in Debian's Chromium against the real browser host: a tiny
// Small CNN trained through the service, then Try predicts a picture and Evaluate re-evaluates, and
// each says which engine computed the predictions ("Predictions: ONNX Runtime, CPU (2 threads).")
// in English and in Spanish. The engine is whatever the host's trainer used, so this fails if the
// line is missing, empty, or names no engine. Screenshots go to test/.artifacts.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import { presetById } from '../../common/model/presets';
import { closeUi, openUi, screenshot, type Ui } from '../helpers/browser';
import { writeShapeDataset } from '../helpers/shapes';
import { tempDir } from '../helpers/temp';
import { trainProject } from '../helpers/train';

let ui: Ui;
let page: Page;
let shapes: string;

beforeAll(async () => {
  process.env['CAPA_BACKEND'] = 'wasm';
  const dataDir = tempDir();
  shapes = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 12, size: 24, seed: 7 });
  const service = createCapaService({ dataDir, host: 'browser' });
  try {
    const project = await callOrThrow(service, 'createProject', { name: 'Shapes' });
    await callOrThrow(service, 'setSplitShares', { projectId: project.id, train: 50, validation: 25, test: 25 });
    await callOrThrow(service, 'importPaths', { projectId: project.id, paths: [shapes] });
    const spec = presetById('small-cnn')!.build(
      { width: 24, height: 24, channels: 3, resize: 'squash' },
      { epochs: 1, batch_size: 16, learning_rate: 0.002, seed: 3 },
    );
    await callOrThrow(service, 'saveSpec', { projectId: project.id, spec });
    await trainProject(service, project.id);
  } finally {
    await service.close();
  }
  ui = await openUi(dataDir, { settings: { theme: 'light', language: 'en', guide: 'skipped' } });
  page = ui.page;
}, 240_000);

afterAll(() => closeUi(ui));

/** The engine line's text, once it names one. */
const engineLine = async (): Promise<string> => (await page.getByTestId('inference-engine').textContent()) ?? '';

async function tryPicture(): Promise<void> {
  await page.getByTestId('nav-try').click();
  await page.getByTestId('try-file-input').setInputFiles(join(shapes, 'circle', 'circle-1.png'));
  await page.getByTestId('prediction-best').waitFor({ timeout: 30_000 });
}

async function evaluate(): Promise<void> {
  await page.getByTestId('nav-evaluate').click();
  await page.getByTestId('evaluate-button').click();
  await page.getByTestId('evaluation-metrics').waitFor({ timeout: 60_000 });
}

describe('the inference engine on screen', () => {
  it('is named on Try next to the prediction and on Evaluate next to the metrics', async () => {
    await page.goto(ui.host.url);
    await page.getByTestId('project-open').filter({ hasText: 'Shapes' }).click();
    // Evaluate first: this host's trainer has predicted nothing before, so the line comes from the evaluation.
    await page.getByTestId('nav-evaluate').click();
    await page.getByTestId('evaluation-metrics').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('inference-engine').count()).toBe(0);
    await evaluate();
    await expect.poll(engineLine, { timeout: 20_000 }).toMatch(/^Predictions: ONNX Runtime, CPU \(\d+ threads?\)\.$/);
    await page.getByTestId('inference-engine').scrollIntoViewIfNeeded();
    await screenshot(page, 'inference-engine-evaluate');
    await tryPicture();
    await expect.poll(engineLine, { timeout: 20_000 }).toMatch(/^Predictions: ONNX Runtime, CPU \(\d+ threads?\)\.$/);
    await screenshot(page, 'inference-engine-try');
    // Train: beside the finished run's backend.
    await page.getByTestId('nav-train').click();
    await expect.poll(engineLine, { timeout: 20_000 }).toMatch(/^Predictions: ONNX Runtime, CPU/);
    await page.getByTestId('inference-engine').scrollIntoViewIfNeeded();
    await screenshot(page, 'inference-engine-train');
  }, 120_000);

  it('is named in Spanish', async () => {
    await page.getByTestId('nav-preferences').click();
    await page.getByTestId('language-select').selectOption('es');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('es');
    await tryPicture();
    await expect.poll(engineLine, { timeout: 20_000 }).toMatch(/^Predicciones: ONNX Runtime, CPU \(\d+ hilos?\)\.$/);
    await screenshot(page, 'inference-engine-try-es');
    await evaluate();
    await expect.poll(engineLine, { timeout: 20_000 }).toMatch(/^Predicciones: ONNX Runtime, CPU \(\d+ hilos?\)\.$/);
    await page.getByTestId('inference-engine').scrollIntoViewIfNeeded();
    await screenshot(page, 'inference-engine-evaluate-es');
  }, 120_000);
});
