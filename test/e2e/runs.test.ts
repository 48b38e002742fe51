// The runs table through the real UI in Debian's Chromium against the real browser host: two
// tiny runs trained from the UI (live charts while training), then sort, rename, star, compare
// (curves overlaid, differing settings highlighted), stop and resume, and delete.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeUi, openUi, screenshot, startHost, type Ui } from '../helpers/browser';
import { writeShapeDataset } from '../helpers/shapes';
import { tempDir } from '../helpers/temp';

let ui: Ui;
let page: Page;
let shapesDir: string;
let dataDir: string;

beforeAll(async () => {
  const shapes = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 16, size: 24, seed: 8 });
  dataDir = tempDir();
  ui = await openUi(dataDir);
  page = ui.page;
  shapesDir = shapes;
});

afterAll(() => closeUi(ui));

const rows = () => page.getByTestId('run-row');
const names = () => rows().getByTestId('run-name').allTextContents();
const row = (name: string) => rows().filter({ has: page.getByTestId('run-name').getByText(name, { exact: true }) });

/** Sets the Small CNN's training settings on the Model screen, then presses Train. */
async function train(settings: { epochs: number; learningRate: string }): Promise<void> {
  await page.getByTestId('nav-model').click();
  await page.getByTestId('preset-small-cnn').click();
  await page.getByTestId('input-width').fill('24');
  await page.getByTestId('input-height').fill('24');
  await page.getByTestId('epochs-input').fill(String(settings.epochs));
  await page.getByTestId('batch-size-input').fill('16');
  await page.getByTestId('learning-rate-input').fill(settings.learningRate);
  await page.getByTestId('save-and-train').click();
  await expect.poll(() => page.getByTestId('train-screen').isVisible()).toBe(true);
  await page.getByTestId('train-button').click();
}

describe('runs table in the UI', () => {
  it('1. trains two runs from the UI, with live charts while training', async () => {
    await page.goto(ui.host.url);
    await page.getByTestId('project-name-input').fill('Runs');
    await page.getByTestId('create-project').click();
    await expect.poll(() => page.getByTestId('current-project').textContent()).toContain('Runs');
    await page.getByTestId('nav-data').click();
    await page.getByTestId('import-folder-input').setInputFiles(shapesDir);
    await expect.poll(() => page.getByTestId('class-card').count(), { timeout: 60_000 }).toBe(3);

    await train({ epochs: 8, learningRate: '0.002' });
    await expect.poll(() => page.getByTestId('progress-epoch').textContent(), { timeout: 60_000 }).toMatch(/\b[3-8] of 8\b/);
    await screenshot(page, 'runs-1a-live-charts');
    await expect.poll(() => page.getByTestId('run-status').getAttribute('data-status'), { timeout: 120_000 }).toBe('completed');

    await train({ epochs: 5, learningRate: '0.01' });
    // Run 1's "completed" is still on screen until Run 2 is listed: wait for Run 2, then for its end.
    await expect.poll(names, { timeout: 30_000 }).toEqual(['Run 2', 'Run 1']);
    await expect.poll(() => rows().first().textContent(), { timeout: 120_000 }).toMatch(/5 of 5/);
    await expect.poll(() => page.getByTestId('run-status').getAttribute('data-status'), { timeout: 120_000 }).toBe('completed');
  });

  it('2. sorts, renames and stars runs', async () => {
    await page.getByTestId('sort-epochs').click(); // most epochs first
    expect(await names()).toEqual(['Run 1', 'Run 2']);
    await page.getByTestId('sort-epochs').click();
    expect(await names()).toEqual(['Run 2', 'Run 1']);
    expect(await page.getByTestId('sort-epochs').locator('..').getAttribute('aria-sort')).toBe('ascending');

    await row('Run 1').getByTestId('rename-button').click();
    await page.getByTestId('rename-input').fill('Slow and steady');
    await page.getByTestId('rename-input').press('Enter');
    await expect.poll(names).toEqual(['Run 2', 'Slow and steady']);
    await page.getByTestId('sort-name').click();
    expect(await names()).toEqual(['Run 2', 'Slow and steady']);
    // An empty name is refused with the reason; Escape leaves the name as it was.
    await row('Run 2').getByTestId('rename-button').click();
    await page.getByTestId('rename-input').fill('   ');
    await page.getByTestId('rename-input').press('Enter');
    await expect.poll(() => page.getByTestId('runs-error').textContent()).toContain('A name cannot be empty.');
    await page.getByTestId('rename-input').press('Escape');
    expect(await page.getByTestId('rename-input').count()).toBe(0);
    expect(await names()).toEqual(['Run 2', 'Slow and steady']);

    // Starred runs come first whatever the order.
    await row('Slow and steady').getByTestId('star-button').click();
    await expect.poll(names).toEqual(['Slow and steady', 'Run 2']);
    await page.getByTestId('starred-only').check();
    expect(await names()).toEqual(['Slow and steady']);
    await page.getByTestId('starred-only').uncheck();
    await page.getByTestId('runs-table').scrollIntoViewIfNeeded();
    await screenshot(page, 'runs-2-table');
  });

  it('3. compares two runs: curves overlaid and the settings that differ highlighted', async () => {
    expect(await page.getByTestId('compare-button').isDisabled()).toBe(true);
    for (const check of await page.getByTestId('compare-check').all()) await check.check();
    await page.getByTestId('compare-button').click();
    const compare = page.getByTestId('run-compare');
    await expect.poll(() => compare.isVisible()).toBe(true);
    const differing = await compare.getByTestId('setting-differs').allInnerTexts();
    expect(differing.map((text) => text.replace(/\s+/g, ' ').trim())).toEqual([
      'Training › learning rate 0.002 0.01',
      'Training › epochs 8 5',
    ]);
    expect(await compare.getByTestId('same-settings').textContent()).toMatch(/\d+ settings are the same in every run/);
    await expect.poll(() => compare.getByTestId('compare-loss-chart').locator('canvas').count()).toBeGreaterThan(0);
    // The legend names each run by its colour.
    expect(await compare.getByTestId('compare-legend').textContent()).toMatch(/Slow and steady\s*Run 2/);
    await compare.scrollIntoViewIfNeeded();
    await screenshot(page, 'runs-3-compare');
    await page.getByTestId('close-compare').click();
    expect(await compare.count()).toBe(0);
  });

  it('4. stops a run and resumes it from the table', async () => {
    await train({ epochs: 400, learningRate: '0.002' });
    await expect.poll(() => page.getByTestId('progress-epoch').textContent(), { timeout: 60_000 }).toMatch(/\b([2-9]|\d{2,}) of 400\b/);
    await page.getByTestId('stop-button').click();
    await expect.poll(() => page.getByTestId('run-status').getAttribute('data-status'), { timeout: 60_000 }).toBe('stopped');
    const stoppedAt = Number((await row('Run 3').textContent())!.match(/(\d+) of 400/)![1]);
    await row('Run 3').getByTestId('resume-button').click();
    await expect.poll(() => row('Run 3').getAttribute('data-status'), { timeout: 60_000 }).toBe('running');
    await expect
      .poll(async () => Number((await row('Run 3').textContent())!.match(/(\d+) of 400/)![1]), { timeout: 60_000 })
      .toBeGreaterThan(stoppedAt);

    // A training run cannot be deleted; the app says why.
    await row('Run 3').getByTestId('delete-button').click();
    await expect.poll(() => page.getByTestId('runs-error').textContent()).toBe('"Run 3" is training. Stop it first, then delete it.');
    await page.getByTestId('runs-table').scrollIntoViewIfNeeded();
    await screenshot(page, 'runs-4-resumed');
    await page.getByTestId('stop-button').click();
    await expect.poll(() => row('Run 3').getAttribute('data-status'), { timeout: 60_000 }).toBe('stopped');
  });

  it('5. deletes a run after asking', async () => {
    await row('Run 2').getByTestId('delete-button').click();
    await expect.poll(() => page.getByTestId('confirm-row').textContent()).toContain('Delete Run 2 with its weights and files?');
    await page.getByTestId('confirm-row').scrollIntoViewIfNeeded();
    await screenshot(page, 'runs-5a-confirm-delete');
    await page.getByTestId('confirm-delete').click();
    await expect.poll(names).toEqual(['Slow and steady', 'Run 3']);
    // Gone for good: a fresh page (the app opens on the projects screen) lists the same runs.
    await page.goto(ui.host.url);
    await page.getByTestId('project-open').filter({ hasText: 'Runs' }).click();
    await page.getByTestId('nav-train').click();
    await expect.poll(names).toEqual(['Slow and steady', 'Run 3']);
    await screenshot(page, 'runs-5b-deleted');
  });

  it('6. after the app is killed mid-run, shows the run interrupted and resumes it', async () => {
    await train({ epochs: 300, learningRate: '0.002' });
    await expect.poll(() => page.getByTestId('progress-epoch').textContent(), { timeout: 60_000 }).toMatch(/\b([3-9]|\d{2,}) of 300\b/);
    // A crash of the whole app: its training process follows it (it exits when its parent is gone).
    ui.host.process.kill('SIGKILL');
    await new Promise((resolve) => ui.host.process.once('exit', resolve));
    ui.host = await startHost(dataDir);
    await page.goto(ui.host.url);
    await page.getByTestId('project-open').filter({ hasText: 'Runs' }).click();
    await page.getByTestId('nav-train').click();
    await expect.poll(() => row('Run 4').getAttribute('data-status')).toBe('interrupted');
    await row('Run 4').getByTestId('run-name').click();
    expect(await page.getByTestId('run-status').textContent()).toMatch(
      /^Interrupted after \d+ of 300 epochs\. Capa closed or crashed while this run was training\. Resume it to continue/,
    );
    const cutAt = Number((await row('Run 4').textContent())!.match(/(\d+) of 300/)![1]);
    expect(cutAt).toBeGreaterThanOrEqual(2);
    await screenshot(page, 'runs-6a-interrupted');
    await row('Run 4').getByTestId('resume-button').click();
    await expect
      .poll(async () => Number((await row('Run 4').textContent())!.match(/(\d+) of 300/)![1]), { timeout: 60_000 })
      .toBeGreaterThan(cutAt);
    await screenshot(page, 'runs-6b-resumed-after-crash');
    await page.getByTestId('stop-button').click();
    await expect.poll(() => row('Run 4').getAttribute('data-status'), { timeout: 60_000 }).toBe('stopped');
  });
});
