// The export dialog in Debian's Chromium against the real browser host: a project with a
// Small CNN run and a transfer-learning run (a pretrained backbone imported from a folder). The
// transfer run's model formats are greyed out with the reason; the Small CNN run exports ONNX,
// shows its files and a Python snippet naming the preprocessing, and onnxruntime-node loads it;
// it exports int8 TensorFlow Lite with the accuracy change and a Kotlin snippet, offers the folder
// as a zip to download, and LiteRT.js runs the file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import * as ort from 'onnxruntime-node';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunInfo } from '../../preload/contract';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import { presetById } from '../../common/model/presets';
import { loadTflite } from '../../main/core/export/tflite-runtime';
import { writeTinyBackbone, TINY_SIZE } from '../helpers/backbone';
import { closeUi, openUi, screenshot, type Ui } from '../helpers/browser';
import { writeShapeDataset } from '../helpers/shapes';
import { tempDir } from '../helpers/temp';
import { trainProject } from '../helpers/train';

let ui: Ui;
let page: Page;
let cnnRun: RunInfo;
let transferRun: RunInfo;

beforeAll(async () => {
  // The project is prepared through the service (the data and train screens have their own tests).
  const dataDir = tempDir();
  const shapes = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 12, size: 24, seed: 4 });
  const backbone = join(tempDir(), 'tiny-backbone');
  await writeTinyBackbone(backbone);
  const service = createCapaService({ dataDir, host: 'browser' });
  try {
    const project = await callOrThrow(service, 'createProject', { name: 'Shapes' });
    await callOrThrow(service, 'importPaths', { projectId: project.id, paths: [shapes] });
    await callOrThrow(service, 'saveSpec', {
      projectId: project.id,
      spec: presetById('small-cnn')!.build({ width: 24, height: 24, channels: 3, resize: 'squash' }, { epochs: 2, batch_size: 12 }),
    });
    cnnRun = await trainProject(service, project.id);
    await callOrThrow(service, 'importBackbone', { path: backbone, id: 'my-backbone' });
    const transfer = presetById('transfer')!.build({ width: 1, height: 1, channels: 3, resize: 'crop' }, { epochs: 2, batch_size: 12 });
    await callOrThrow(service, 'saveSpec', {
      projectId: project.id,
      spec: {
        ...transfer,
        input: { ...transfer.input, width: TINY_SIZE, height: TINY_SIZE },
        backbone: { id: 'my-backbone', trainable_blocks: 0 },
      },
    });
    transferRun = await trainProject(service, project.id);
  } finally {
    await service.close();
  }
  ui = await openUi(dataDir);
  page = ui.page;
}, 180_000);

afterAll(() => closeUi(ui));

describe('the export dialog', () => {
  it('greys out the formats that cannot hold the transfer model, saying why', async () => {
    expect([cnnRun.status, transferRun.status]).toEqual(['completed', 'completed']);
    await page.goto(ui.host.url);
    await page.getByTestId('project-open').filter({ hasText: 'Shapes' }).click();
    await page.getByTestId('nav-export').click();
    await page.getByTestId('export-run-select').selectOption(transferRun.id);
    await expect.poll(() => page.getByTestId('export-format-onnx').locator('input').isDisabled()).toBe(true);
    for (const format of ['tfjs', 'keras', 'h5', 'onnx', 'tflite', 'tflite-int8']) {
      expect(await page.getByTestId(`export-format-${format}`).locator('input').isDisabled()).toBe(true);
      expect(await page.getByTestId(`export-format-reason-${format}`).textContent()).toContain(
        'Not available: the pretrained network "my-backbone" is kept apart',
      );
    }
    // An imported backbone is not one train.py can rebuild, so the bundle is greyed out too, for its own reason.
    expect(await page.getByTestId('export-format-reason-bundle').textContent()).toContain('"my-backbone" is not one of them');
    expect(await page.getByTestId('export-button').isDisabled()).toBe(true);
    await screenshot(page, 'export-1-greyed-out');
  });

  it('exports the Small CNN run as ONNX, listing the files and a snippet that names the preprocessing', async () => {
    await page.getByTestId('export-run-select').selectOption(cnnRun.id);
    await expect.poll(() => page.getByTestId('export-format-onnx').locator('input').isDisabled()).toBe(false);
    await page.getByTestId('export-format-onnx').click();
    expect(await page.getByTestId('export-button').textContent()).toContain('Export ONNX');
    await screenshot(page, 'export-2-choose');
    await page.getByTestId('export-button').click();
    await expect.poll(() => page.getByTestId('export-files').textContent(), { timeout: 30_000 }).toContain('model.onnx');
    const files = await page.getByTestId('export-files').locator('li').allTextContents();
    expect(files).toEqual(['metadata.json', 'model.onnx', 'usage.js', 'usage.py']);
    const snippet = (await page.getByTestId('export-snippet').textContent())!;
    expect(snippet).toContain('ort.InferenceSession("model.onnx")');
    expect(snippet).toContain('image.resize((24, 24))');
    expect(snippet).toContain('* 0.00392156862745098 + 0');
    await page.getByTestId('export-snippet').scrollIntoViewIfNeeded();
    await screenshot(page, 'export-3-done');
    const directory = (await page.getByTestId('export-directory').textContent())!.trim();
    const session = await ort.InferenceSession.create(join(directory, 'model.onnx'));
    expect(session.outputNames).toEqual(['probabilities']);
  });

  it('offers smaller weights for TensorFlow.js and reports the accuracy change', async () => {
    await page.getByTestId('export-format-tfjs').click();
    await page.getByTestId('export-quantization').selectOption('uint8');
    await page.getByTestId('export-button').click();
    await expect
      .poll(() => page.getByTestId('export-accuracy').textContent(), { timeout: 60_000 })
      .toMatch(/Accuracy on \d+ held-out pictures: [\d.]+% before, [\d.]+% with the smaller weights/);
    await page.getByTestId('export-accuracy').scrollIntoViewIfNeeded();
    await screenshot(page, 'export-4-quantised');
  });

  it('exports int8 TensorFlow Lite with the accuracy change and Python, JavaScript and Kotlin snippets', async () => {
    await page.getByTestId('export-format-tflite-int8').click();
    expect(await page.getByTestId('export-button').textContent()).toContain('Export TensorFlow Lite, int8 weights');
    await screenshot(page, 'export-5-tflite-choose');
    await page.getByTestId('export-button').click();
    await expect
      .poll(() => page.getByTestId('export-accuracy').textContent(), { timeout: 60_000 })
      .toMatch(/Accuracy on \d+ held-out pictures: [\d.]+% before, [\d.]+% with the smaller weights/);
    expect(await page.getByTestId('export-files').locator('li').allTextContents()).toEqual([
      'metadata.json',
      'model.tflite',
      'usage.js',
      'usage.kt',
      'usage.py',
    ]);
    expect(await page.getByTestId('export-snippet-tab').allTextContents()).toEqual(['Python', 'JavaScript', 'Kotlin']);
    await page.getByTestId('export-snippet-tab').filter({ hasText: 'Kotlin' }).click();
    const kotlin = (await page.getByTestId('export-snippet').textContent())!;
    expect(kotlin).toContain('interpreter.run(prepare(bitmap), probabilities)');
    expect(kotlin).toContain('x * 0.00392156862745098f + 0f');
    await page.getByTestId('export-snippet').scrollIntoViewIfNeeded();
    await screenshot(page, 'export-6-tflite-done');
    const directory = (await page.getByTestId('export-directory').textContent())!.trim();
    // The browser host offers the folder as a zip, under one top folder named like it.
    const href = (await page.getByTestId('export-download').getAttribute('href'))!;
    const response = await fetch(new URL(href, page.url()));
    expect(response.status).toBe(200);
    const zipped = unzipSync(new Uint8Array(await response.arrayBuffer()));
    const top = directory.split(/[\\/]/).at(-1)!;
    expect(Object.keys(zipped).sort()).toEqual(
      ['metadata.json', 'model.tflite', 'usage.js', 'usage.kt', 'usage.py'].map((f) => `${top}/${f}`),
    );
    expect(Buffer.from(zipped[`${top}/model.tflite`]!).equals(readFileSync(join(directory, 'model.tflite')))).toBe(true);
    const model = await loadTflite(readFileSync(join(directory, 'model.tflite')));
    const probabilities = await model.predict(new Float32Array(24 * 24 * 3).fill(0.5), [1, 24, 24, 3]);
    model.close();
    expect(probabilities).toHaveLength(3);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });
});
