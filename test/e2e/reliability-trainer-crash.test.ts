// The training process crashing on its own (SIGKILL to it, not to the app) while a person
// watches: the Train screen says the run was interrupted and why, without a reload; the app
// stays up and answers; Resume continues the run from its last finished epoch.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import { presetById } from '../../common/model/presets';
import { closeUi, openUi, screenshot, type Ui } from '../helpers/browser';
import { writeShapeDataset } from '../helpers/shapes';
import { tempDir } from '../helpers/temp';

let ui: Ui;
let page: Page;

/** Child processes of `pid` (Linux /proc): the browser host's only child is its training process. */
function childrenOf(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
}

beforeAll(async () => {
  const shapes = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 16, size: 24, seed: 4 });
  const dataDir = tempDir();
  // The project is made through the service; the UI part is what this test is about.
  const service = createCapaService({ dataDir, host: 'browser' });
  const { id: projectId } = await callOrThrow(service, 'createProject', { name: 'Trainer crash' });
  await callOrThrow(service, 'importPaths', { projectId, paths: [shapes] });
  await callOrThrow(service, 'saveSpec', {
    projectId,
    spec: presetById('small-cnn')!.build({ width: 24, height: 24, channels: 3, resize: 'squash' }, { epochs: 300, batch_size: 16 }),
  });
  await service.close();
  ui = await openUi(dataDir);
  page = ui.page;
});

afterAll(() => closeUi(ui));

const epochsDone = async () => Number((await page.getByTestId('run-row').first().textContent())!.match(/(\d+) of 300/)![1]);

describe('the training process crashes', () => {
  it('shows the run interrupted at once, keeps the app up, and resumes it', async () => {
    await page.goto(ui.host.url);
    await page.getByTestId('project-open').filter({ hasText: 'Trainer crash' }).click();
    await page.getByTestId('nav-train').click();
    await page.getByTestId('train-button').click();
    await expect.poll(() => page.getByTestId('progress-epoch').textContent(), { timeout: 60_000 }).toMatch(/\b([3-9]|\d{2,}) of 300\b/);

    const trainers = childrenOf(ui.host.process.pid!);
    expect(trainers).toHaveLength(1);
    process.kill(trainers[0]!, 'SIGKILL');
    await expect.poll(() => page.getByTestId('run-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('interrupted');
    expect(await page.getByTestId('run-status').textContent()).toMatch(
      /The training process stopped unexpectedly \(exit code 9\)\..*Resume it to continue after its last finished epoch\./,
    );
    await screenshot(page, 'reliability-trainer-crash-1-interrupted');

    // The app is still up and answers: another screen, and back.
    expect(ui.host.process.exitCode).toBeNull();
    await page.getByTestId('nav-data').click();
    await expect.poll(() => page.getByTestId('class-card').count()).toBe(3);
    await page.getByTestId('nav-train').click();
    const cutAt = await epochsDone();
    await page.getByTestId('resume-button').first().click();
    await expect.poll(epochsDone, { timeout: 60_000 }).toBeGreaterThan(cutAt);
    await screenshot(page, 'reliability-trainer-crash-2-resumed');
    await page.getByTestId('stop-button').click();
    await expect.poll(() => page.getByTestId('run-row').first().getAttribute('data-status'), { timeout: 60_000 }).toBe('stopped');
  });
});
