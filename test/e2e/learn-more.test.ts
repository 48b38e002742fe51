// Every setting of the Model screen explained, in English and in Spanish, through the real UI in
// Chromium against the real browser host: the presets, the pretrained network and its fine-tuned
// blocks, the input, every layer kind (each added to the stack) and each of its parameters, the
// training settings and the augmentation. For each, the "Learn more" panel opens with a drawn
// picture and the catalogue's words in the screen's language; no text of the other language is
// left on the screen, and axe finds no serious or critical violation with panels open, light or
// dark. The lists come from common/model/explanations.ts, so a new layer or setting is checked
// here too. Screenshots: learn-<en|es>-<place>.png, and each topic's panel learn-topic-<en|es>-<topic>.png.
import { AxeBuilder } from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAYER_FIELDS, LAYER_TOPICS, SETTINGS, type LearnTopic, type SettingSection } from '../../common/model/explanations';
import { LAYER_TYPES } from '../../common/model/layers';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import en from '../../common/messages/en/screens.json';
import es from '../../common/messages/es/screens.json';
import { closeUi, openUi, screenshot, SCREENSHOTS, type Ui } from '../helpers/browser';
import { catalogueTextShown } from '../helpers/catalogue';
import { writeShapeDataset } from '../helpers/shapes';
import { tempDir } from '../helpers/temp';

type Language = 'en' | 'es';
const EXPLAIN = { en: en.explain, es: es.explain };

let ui: Ui;
let page: Page;

// The element that holds each part of the screen's settings.
const SECTION_TEST_IDS: Record<SettingSection, string> = {
  preset: 'preset-picker',
  backbone: 'backbone-picker',
  input: 'input-settings',
  training: 'training-settings',
  augmentation: 'augmentation-settings',
};

beforeAll(async () => {
  const userData = tempDir('capa-e2e-learn-');
  const dataDir = join(userData, 'projects');
  const service = createCapaService({ dataDir, host: 'browser' });
  const project = await callOrThrow(service, 'createProject', { name: 'Shapes' });
  const shapes = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 4, size: 32, seed: 5 });
  await callOrThrow(service, 'importPaths', { projectId: project.id, paths: [shapes] });
  await service.close();
  ui = await openUi(dataDir, { hostArgs: ['--settings-file', join(userData, 'settings.json')] });
  page = ui.page;
  await page.goto(ui.host.url);
  await page.getByTestId('project-open').first().click();
});

afterAll(() => closeUi(ui));

/** Topics whose panel was photographed in each language: each once, as learn-topic-<language>-<topic>.png. */
const photographed = { en: new Set<LearnTopic>(), es: new Set<LearnTopic>() };

/**
 * Opens a topic's panel from a button inside `scope` (unless it is open already) and checks it: the
 * title and text are the catalogue's in `language`, and the picture is drawn, described and visible.
 */
async function openAndCheck(scope: Locator, topic: LearnTopic, language: Language): Promise<Locator> {
  const button = scope.getByTestId(`learn-more-${topic}`).first();
  expect(await button.textContent()).toContain(EXPLAIN[language].topic[topic].title);
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  const panel = scope.locator(`[data-testid="learn-panel"][data-topic="${topic}"]`);
  await expect.poll(() => panel.count()).toBe(1);
  const words = EXPLAIN[language].topic[topic];
  expect(await panel.locator('strong').first().textContent()).toBe(words.title);
  expect(await panel.getByTestId('learn-text').textContent()).toBe(words.text);
  const picture = panel.getByTestId('learn-picture');
  expect(await picture.getAttribute('aria-label')).toBe(words.picture);
  expect(await picture.isVisible()).toBe(true);
  const size = await picture.boundingBox();
  expect(size!.width).toBeGreaterThan(150);
  expect(size!.height).toBeGreaterThan(50);
  // Something is drawn: shapes, not an empty frame.
  expect(await picture.locator('rect, circle, path, line, ellipse, use').count()).toBeGreaterThanOrEqual(3);
  if (!photographed[language].has(topic)) {
    photographed[language].add(topic);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await panel.screenshot({ path: join(SCREENSHOTS, `learn-topic-${language}-${topic}.png`) });
  }
  return panel;
}

/** Serious and critical axe violations on the page as it is. */
async function violations(): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')} ${node.html.slice(0, 160)}`));
}

/** The other language's catalogue text left on the screen. */
const otherLanguageShown = (language: Language) => catalogueTextShown(page, language === 'en' ? 'es' : 'en');

/** Every section's settings: each one's sentence is shown and its topic's panel opens. */
async function checkSections(language: Language, sections: SettingSection[]): Promise<void> {
  for (const [key, setting] of Object.entries(SETTINGS)) {
    if (!sections.includes(setting.section)) continue;
    const section = page.getByTestId(SECTION_TEST_IDS[setting.section]);
    const sentence = EXPLAIN[language].setting[key as keyof typeof SETTINGS];
    expect(await section.textContent(), key).toContain(sentence);
    await openAndCheck(section, setting.topic, language);
  }
}

async function checkEverySetting(language: Language): Promise<void> {
  await page.getByTestId('nav-model').click();
  await expect.poll(() => page.getByTestId('model-screen').isVisible()).toBe(true);

  // The presets, then the pretrained network a transfer-learning model starts from.
  await page.getByTestId('preset-transfer').check();
  await expect.poll(() => page.getByTestId('backbone-picker').isVisible()).toBe(true);
  await checkSections(language, ['preset', 'backbone']);
  await page.getByTestId('backbone-picker').scrollIntoViewIfNeeded();
  await screenshot(page, `learn-${language}-1-fine-tune`);
  expect(await otherLanguageShown(language)).toEqual([]);

  // A model of layers: one of every kind, each explained with its parameters.
  await page.getByTestId('preset-mlp').check();
  await expect.poll(() => page.getByTestId('backbone-picker').count()).toBe(0);
  await checkSections(language, ['input']);
  await page.getByTestId('input-settings').scrollIntoViewIfNeeded();
  await screenshot(page, `learn-${language}-2-input`);
  const before = await page.getByTestId('layer-row').count();
  for (const type of LAYER_TYPES) {
    await page.getByTestId('new-layer-type').selectOption(type);
    await page.getByTestId('add-layer').click();
  }
  await expect.poll(() => page.getByTestId('layer-row').count()).toBe(before + LAYER_TYPES.length);
  for (const [i, type] of LAYER_TYPES.entries()) {
    const row = page.getByTestId('layer-row').nth(before + i);
    expect(await row.getAttribute('data-layer-type')).toBe(type);
    expect(await row.getByTestId('layer-help').textContent()).toContain(EXPLAIN[language].layer[type]);
    for (const topic of LAYER_TOPICS[type]) await openAndCheck(row, topic, language);
    for (const field of LAYER_FIELDS[type]) {
      // Focusing a parameter explains it under the row and offers its topic.
      await row.getByTestId(`field-${field.key}`).locator('input, select, button').first().focus();
      await expect
        .poll(() => row.getByTestId('layer-help').textContent(), { message: `${type}.${field.key}` })
        .toContain(EXPLAIN[language].field[field.help]);
      await openAndCheck(row, field.topic, language);
    }
  }
  const conv = page.locator('[data-testid="layer-row"][data-layer-type="Conv2D"]').last();
  await conv.getByTestId('field-strides').locator('input').first().focus();
  await openAndCheck(conv, 'stride', language);
  await conv.scrollIntoViewIfNeeded();
  await screenshot(page, `learn-${language}-3-layer-stride`);
  const dense = page.locator('[data-testid="layer-row"][data-layer-type="Dense"]').last();
  await dense.getByTestId('field-kernel_regularizer').locator('button').first().focus();
  await openAndCheck(dense, 'regularizer', language);
  await dense.scrollIntoViewIfNeeded();
  await screenshot(page, `learn-${language}-4-layer-regularizer`);

  // Training: SGD shows momentum and Nesterov; both callbacks show what they watch.
  const training = page.getByTestId('training-settings');
  await page.getByTestId('optimizer-select').selectOption('sgd');
  await training.getByTestId('early-stopping').locator('input[type="checkbox"]').first().check();
  await training.getByTestId('reduce-lr').locator('input[type="checkbox"]').first().check();
  await checkSections(language, ['training', 'augmentation']);
  for (const optimizer of ['adam', 'sgd', 'rmsprop', 'adagrad', 'adadelta', 'adamax'] as const) {
    await page.getByTestId('optimizer-select').selectOption(optimizer);
    expect(await training.textContent()).toContain(EXPLAIN[language].optimizer[optimizer]);
  }
  await openAndCheck(training, 'optimizer', language);
  await training.getByTestId('learn-panel').scrollIntoViewIfNeeded();
  await screenshot(page, `learn-${language}-5-optimizer`);
  await openAndCheck(training, 'earlyStopping', language);
  await training.getByTestId('learn-panel').scrollIntoViewIfNeeded();
  await screenshot(page, `learn-${language}-6-early-stopping`);

  // With a panel open in every place, nothing is left in the other language and axe is content, in both themes.
  expect(await otherLanguageShown(language)).toEqual([]);
  expect(await violations()).toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  expect(await violations()).toEqual([]);
  await screenshot(page, `learn-${language}-7-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('Learn more beside every setting of the Model screen', () => {
  it('explains every setting in English', async () => {
    await checkEverySetting('en');
  });

  it('explains every setting in Spanish', async () => {
    await page.getByTestId('nav-preferences').click();
    await page.getByTestId('language-select').selectOption('es');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('es');
    await checkEverySetting('es');
  });
});
