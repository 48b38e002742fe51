// Results a newcomer reads at a glance (issue 20, items 10 and 8), in English and Spanish in
// Chromium against the real browser host. Try's "Is this right?" (as Lobe has it): after one
// picture's prediction the right class is chosen (the model's answer by default) and one click adds
// the picture to the data set with that label; the same picture again is a duplicate. The top
// answer's bar is the neutral accent, not a class colour. A finished run on the Train screen points
// to Evaluate with a button.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCapaService } from '../../main/core/service/service';
import { closeUi, openUi, screenshot, type Ui } from '../helpers/browser';
import { trainColourProject, writeColourDataset } from '../helpers/colours';
import { tempDir } from '../helpers/temp';

let ui: Ui;
let page: Page;
let check: string;

beforeAll(async () => {
  const userData = tempDir('capa-e2e-try-confirm-');
  const dataDir = join(userData, 'projects');
  const service = createCapaService({ dataDir, host: 'browser' });
  try {
    await trainColourProject(service, 'Colours', await writeColourDataset(join(tempDir(), 'colours'), 16), 6);
  } finally {
    await service.close();
  }
  check = await writeColourDataset(join(tempDir(), 'check'), 3, 9);
  ui = await openUi(dataDir, { hostArgs: ['--settings-file', join(userData, 'settings.json')] });
  page = ui.page;
  await page.goto(ui.host.url);
}, 240_000);

afterAll(() => closeUi(ui));

async function openProject(): Promise<void> {
  await page.getByTestId('nav-projects').click();
  await page.getByTestId('project-open').filter({ hasText: 'Colours' }).click();
}

const redCount = async () =>
  Number((await page.getByTestId('class-card').filter({ hasText: 'red' }).getByTestId('class-count').textContent())!.replace(/\D/g, ''));

async function predict(file: string): Promise<void> {
  await page.getByTestId('nav-try').click();
  await page.getByTestId('try-file-input').setInputFiles(file);
  await expect.poll(() => page.getByTestId('prediction-best').textContent(), { timeout: 20_000 }).toBe('red');
}

const WORDS = {
  en: {
    yes: 'Yes, red',
    no: 'No, it is blue',
    add: 'Add to the data as red',
    added: (n: string) => `Added “${n}” to the data set as red.`,
    dup: (n: string) => `“${n}” is already in the data set (in red).`,
  },
  es: {
    yes: 'Sí, red',
    no: 'No, es blue',
    add: 'Añadir a los datos como red',
    added: (n: string) => `Se añadió «${n}» al conjunto de datos como red.`,
    dup: (n: string) => `«${n}» ya está en el conjunto de datos (en red).`,
  },
} as const;

const NEXT = {
  en: {
    done: 'Training finished. See where the model is right and where it is wrong:',
    evaluate: 'Evaluate this model',
    title: 'Evaluate',
  },
  es: {
    done: 'El entrenamiento terminó. Mira en qué acierta el modelo y en qué se equivoca:',
    evaluate: 'Evaluar este modelo',
    title: 'Evaluar',
  },
} as const;

describe('Try: is this right?', () => {
  for (const [language, words] of Object.entries(WORDS) as [keyof typeof WORDS, (typeof WORDS)['en']][]) {
    it(`adds the predicted picture to the data set with the right label in one click (${language})`, async () => {
      await page.getByTestId('nav-preferences').click();
      await page.getByTestId('language-select').selectOption(language);
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language);
      await openProject();
      const before = await redCount();
      const name = language === 'en' ? 'red-1.png' : 'red-2.png';
      await predict(join(check, 'red', name));

      // The top answer's bar is the accent, not the class's colour.
      const fills = page.getByTestId('prediction-bars').locator('.fill');
      const [accent, top] = await Promise.all([
        page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()),
        fills.first().evaluate((el) => el.getAttribute('style') ?? ''),
      ]);
      expect(accent).not.toBe('');
      expect(top).toContain('var(--accent)');

      const select = page.getByTestId('try-confirm-class');
      expect(await select.locator('option').allTextContents()).toEqual(expect.arrayContaining([words.yes, words.no]));
      expect(await select.locator('option:checked').textContent()).toBe(words.yes);
      expect(await page.getByTestId('try-confirm-add').textContent()).toBe(words.add);
      await screenshot(page, `try-confirm-${language}-1-asked`);
      await page.getByTestId('try-confirm-add').click();
      await expect.poll(() => page.getByTestId('try-confirm-notice').textContent()).toBe(words.added(name));
      expect(await page.getByTestId('try-confirm-add').isDisabled()).toBe(true);
      await screenshot(page, `try-confirm-${language}-2-added`);

      await page.getByTestId('nav-data').click();
      await expect.poll(redCount).toBe(before + 1);

      // The same picture again is already there, and says where.
      await predict(join(check, 'red', name));
      await page.getByTestId('try-confirm-add').click();
      await expect.poll(() => page.getByTestId('try-confirm-notice').textContent()).toBe(words.dup(name));
      await page.getByTestId('nav-data').click();
      await expect.poll(redCount).toBe(before + 1);
    });

    it(`points from a finished run on the Train screen to Evaluate (${language})`, async () => {
      await page.getByTestId('nav-train').click();
      const next = page.getByTestId('train-next');
      await expect.poll(() => next.locator('span').textContent()).toBe(NEXT[language].done);
      expect(await page.getByTestId('train-go-evaluate').textContent()).toBe(NEXT[language].evaluate);
      await screenshot(page, `train-next-${language}`);
      await page.getByTestId('train-go-evaluate').click();
      await expect.poll(() => page.locator('main h1').first().textContent()).toBe(NEXT[language].title);
    });
  }
});
