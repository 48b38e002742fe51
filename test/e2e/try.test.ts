// The Try screen in Debian's Chromium against the real browser host, on a project trained on red
// and blue pictures: one picture with its bars (and a file that is not a picture), live
// predictions from a fake camera with pause and release, a folder uploaded and shown as a table
// with accuracy, filters and a CSV download, and label suggestions accepted and undone.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import { colourImage, trainColourProject, writeColourDataset } from '../helpers/colours';
import { closeUi, openUi, screenshot, type Ui } from '../helpers/browser';
import { tempDir } from '../helpers/temp';

let ui: Ui;
let page: Page;
let check: string;
let loose: string[];
/** 600 pictures: enough batches to press Cancel while they are sent. */
let many: string;

beforeAll(async () => {
  const dataDir = tempDir();
  const service = createCapaService({ dataDir, host: 'browser' });
  try {
    const { project } = await trainColourProject(service, 'Colours', await writeColourDataset(join(tempDir(), 'colours'), 16), 6);
    loose = [];
    for (const [i, colour] of (['red', 'blue', 'red', 'blue'] as const).entries()) {
      const file = join(tempDir(), `${colour}-${i}.png`);
      writeFileSync(file, await colourImage(colour, 70_000 + i));
      loose.push(file);
    }
    await callOrThrow(service, 'importPaths', { projectId: project.id, paths: loose });
  } finally {
    await service.close();
  }
  check = await writeColourDataset(join(tempDir(), 'check'), 6, 5);
  many = await writeColourDataset(join(tempDir(), 'many'), 300, 6);
  writeFileSync(join(check, 'blue', 'broken.png'), Buffer.from('not really a png'));
  // A fake camera, allowed without a prompt, for live predictions.
  ui = await openUi(dataDir, { chromiumArgs: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] });
  page = ui.page;
  await page.goto(ui.host.url);
  await page.getByTestId('project-open').filter({ hasText: 'Colours' }).click();
  await page.getByTestId('nav-try').click();
}, 240_000);

afterAll(() => closeUi(ui));

describe('the Try screen', () => {
  it('1. classifies one picture with a bar per class, and says what to do with a file that is not a picture', async () => {
    await page.getByTestId('try-file-input').setInputFiles(join(check, 'red', 'red-1.png'));
    await expect.poll(() => page.getByTestId('prediction-best').textContent(), { timeout: 20_000 }).toBe('red');
    expect(await page.getByTestId('prediction-bars').locator('li').count()).toBe(2);
    // A slow machine can take over a second: the number has a thousands separator then.
    expect(await page.getByTestId('prediction-time').textContent()).toMatch(/^Answered in [\d,]+ ms\.$/);
    await screenshot(page, 'use-1-picture');
    await page
      .getByTestId('try-file-input')
      .setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from('not a picture at all') });
    await expect
      .poll(() => page.getByTestId('try-error').textContent())
      .toBe('This is not an image file. Choose a JPEG, PNG, WebP, GIF, BMP or TIFF picture.');
    await screenshot(page, 'use-1b-not-a-picture');
  });

  it('2. predicts live from the camera several times a second, pauses, and releases the camera on leaving', async () => {
    await page.getByTestId('try-tab-webcam').click();
    await expect.poll(() => page.getByTestId('live-rate').textContent(), { timeout: 30_000 }).toMatch(/^[1-9]\d*\.\d predictions a second/);
    expect(['red', 'blue']).toContain(await page.getByTestId('live-best').textContent());
    expect(await page.getByTestId('live-bars').locator('li').count()).toBe(2);
    await screenshot(page, 'use-2-webcam');
    await page.getByTestId('live-pause').click();
    await expect.poll(() => page.getByTestId('live-rate').textContent()).toBe('Paused. Press Resume to go on.');
    expect(await page.getByTestId('live-pause').textContent()).toBe('Resume');
    await page.getByTestId('live-pause').click();
    await expect.poll(() => page.getByTestId('live-rate').textContent(), { timeout: 10_000 }).toMatch(/predictions a second/);
    await page.evaluate(() => {
      (window as unknown as { liveStream: MediaStream }).liveStream = (
        document.querySelector('[data-testid="live-video"]') as HTMLVideoElement
      ).srcObject as MediaStream;
    });
    await page.getByTestId('try-tab-batch').click();
    const ended = await page.evaluate(() =>
      (window as unknown as { liveStream: MediaStream }).liveStream.getTracks().map((t) => t.readyState),
    );
    expect(ended).toEqual(['ended']);
  });

  it('3. classifies an uploaded folder into a table with accuracy, filters it and downloads it as CSV', async () => {
    await page.getByTestId('batch-folder-input').setInputFiles(check);
    await expect.poll(() => page.getByTestId('batch-shown').textContent(), { timeout: 30_000 }).toBe('Showing 13 of 13');
    expect(await page.getByTestId('batch-accuracy').textContent()).toMatch(
      /Accuracy against the folders' classes: \d+\.\d% \(\d+ of 12 right\)/,
    );
    expect(await page.getByTestId('batch-row').filter({ hasText: 'Cannot be read' }).count()).toBe(1);
    await screenshot(page, 'use-3-batch-table');

    await page.getByTestId('batch-filter-class').selectOption('red');
    const redRows = await page.getByTestId('batch-row').count();
    expect(await page.getByTestId('batch-shown').textContent()).toBe(`Showing ${redRows} of 13`);
    for (const cells of await page.getByTestId('batch-row').locator('td:nth-child(2)').allTextContents()) expect(cells).toBe('red');
    await page.getByTestId('batch-filter-class').selectOption('');
    await page.getByTestId('batch-filter-confidence').fill('0');
    await expect.poll(() => page.getByTestId('batch-shown').textContent()).toBe('Showing 0 of 13');
    await page.getByTestId('batch-filter-confidence').fill('100');
    await page.getByTestId('batch-sort-confidence').click();
    await screenshot(page, 'use-3b-batch-sorted');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('batch-csv').click()]);
    const parsed = Papa.parse<string[]>(readFileSync((await download.path())!, 'utf8'), { skipEmptyLines: true });
    expect(download.suggestedFilename()).toBe('predictions.csv');
    expect(parsed.data[0]).toEqual(['file', 'predicted', 'confidence', 'expected', 'correct', 'error', 'p(blue)', 'p(red)']);
    expect(parsed.data).toHaveLength(14);
    expect(parsed.data.find((row) => row[0] === 'check/blue/broken.png')?.[5]).toMatch(/not a readable image/);
  });

  it('3b. cancels a large upload after the batch in flight, keeping the rows done', async () => {
    await page.getByTestId('batch-folder-input').setInputFiles(many);
    await page.getByTestId('batch-cancel').click();
    await expect
      .poll(() => page.getByTestId('batch-summary').textContent(), { timeout: 30_000 })
      .toMatch(/Cancelled after \d+ of 600 pictures/);
    const shown = Number(/Showing (\d+) of/.exec((await page.getByTestId('batch-shown').textContent())!)![1]);
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(600);
    expect(shown % 32).toBe(0); // whole batches only
    await screenshot(page, 'use-3c-batch-cancelled');
  });

  it('4. suggests labels for the Unlabelled pictures, accepts one, then all above a threshold, and undoes', async () => {
    await page.getByTestId('try-tab-suggest').click();
    await page.getByTestId('suggest-start').click();
    await expect.poll(() => page.getByTestId('suggest-item').count(), { timeout: 20_000 }).toBe(4);
    for (const item of await page.getByTestId('suggest-item').all()) {
      const text = (await item.textContent())!.trim();
      expect(text).toContain(text.startsWith('red') ? 'red ·' : 'blue ·');
    }
    await screenshot(page, 'use-4-suggestions');
    // The first one goes to the other class than suggested: a person's choice wins.
    const first = page.getByTestId('suggest-item').first();
    const fileName = (await first.locator('.file').textContent())!;
    const other = fileName.startsWith('red') ? 'blue' : 'red';
    await first.getByTestId('suggest-class').selectOption({ label: other });
    await first.getByTestId('suggest-accept').click();
    await expect.poll(() => page.getByTestId('suggest-item').count()).toBe(3);
    expect(await page.getByTestId('suggest-notice').textContent()).toBe(`Labelled “${fileName}” as ${other}.`);
    await page.getByTestId('suggest-threshold').fill('0');
    expect(await page.getByTestId('suggest-accept-all').textContent()).toContain('Accept 3 suggestions');
    await page.getByTestId('suggest-accept-all').click();
    await expect.poll(() => page.getByTestId('suggest-notice').textContent()).toBe('Labelled 3 pictures.');
    expect(await page.getByTestId('suggest-empty').isVisible()).toBe(true);
    await screenshot(page, 'use-4b-suggestions-accepted');
    await page.getByTestId('suggest-undo').click();
    await expect.poll(() => page.getByTestId('suggest-item').count(), { timeout: 20_000 }).toBe(3);
    await screenshot(page, 'use-4c-suggestions-undone');
  });
});
