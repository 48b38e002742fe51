// The Data screen through the real UI in Debian's Chromium, against the real browser host with a
// fresh data folder: import a folder of class folders, move pictures with the keyboard and by
// dragging, select with clicks, shift, ctrl and a drag box, delete and undo, rename, recolour,
// merge and delete classes, filter and search, open large, record from a (fake) webcam, scroll a
// virtualised grid of hundreds of pictures, cancel an import, and export. Screenshots of each state.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeUi, openUi, screenshot, type Ui } from '../helpers/browser';
import { writeShapeDataset } from '../helpers/shapes';
import { tempDir } from '../helpers/temp';

let ui: Ui;
let page: Page;
let dataDir: string;
let shapes: string;

/** A flat folder of `count` small PNGs, each with different bytes (a flat folder becomes one class). */
async function writeFlatFolder(dir: string, count: number): Promise<string> {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const background = { r: i % 256, g: (Math.floor(i / 256) * 40) % 256, b: 90 };
    await sharp({ create: { width: 12, height: 12, channels: 3, background } })
      .png()
      .toFile(join(dir, `img-${i}.png`));
  }
  return dir;
}

beforeAll(async () => {
  dataDir = tempDir();
  shapes = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 12, size: 40, seed: 11 });
  // A fake camera, allowed without a prompt, for the webcam capture.
  ui = await openUi(dataDir, { chromiumArgs: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] });
  page = ui.page;
});

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await screenshot(page, `data-failed-${task.name.split('.')[0]}`);
});

afterAll(() => closeUi(ui));

const card = (name: string) => page.locator(`[data-testid="class-card"][data-class-name="${name}"]`);
const countOf = async (name: string) => Number((await card(name).getByTestId('class-count').textContent())!.replace(/,/g, ''));
const unlabelledCount = async () =>
  Number((await page.getByTestId('unlabelled-card').getByTestId('class-count').textContent())!.replace(/,/g, ''));
const gridTotal = async () => Number(await page.getByTestId('grid-area').getAttribute('data-total'));
const cell = (index: number) => page.locator(`[data-testid="grid-cell"][data-index="${index}"]`);
const selectionCount = async () =>
  (await page.getByTestId('selection-bar').isVisible()) ? await page.getByTestId('selection-count').textContent() : '0 pictures selected';
const show = async (name: string) => {
  await card(name).getByTestId('class-show').click();
  await expect.poll(gridTotal).toBe(await countOf(name));
};

describe('the Data screen', () => {
  it('1. shows what to do in an empty project, then imports a folder of class folders', async () => {
    await page.goto(ui.host.url);
    await page.getByTestId('project-name-input').fill('Shapes');
    await page.getByTestId('create-project').click();
    await expect.poll(() => page.getByTestId('data-empty').isVisible()).toBe(true);
    await screenshot(page, 'data-1-empty');

    await page.getByTestId('import-folder-input').setInputFiles(shapes);
    await expect.poll(() => page.getByTestId('import-imported').textContent(), { timeout: 60_000 }).toContain('36 pictures imported');
    await expect.poll(() => page.getByTestId('class-card').count()).toBe(3);
    for (const name of ['circle', 'square', 'triangle']) expect(await countOf(name)).toBe(12);
    await expect.poll(gridTotal).toBe(36);
    await expect
      .poll(() =>
        page
          .getByTestId('thumbnail')
          .first()
          .evaluate((img) => (img as HTMLImageElement).naturalWidth),
      )
      .toBeGreaterThan(0);
    const splits = (await page.getByTestId('split-counts').textContent())!;
    const [train, validation, test] = [...splits.matchAll(/(\d+)/g)].map((m) => Number(m[1]));
    expect(train! + validation! + test!).toBe(36);
    await screenshot(page, 'data-2-imported');
  });

  it('2. moves a shift-click range to a class made for it, with the class number key', async () => {
    await show('circle');
    await cell(0).click();
    await cell(3).click({ modifiers: ['Shift'] });
    await expect.poll(selectionCount).toBe('4 pictures selected');
    // Making a class keeps the selection, so the pictures can go straight into it.
    await page.getByTestId('class-name-input').fill('other');
    await page.getByTestId('add-class').click();
    await expect.poll(() => card('other').count()).toBe(1);
    expect(await selectionCount()).toBe('4 pictures selected');
    // A class without pictures cannot be trained: the screen says so, in words.
    await expect.poll(() => page.getByTestId('dataset-warnings').textContent()).toMatch(/other/);
    const key = Number(await card('other').getByTestId('class-key').textContent());
    expect(key).toBe(4);
    await page.getByTestId('image-grid').focus();
    await screenshot(page, 'data-3-range-selected');
    await page.keyboard.press(String(key));
    await expect.poll(() => countOf('other')).toBe(4);
    expect(await countOf('circle')).toBe(8);
    await expect.poll(gridTotal).toBe(8);
    await expect.poll(() => page.getByTestId('undo-description').textContent()).toMatch(/other|4/);
    await screenshot(page, 'data-4-moved-by-key');
  });

  it('3. toggles pictures with ctrl-click and drags them onto another card', async () => {
    await cell(0).click();
    await cell(2).click({ modifiers: ['Control'] });
    await cell(5).click({ modifiers: ['Control'] });
    await cell(5).click({ modifiers: ['Control'] });
    await expect.poll(selectionCount).toBe('2 pictures selected');
    await cell(0).dragTo(card('square'));
    await expect.poll(() => countOf('square')).toBe(14);
    expect(await countOf('circle')).toBe(6);
    await screenshot(page, 'data-5-dragged');
  });

  it('4. selects with a drag box from the background, deletes with the Delete key, and undoes it', async () => {
    await show('square');
    await page.getByTestId('image-grid').evaluate((el) => el.scrollIntoView({ block: 'end' }));
    const first = (await cell(0).boundingBox())!;
    const columns = Number(
      await page.locator('[data-testid="grid-cell"]').evaluateAll((cells) => new Set(cells.map((c) => (c as HTMLElement).style.left)).size),
    );
    expect(columns).toBeGreaterThan(3);
    // From the empty space below the two rows, up and left across three columns of both rows.
    await page.mouse.move(first.x + 4, first.y + 2 * first.height + 60);
    await page.mouse.down();
    await page.mouse.move(first.x + 2.5 * first.width, first.y + 10, { steps: 8 });
    await expect.poll(() => page.getByTestId('selection-box').isVisible()).toBe(true);
    await screenshot(page, 'data-6-drag-box');
    await page.mouse.up();
    await expect.poll(selectionCount).toBe('6 pictures selected');

    await page.keyboard.press('Delete');
    await expect.poll(() => countOf('square')).toBe(8);
    await expect.poll(() => page.getByTestId('undo-description').textContent()).toMatch(/6/);
    await screenshot(page, 'data-7-deleted');
    await page.keyboard.press('Control+z');
    await expect.poll(() => countOf('square')).toBe(14);
    await expect.poll(gridTotal).toBe(14);
    await expect
      .poll(() =>
        cell(0)
          .locator('img')
          .evaluate((img) => (img as HTMLImageElement).naturalWidth),
      )
      .toBeGreaterThan(0);
    await screenshot(page, 'data-8-undone');
  });

  it('5. renames, recolours, merges and deletes classes', async () => {
    await card('other').getByTestId('class-rename').click();
    await card('other').getByTestId('class-rename-input').fill('misc');
    await card('other').getByTestId('class-rename-save').click();
    await expect.poll(() => card('misc').count()).toBe(1);

    await card('misc').getByTestId('class-color').fill('#d62828');
    await expect.poll(() => card('misc').getByTestId('class-color').inputValue()).toBe('#d62828');
    // The colour is stored: it is still there after the page is loaded again.
    await page.reload();
    await page.getByTestId('project-open').filter({ hasText: 'Shapes' }).click();
    await expect.poll(() => card('misc').getByTestId('class-color').inputValue()).toBe('#d62828');

    await card('misc').getByTestId('class-merge').click();
    await card('misc').getByTestId('class-merge-target').selectOption({ label: 'circle' });
    await screenshot(page, 'data-9-merge');
    await card('misc').getByTestId('class-merge-confirm').click();
    await expect.poll(() => card('misc').count()).toBe(0);
    expect(await countOf('circle')).toBe(10);

    await card('triangle').getByTestId('class-delete').click();
    await screenshot(page, 'data-10-delete-confirm');
    await card('triangle').getByTestId('class-delete-keep').click();
    await expect.poll(() => card('triangle').count()).toBe(0);
    expect(await unlabelledCount()).toBe(12);
    await page.getByTestId('undo').click();
    await expect.poll(() => card('triangle').count()).toBe(1);
    expect(await countOf('triangle')).toBe(12);
    expect(await unlabelledCount()).toBe(0);

    await card('triangle').getByTestId('class-delete').click();
    await card('triangle').getByTestId('class-delete-with-images').click();
    await expect.poll(() => card('triangle').count()).toBe(0);
    expect(await unlabelledCount()).toBe(0);
    await page.getByTestId('show-all').click();
    await expect.poll(gridTotal).toBe(24);
    await screenshot(page, 'data-11-classes-edited');
  });

  it('6. filters by split, size and class, and searches file names', async () => {
    await page.getByTestId('filter-search').fill('square-1');
    // square-1, square-10 and square-11 are the names with "square-1" in them.
    await expect.poll(gridTotal).toBe(3);
    await screenshot(page, 'data-12-search');
    await page.getByTestId('filter-search').fill('');
    await expect.poll(gridTotal).toBe(24);

    await page.getByTestId('filter-split').selectOption('train');
    await expect.poll(gridTotal).toBeLessThan(24);
    const trainTotal = await gridTotal();
    expect(trainTotal).toBeGreaterThan(0);
    await page.getByTestId('filter-class').selectOption({ label: 'circle' });
    await expect.poll(gridTotal).toBeLessThanOrEqual(trainTotal);
    await page.getByTestId('filter-min-side').fill('41');
    await page.getByTestId('filter-min-side').press('Tab');
    await expect.poll(() => page.getByTestId('grid-empty').textContent()).toContain('No picture matches');
    await screenshot(page, 'data-13-filtered-empty');
    await page.getByTestId('filter-clear').click();
    await expect.poll(gridTotal).toBe(10);
    await page.getByTestId('filter-class').selectOption({ label: 'Every class' });
    await expect.poll(gridTotal).toBe(24);
  });

  it('7. re-balances the splits and pins pictures and a whole import to a split', async () => {
    const splitCount = async (name: string) =>
      Number(new RegExp(`${name}\\s+(\\d+)`).exec((await page.getByTestId('split-counts').textContent())!)![1]);
    await page.getByTestId('split-settings').locator('summary').click();
    await page.getByTestId('share-train').fill('50');
    await page.getByTestId('share-validation').fill('25');
    await page.getByTestId('share-test').fill('26');
    await page.getByTestId('share-apply').click();
    await expect.poll(() => page.getByTestId('split-settings').getByRole('alert').textContent()).toContain('add up to 101');
    await page.getByTestId('share-test').fill('25');
    await page.getByTestId('share-apply').click();
    // 24 labelled pictures, half of each class (10 and 14) for training.
    await expect.poll(() => splitCount('Training')).toBe(12);
    expect((await splitCount('Validation')) + (await splitCount('Test'))).toBe(12);
    await screenshot(page, 'data-13b-splits');

    await page.getByTestId('filter-split').selectOption('train');
    await expect.poll(gridTotal).toBe(12);
    await cell(0).click();
    await cell(1).click({ modifiers: ['Shift'] });
    await page.getByTestId('selection-pin').selectOption('test');
    await expect.poll(() => page.getByTestId('action-notice').textContent()).toContain('Pinned 2 pictures to test');
    await expect.poll(gridTotal).toBe(10);
    expect(await splitCount('Training')).toBe(10);

    // The import that brought the shapes in, pinned to test as a whole.
    await page.getByTestId('batch-pin').first().selectOption('test');
    await expect.poll(() => splitCount('Test')).toBe(24);
    await expect.poll(gridTotal).toBe(0);
    await page.getByTestId('batch-pin').first().selectOption('');
    await page.getByTestId('filter-split').selectOption('');
    await page.getByTestId('split-settings').locator('summary').click();
    await expect.poll(gridTotal).toBe(24);
  });

  it('8. opens a picture large, steps with the arrows, and labels it from there', async () => {
    await cell(1).dblclick();
    await expect.poll(() => page.getByTestId('lightbox').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('lightbox-image').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(40);
    const before = await page.getByTestId('lightbox-name').textContent();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('lightbox-name').textContent()).not.toBe(before);
    await screenshot(page, 'data-14-lightbox');
    await page.keyboard.press('0');
    await expect.poll(unlabelledCount).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('lightbox').count()).toBe(0);
  });

  it('9. records a burst from the webcam into a class', async () => {
    await page.getByTestId('webcam-open').click();
    await page.getByTestId('webcam-class').selectOption({ label: 'square' });
    await expect.poll(() => page.getByTestId('webcam-record').isEnabled(), { timeout: 20_000 }).toBe(true);
    const squares = await countOf('square');
    const button = (await page.getByTestId('webcam-record').boundingBox())!;
    await page.mouse.move(button.x + button.width / 2, button.y + button.height / 2);
    await page.mouse.down();
    await expect.poll(() => page.getByTestId('webcam-count').textContent()).toMatch(/^([4-9]|\d{2,}) pictures/);
    await screenshot(page, 'data-15-webcam-recording');
    await page.mouse.up();
    const taken = Number((await page.getByTestId('webcam-count').textContent())!.match(/\d+/)![0]);
    await expect.poll(() => countOf('square'), { timeout: 30_000 }).toBe(squares + taken);
    await page.getByTestId('webcam-close').click();
  });

  it('10. scrolls a virtualised grid of 700 pictures, drawing only the rows on screen', async () => {
    const big = await writeFlatFolder(join(tempDir(), 'big'), 700);
    await page.getByTestId('import-folder-input').setInputFiles(big);
    // A flat folder asks where its pictures go: here, a new class named after it.
    await page.getByTestId('flat-as-class').click();
    await expect.poll(() => page.getByTestId('import-imported').textContent(), { timeout: 120_000 }).toContain('700 pictures imported');
    await show('big');
    const drawn = await page.getByTestId('grid-cell').count();
    expect(drawn).toBeGreaterThan(0);
    expect(drawn).toBeLessThan(200);
    await page.getByTestId('image-grid').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect.poll(() => cell(699).locator('img').count()).toBe(1);
    expect(await page.getByTestId('grid-cell').count()).toBeLessThan(200);
    expect(await cell(0).count()).toBe(0);
    await screenshot(page, 'data-17-scrolled-to-end');
    // Ctrl+A selects every picture of the filter, including those never drawn.
    await page.getByTestId('image-grid').focus();
    await page.keyboard.press('Control+a');
    await expect.poll(selectionCount).toBe('700 pictures selected');
    await page.keyboard.press('Escape');
  });

  it('11. cancels an import part-way; what was imported stays', async () => {
    const more = await writeFlatFolder(join(tempDir(), 'more'), 1200);
    await page.getByTestId('import-folder-input').setInputFiles(more);
    await page.getByTestId('flat-as-class').click();
    await expect.poll(() => page.getByTestId('import-done').isVisible(), { timeout: 30_000 }).toBe(true);
    await screenshot(page, 'data-16-import-progress');
    await page.getByTestId('import-cancel').click();
    await expect.poll(() => page.getByTestId('import-report').textContent(), { timeout: 60_000 }).toContain('Import cancelled');
    const imported = Number((await page.getByTestId('import-imported').textContent())!.match(/[\d,]+/)![0]!.replace(/,/g, ''));
    expect(imported).toBeLessThan(1200);
    // Chunks are whole imports: what the report counts is what the project holds.
    const total = imported === 0 ? 0 : await countOf('more');
    expect(total).toBe(imported);
    await page.getByTestId('import-report').scrollIntoViewIfNeeded();
    await screenshot(page, 'data-18-import-cancelled');
  });

  it('12. exports the data set as a zip and the project as an archive, downloadable from the browser', async () => {
    await page.getByTestId('portability').locator('summary').click();
    await page.getByTestId('export-dataset-zip').click();
    await expect.poll(() => page.getByTestId('export-result').textContent(), { timeout: 60_000 }).toContain('Data set (zip)');
    const directory = (await page.getByTestId('export-result-directory').textContent())!.trim();
    expect(directory.startsWith(dataDir)).toBe(true);
    const href = await page.getByTestId('export-download').getAttribute('href');
    const zip = await page.request.get(new URL(href!, ui.host.url).toString());
    expect(zip.ok()).toBe(true);
    expect((await zip.body()).subarray(0, 2).toString()).toBe('PK');

    await page.getByTestId('export-project').click();
    await expect.poll(() => page.getByTestId('export-result').textContent(), { timeout: 60_000 }).toContain('Project archive');
    const archiveDir = (await page.getByTestId('export-result-directory').textContent())!.trim();
    const archiveHref = (await page.getByTestId('export-download').getAttribute('href'))!;
    const archiveName = decodeURIComponent(new URL(archiveHref, ui.host.url).pathname.split('/').pop()!);
    expect(existsSync(join(archiveDir, archiveName))).toBe(true);
    await screenshot(page, 'data-19-exported');

    await page.getByTestId('import-project-path').fill(join(archiveDir, archiveName));
    await page.getByTestId('import-project').click();
    await expect.poll(() => page.getByTestId('import-project-result').textContent(), { timeout: 60_000 }).toContain('Imported the project');
  });
  it('13. imports loose files dropped onto a class card into that class', async () => {
    const files = await Promise.all(
      [1, 2].map(async (i) => [
        ...(await sharp({ create: { width: 20, height: 20, channels: 3, background: { r: 10 * i, g: 200, b: 7 } } })
          .png()
          .toBuffer()),
      ]),
    );
    const before = await countOf('square');
    await page.getByTestId('import-report').getByRole('button', { name: 'Close the import report' }).click();
    // A drop as the browser delivers it: a DataTransfer holding files, on the card's element.
    await card('square').evaluate((element, bytes) => {
      const transfer = new DataTransfer();
      bytes.forEach((b, i) => transfer.items.add(new File([new Uint8Array(b)], `dropped-${i}.png`, { type: 'image/png' })));
      for (const type of ['dragenter', 'dragover', 'drop'])
        element.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, files);
    await expect.poll(() => page.getByTestId('import-imported').textContent(), { timeout: 30_000 }).toContain('2 pictures imported');
    await expect.poll(() => countOf('square')).toBe(before + 2);
    await screenshot(page, 'data-20-dropped-on-card');
  });
  it('14. imports a folder by its path in the background, with progress from the host, and cancels it', async () => {
    const folder = await writeFlatFolder(join(tempDir(), 'ondisk'), 2000);
    await page.getByTestId('import-report').getByRole('button', { name: 'Close the import report' }).click();
    await page.getByTestId('path-import-open').click();
    await page.getByTestId('path-import-input').fill(folder);
    await page.getByTestId('path-import-start').click();
    await page.getByTestId('flat-as-class').click();
    // Progress comes from the host's import events: a count of the whole folder, a rate, time left.
    await expect
      .poll(() => page.getByTestId('import-progress').textContent(), { timeout: 30_000 })
      .toMatch(/Importing [\d,]+ of 2,000 files · [\d,]+ per second/);
    await screenshot(page, 'data-21-path-import-progress');
    await page.getByTestId('import-cancel').click();
    await expect.poll(() => page.getByTestId('import-report').textContent(), { timeout: 60_000 }).toContain('Import cancelled');
    const imported = Number((await page.getByTestId('import-imported').textContent())!.match(/[\d,]+/)![0]!.replace(/,/g, ''));
    expect(imported).toBeLessThan(2000);
    expect(imported === 0 ? 0 : await countOf('ondisk')).toBe(imported);

    // Each import is a batch the grid can be narrowed to.
    await page.getByTestId('filter-class').selectOption({ label: 'Every class' });
    const batch = page.getByTestId('filter-batch');
    const option = await batch.locator('option', { hasText: 'ondisk' }).getAttribute('value');
    await batch.selectOption(option!);
    await expect.poll(gridTotal).toBe(imported);
    await screenshot(page, 'data-22-batch-filter');
  });
});
