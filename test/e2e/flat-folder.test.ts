// Importing a flat folder (pictures, no sub-folders) asks where they go (issue 20, item 5), in
// English and Spanish in Chromium against the real browser host: a new class named after the
// folder, or Unlabelled; a folder named like Unlabelled ("unlabelled", "Sin clase") offers
// Unlabelled first and filled, by its path as by the folder chooser. In "Delete class" the safe
// choice (move the pictures to Unlabelled) is the first, filled button.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import { closeUi, openUi, screenshot, type Ui } from '../helpers/browser';
import { colourImage, writeColourDataset } from '../helpers/colours';
import { tempDir } from '../helpers/temp';

let ui: Ui;
let page: Page;
let root: string;

/** A folder of `count` pictures and no sub-folders. */
async function flatFolder(name: string, count: number, seed: number): Promise<string> {
  const folder = join(root, name);
  mkdirSync(folder, { recursive: true });
  for (let i = 0; i < count; i++) writeFileSync(join(folder, `pic-${i}.png`), await colourImage(i % 2 ? 'red' : 'blue', seed + i));
  return folder;
}

beforeAll(async () => {
  const userData = tempDir('capa-e2e-flat-');
  const dataDir = join(userData, 'projects');
  root = tempDir();
  const service = createCapaService({ dataDir, host: 'browser' });
  try {
    const project = await callOrThrow(service, 'createProject', { name: 'Flat' });
    await callOrThrow(service, 'importPaths', { projectId: project.id, paths: [await writeColourDataset(join(root, 'seed'), 2)] });
  } finally {
    await service.close();
  }
  ui = await openUi(dataDir, { hostArgs: ['--settings-file', join(userData, 'settings.json')] });
  page = ui.page;
  await page.goto(ui.host.url);
}, 240_000);

afterAll(() => closeUi(ui));

const unlabelledCount = async () =>
  Number((await page.getByTestId('unlabelled-card').getByTestId('class-count').textContent())!.replace(/\D/g, ''));
const classNames = () => page.getByTestId('class-card').getByTestId('class-name').allTextContents();
const buttons = () => page.getByTestId('flat-choice').locator('button');

const CASES = {
  en: {
    unsorted: 'unlabelled',
    named: 'cats',
    asClass: 'A new class “cats”',
    unlabelled: 'Unlabelled (sort them later)',
    keep: 'Move them to Unlabelled',
  },
  es: {
    unsorted: 'Sin clase',
    named: 'gatos',
    asClass: 'Una clase nueva «gatos»',
    unlabelled: 'Sin clase (ordenarlas después)',
    keep: 'Moverlas a Sin clase',
  },
} as const;

describe('a flat folder', () => {
  for (const [language, words] of Object.entries(CASES) as [keyof typeof CASES, (typeof CASES)[keyof typeof CASES]][]) {
    it(`asks where its pictures go; a folder named like Unlabelled defaults to Unlabelled; Delete class keeps the pictures first (${language})`, async () => {
      await page.getByTestId('nav-preferences').click();
      await page.getByTestId('language-select').selectOption(language);
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language);
      await page.getByTestId('nav-projects').click();
      await page.getByTestId('project-open').filter({ hasText: 'Flat' }).click();
      const before = await unlabelledCount();
      const classesBefore = await classNames();

      // By its path: the host says it is flat; Unlabelled comes first and filled.
      const unsorted = await flatFolder(`${language}/${words.unsorted}`, 3, language === 'en' ? 100 : 200);
      await page.getByTestId('path-import-open').click();
      await page.getByTestId('path-import-input').fill(unsorted);
      await page.getByTestId('path-import-start').click();
      await expect
        .poll(() => buttons().allTextContents())
        .toEqual([words.unlabelled, `${words.asClass.replace(words.named, words.unsorted)}`, expect.any(String)]);
      expect(await buttons().first().getAttribute('class')).toContain('primary');
      await screenshot(page, `flat-${language}-1-unlabelled-folder`);
      await page.getByTestId('flat-unlabelled').click();
      await expect.poll(unlabelledCount, { timeout: 30_000 }).toBe(before + 3);
      expect(await classNames()).toEqual(classesBefore);

      // By the folder chooser: a folder with another name offers the new class first.
      const named = await flatFolder(`${language}/${words.named}`, 2, language === 'en' ? 300 : 400);
      await page.getByTestId('import-folder-input').setInputFiles(named);
      await expect.poll(() => buttons().allTextContents()).toEqual([words.asClass, words.unlabelled, expect.any(String)]);
      expect(await buttons().first().getAttribute('class')).toContain('primary');
      await screenshot(page, `flat-${language}-2-named-folder`);
      await page.getByTestId('flat-as-class').click();
      await expect.poll(classNames, { timeout: 30_000 }).toEqual([...classesBefore, words.named]);

      // Delete class: moving the pictures to Unlabelled is first and filled; deleting them is not.
      const card = page.getByTestId('class-card').filter({ hasText: words.named });
      await card.getByTestId('class-delete').click();
      const keep = card.getByTestId('class-delete-keep');
      expect(await keep.textContent()).toBe(words.keep);
      expect(await keep.getAttribute('class')).toContain('primary');
      expect(await card.getByTestId('class-delete-with-images').getAttribute('class')).not.toContain('solid');
      const order = await card.locator('[role="alertdialog"] button').evaluateAll((all) => all.map((b) => b.getAttribute('data-testid')));
      expect(order.indexOf('class-delete-keep')).toBeLessThan(order.indexOf('class-delete-with-images'));
      await screenshot(page, `flat-${language}-3-delete-class`);
      await keep.click();
      await expect.poll(unlabelledCount).toBe(before + 5);
      expect(await classNames()).toEqual(classesBefore);
    });
  }
});
