// The keyboard through the real UI in Chromium against the real browser host. On every screen (Projects
// with the first-run guide, Data with pictures, the picture viewer, Model and its Keras code dialog,
// Train after a real run, Evaluate, each Try tab, Export, Preferences) and in the help overlay, Tab is
// pressed from the top until focus comes round again: every visible enabled control must be reached,
// show a visible focus ring, and Shift+Tab must go back the same way; dialogs hold focus until Escape
// and give it back. Then every action that needs a mouse elsewhere (dragging pictures onto a class,
// dropping files, reordering layers, selecting several pictures, a confusion-matrix cell, the picture
// chooser, the webcam, sliders) is done by keyboard alone; inline forms take focus and give it back;
// every shortcut the help overlay lists is pressed and does what it says (the last test fails on one
// that was not), and the overlay lists them all in Spanish too.
// Screenshots: keyboard-<screen>-<light|dark>.png with a focus ring, keyboard-help-es.png.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import en from '../../common/messages/en/screens.json';
import es from '../../common/messages/es/screens.json';
import { SHORTCUT_GROUPS, type Shortcut } from '../../renderer/src/lib/shortcuts';
import { closeUi, openUi, screenshot, walkTabs, type Ui } from '../helpers/browser';
import { catalogueTextShown } from '../helpers/catalogue';
import { writeShapeDataset } from '../helpers/shapes';
import { tempDir } from '../helpers/temp';

let ui: Ui;
let page: Page;

const SAMPLE_PICTURE = join(__dirname, '..', '..', 'assets', 'sample', 'circle', 'circle-2.png');

beforeAll(async () => {
  const userData = tempDir('capa-e2e-keyboard-');
  ui = await openUi(join(userData, 'projects'), {
    hostArgs: ['--settings-file', join(userData, 'settings.json')],
    chromiumArgs: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
  });
  page = ui.page;
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ui.host.url });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(ui.host.url);
});

afterAll(() => closeUi(ui));

/** expect.poll with ten seconds instead of one: the machine these run on is shared and busy. */
const eventually: typeof expect.poll = (fn, options) => expect.poll(fn, { timeout: 10_000, ...options });

/** The help overlay's actions that the tests say they press, gathered as the tests are defined (not as they run), for the last test. */
const declared = new Set<Shortcut['action']>();
/** The actions the running test has pressed. */
const pressed = new Set<Shortcut['action']>();
const did = (...actions: Shortcut['action'][]) => actions.forEach((action) => pressed.add(action));
beforeEach(() => pressed.clear());

/** A test that presses `actions`: declared for the last test's check, and failing itself unless it pressed each one. */
function pressing(actions: Shortcut['action'][], title: string, body: () => Promise<void>): void {
  actions.forEach((action) => declared.add(action));
  it(title, async () => {
    await body();
    expect(
      actions.filter((action) => !pressed.has(action)),
      `${title}: not pressed`,
    ).toEqual([]);
  });
}

/**
 * Tabs round the page or the dialog `within`: every control reached and marked, nothing stuck or
 * escaping, Shift+Tab the same way back. Returns the order for checks of its own.
 */
async function checkTabbing(view: string, within?: string): Promise<string[]> {
  // Long work shows a Cancel button that goes when it ends: walk the screen once it has settled.
  const working = page.locator(
    ['import', 'evaluate', 'export', 'batch', 'suggest'].map((work) => `[data-testid="${work}-progress"]`).join(', '),
  );
  await eventually(() => working.count(), { timeout: 60_000 }).toBe(0);
  let walk = await walkTabs(page, { within });
  // A control the walk had not listed means the screen was still filling in: walk it again.
  for (let again = 0; again < 2 && walk.unlisted.length > 0; again++) walk = await walkTabs(page, { within });
  const problems = [
    ...walk.missed.map((name) => `never reached: ${name}`),
    ...walk.unmarked.map((name) => `focus not visible: ${name}`),
    ...walk.escaped.map((name) => `focus left the dialog for: ${name}`),
    ...(walk.stuck ? [`Tab stays on: ${walk.stuck}`] : []),
    ...(walk.jumpedBack ? [`Tab jumps back to: ${walk.jumpedBack}`] : []),
  ];
  if (process.env.KEYS_DEBUG || problems.length > 0)
    console.error(`[${view}]\n  ${problems.join('\n  ')}\n  order: ${walk.order.join(' | ')}`);
  expect(problems, `${view}: ${problems.join('; ')}`).toEqual([]);
  expect(walk.order.length, `${view}: Tab reached nothing`).toBeGreaterThan(0);
  expect(walk.backwards, `${view}: Shift+Tab goes back the same way`).toEqual([...walk.order].reverse());
  did('moveFocus');
  return walk.order;
}

/** Focuses a control with Tab from just before it (so its ring is the keyboard's) and photographs it in both themes. */
async function photographFocus(view: string, target: string | Locator): Promise<void> {
  await (typeof target === 'string' ? page.getByTestId(target).first() : target).focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await eventually(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(scheme);
    await screenshot(page, `keyboard-${view}-${scheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Presses Enter on a control, as a person who reached it with Tab would. */
async function press(testid: string, key = 'Enter'): Promise<void> {
  await page.getByTestId(testid).first().focus();
  await page.keyboard.press(key);
  did('press');
}

const activeTestId = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid ?? null);
const go = (screen: string) => press(`nav-${screen}`);

describe('every control is reached by Tab with its focus shown, and dialogs hold focus', () => {
  pressing(['close', 'moveFocus', 'press'], 'Projects with the first-run guide', async () => {
    await eventually(() => page.getByTestId('guide-panel').isVisible(), { timeout: 15_000 }).toBe(true);
    const order = await checkTabbing('projects-guide');
    expect(order.some((name) => name.includes('#guide-import'))).toBe(true);
    await photographFocus('guide', 'guide-import');
    await press('guide-import');
    await eventually(() => page.getByTestId('class-card').count(), { timeout: 60_000 }).toBe(3);
    // Escape in the guide skips it.
    await page.getByTestId('guide-panel').focus();
    await page.keyboard.press('Escape');
    await eventually(() => page.getByTestId('guide-panel').count()).toBe(0);
    did('close');
  });

  pressing(['help', 'moveFocus'], 'the help overlay opens with ?, holds focus, and gives it back on Escape', async () => {
    await page.getByTestId('nav-projects').focus();
    await page.keyboard.press('?');
    await eventually(() => page.getByTestId('help-overlay').isVisible()).toBe(true);
    did('help');
    // It lists every shortcut of the list the tests below press, but the desktop menu's (not in a browser tab).
    const listed = SHORTCUT_GROUPS.filter((group) => group.id !== 'menu').flatMap((group) => group.shortcuts);
    expect(await page.getByTestId('help-overlay').locator('dd').count()).toBe(listed.length);
    await checkTabbing('help', '[data-testid="help-overlay"]');
    await photographFocus('help', 'help-close');
    await page.keyboard.press('Escape');
    await eventually(() => page.getByTestId('help-overlay').count()).toBe(0);
    expect(await activeTestId()).toBe('nav-projects');
  });

  pressing(
    ['moveFocus', 'press'],
    'Projects, with the rename field and the delete question of a project taking focus and giving it back',
    async () => {
      await go('projects');
      await eventually(() => page.getByTestId('project-list').isVisible()).toBe(true);
      await checkTabbing('projects');
      await press('project-rename');
      await eventually(activeTestId).toBe('project-rename-input');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter'); // Cancel
      await eventually(activeTestId).toBe('project-rename');
      await press('project-delete');
      await eventually(activeTestId).toBe('project-delete-cancel');
      await checkTabbing('projects-delete');
      await press('project-delete-cancel');
      await eventually(activeTestId).toBe('project-delete');
      expect(await page.getByTestId('project-row').count()).toBe(1);
    },
  );

  pressing(['moveFocus', 'press'], 'Data with pictures', async () => {
    await press('project-open');
    await eventually(() => page.getByTestId('thumbnail').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await checkTabbing('data');
    await photographFocus('data', 'import-folder-input');
    // The folded split settings, opened with Enter on their summary.
    const splits = page.locator('details').filter({ has: page.locator('summary', { hasText: /Splits/ }) });
    await splits.locator('summary').focus();
    await page.keyboard.press('Enter');
    await eventually(() => splits.getAttribute('open')).toBe('');
    await checkTabbing('data-splits');
    await splits.locator('summary').focus();
    await page.keyboard.press('Enter');
    await eventually(() => splits.getAttribute('open')).toBeNull();
  });

  it('the walk finds a control Tab skips and a focus nobody can see', async () => {
    // A check that cannot fail proves nothing: put both faults on the screen and see them reported.
    await page.evaluate(() => {
      const main = document.querySelector('main')!;
      main.insertAdjacentHTML(
        'afterbegin',
        '<div role="button" data-testid="kb-probe-skipped">Skipped</div><button data-testid="kb-probe-unmarked">Unmarked</button>',
      );
      // Through the CSSOM: the page's content security policy refuses style attributes.
      main.querySelector<HTMLElement>('[data-testid="kb-probe-unmarked"]')!.style.outline = 'none';
    });
    try {
      const walk = await walkTabs(page);
      expect(walk.missed.some((name) => name.includes('kb-probe-skipped'))).toBe(true);
      expect(walk.unmarked.some((name) => name.includes('kb-probe-unmarked'))).toBe(true);
    } finally {
      await page.evaluate(() => document.querySelectorAll('[data-testid^="kb-probe"]').forEach((probe) => probe.remove()));
    }
  });
});

const selectedCount = () => page.locator('[data-testid="grid-cell"][data-selected="true"]').count();
/** Picture counts of the class cards, in order (the last is Unlabelled). */
const classCounts = () =>
  page
    .getByTestId('class-count')
    .allTextContents()
    .then((counts) => counts.map((count) => Number(count.replace(/\D/g, ''))));

describe('what needs a mouse elsewhere, by keyboard, and every shortcut the help lists', () => {
  pressing(
    ['gridMove', 'gridExtend', 'gridFocus', 'gridToggle', 'gridAll', 'clearSelection'],
    'Data: selects pictures with the arrows, Shift, Ctrl, Space and Ctrl+A; Escape clears',
    async () => {
      await page.getByTestId('image-grid').focus();
      await page.keyboard.press('ArrowRight');
      await eventually(selectedCount).toBe(1);
      await page.keyboard.press('Shift+ArrowRight');
      await page.keyboard.press('Shift+ArrowRight');
      await eventually(selectedCount).toBe(3);
      await page.keyboard.press('Shift+ArrowLeft');
      await eventually(selectedCount).toBe(2);
      await page.keyboard.press('Control+ArrowRight');
      await page.keyboard.press('Control+ArrowRight');
      await page.keyboard.press('Control+ArrowRight');
      await page.keyboard.press('Control+ArrowLeft');
      await eventually(selectedCount).toBe(2);
      await page.keyboard.press('Space');
      await eventually(selectedCount).toBe(3);
      await page.keyboard.press('Space');
      await eventually(selectedCount).toBe(2);
      await page.keyboard.press('ArrowDown');
      await eventually(selectedCount).toBe(1);
      await page.keyboard.press('ArrowUp');
      await eventually(selectedCount).toBe(1);
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('Control+a');
      await eventually(() => page.getByTestId('selection-count').textContent()).toContain('120');
      await page.keyboard.press('Escape');
      await eventually(() => page.getByTestId('selection-bar').count()).toBe(0);
      did('gridMove', 'gridExtend', 'gridFocus', 'gridToggle', 'gridAll', 'clearSelection');
      await screenshot(page, 'keyboard-data-grid');
    },
  );

  pressing(
    ['moveToClass', 'unlabel', 'moveToList', 'delete', 'undo'],
    'Data: moves pictures to a class with 1-9 and 0 and the "Move to" list instead of dragging, deletes, and undoes each with Ctrl+Z',
    async () => {
      const before = await classCounts();
      const grid = page.getByTestId('image-grid');
      await grid.focus();
      await page.keyboard.press('ArrowRight');
      await eventually(selectedCount).toBe(1);
      const first = await page.locator('[data-testid="grid-cell"][data-selected="true"]').getAttribute('data-image-id');
      await page.keyboard.press('3');
      await eventually(classCounts).not.toEqual(before);
      const moved = await classCounts();
      expect(moved[2]).toBe(before[2]! + 1);
      await page.keyboard.press('Control+z');
      await eventually(classCounts).toEqual(before);

      await grid.focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('0');
      await eventually(async () => (await classCounts()).at(-1)).toBe(before.at(-1)! + 1);
      await page.keyboard.press('Control+z');
      await eventually(classCounts).toEqual(before);

      // The selection bar's "Move to" list: Tab to it and choose with the arrow keys.
      await grid.focus();
      await page.keyboard.press('ArrowRight');
      await page.getByTestId('selection-move').focus();
      await page.keyboard.press('End');
      await eventually(async () => (await classCounts()).at(-1)).toBe(before.at(-1)! + 1);
      await page.keyboard.press('Control+z');
      await eventually(classCounts).toEqual(before);

      const total = before.reduce((sum, count) => sum + count, 0);
      for (const key of ['Delete', 'Backspace']) {
        await grid.focus();
        await page.keyboard.press('ArrowRight');
        await page.keyboard.press(key);
        await eventually(async () => (await classCounts()).reduce((sum, count) => sum + count, 0)).toBe(total - 1);
        await page.keyboard.press('Control+z');
        await eventually(classCounts).toEqual(before);
      }
      expect(first).not.toBeNull();
      did('moveToClass', 'unlabel', 'moveToList', 'delete', 'undo');
    },
  );

  pressing(
    ['gridOpen', 'viewerStep', 'viewerActs', 'viewerClose', 'moveFocus'],
    'Data: Enter opens the picture viewer, which holds focus, steps with the arrows, acts with 1-9 and Delete, and gives focus back on Escape',
    async () => {
      const before = await classCounts();
      const grid = page.getByTestId('image-grid');
      await grid.focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Enter');
      await eventually(() => page.getByTestId('lightbox').isVisible()).toBe(true);
      await checkTabbing('lightbox', '[data-testid="lightbox"]');
      await page.getByTestId('lightbox').focus();
      const name = await page.getByTestId('lightbox-name').textContent();
      await page.keyboard.press('ArrowRight');
      await eventually(() => page.getByTestId('lightbox-name').textContent()).not.toBe(name);
      await page.keyboard.press('ArrowLeft');
      await eventually(() => page.getByTestId('lightbox-name').textContent()).toBe(name);
      await page.keyboard.press('3');
      await eventually(async () => (await classCounts())[2]).toBe(before[2]! + 1);
      await page.keyboard.press('Control+z');
      await eventually(classCounts).toEqual(before);
      await page.getByTestId('lightbox').focus();
      await page.keyboard.press('Delete');
      await eventually(async () => (await classCounts()).reduce((sum, count) => sum + count, 0)).toBe(
        before.reduce((sum, count) => sum + count, 0) - 1,
      );
      await page.keyboard.press('Control+z');
      await eventually(classCounts).toEqual(before);
      await page.getByTestId('lightbox').focus();
      await page.keyboard.press('Escape');
      await eventually(() => page.getByTestId('lightbox').count()).toBe(0);
      expect(await activeTestId()).toBe('image-grid');
      did('gridOpen', 'viewerStep', 'viewerActs', 'viewerClose');
    },
  );

  pressing(['chooseFiles', 'press'], 'Data: "Add pictures" opens the file chooser from the keyboard instead of a drop', async () => {
    const folder = await writeShapeDataset(tempDir(), { perClass: 2, size: 40, seed: 77, shapes: ['circle'] });
    const before = await classCounts();
    const chooser = page.waitForEvent('filechooser');
    await press('import-files-input', 'Space');
    await (await chooser).setFiles([join(folder, 'circle', 'circle-0.png'), join(folder, 'circle', 'circle-1.png')]);
    await eventually(async () => (await classCounts()).at(-1), { timeout: 30_000 }).toBe(before.at(-1)! + 2);
    // "Import folder…" the same way, with a folder of one sub-folder per class.
    const more = await writeShapeDataset(tempDir(), { perClass: 2, size: 40, seed: 78, shapes: ['circle'] });
    const folderChooser = page.waitForEvent('filechooser');
    await press('import-folder-input', 'Space');
    await (await folderChooser).setFiles(more);
    await eventually(async () => (await classCounts())[0], { timeout: 30_000 }).toBe(before[0]! + 2);
    did('chooseFiles');
  });

  pressing(
    ['moveFocus', 'press'],
    'Data: the folder path, rename, merge and delete forms take focus when opened and give it back when cancelled',
    async () => {
      const activeText = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? null);
      await press('path-import-open');
      expect(await activeTestId()).toBe('path-import-input');
      await checkTabbing('data-path');
      await press('path-import-cancel');
      await eventually(activeTestId).toBe('path-import-open');

      const card = page.getByTestId('class-card').first();
      await card.getByTestId('class-rename').focus();
      await page.keyboard.press('Enter');
      await eventually(activeTestId).toBe('class-rename-input');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter'); // Cancel
      await eventually(activeTestId).toBe('class-rename');

      await card.getByTestId('class-merge').focus();
      await page.keyboard.press('Enter');
      await eventually(activeTestId).toBe('class-merge-target');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter'); // Cancel
      await eventually(activeTestId).toBe('class-merge');

      await card.getByTestId('class-delete').focus();
      await page.keyboard.press('Enter');
      await eventually(activeText).toBe('Cancel');
      await checkTabbing('data-delete-class');
      await card.getByRole('button', { name: 'Cancel' }).focus();
      await page.keyboard.press('Enter');
      await eventually(activeTestId).toBe('class-delete');
      expect(await page.getByTestId('class-card').count()).toBe(3);
    },
  );

  pressing(['record', 'moveFocus', 'press'], 'Data: the webcam records while Space is held on its button', async () => {
    const before = await classCounts();
    await press('webcam-open');
    const record = page.getByTestId('webcam-record');
    await eventually(() => record.isEnabled(), { timeout: 15_000 }).toBe(true);
    await record.focus();
    await page.keyboard.down(' ');
    await eventually(() => page.getByTestId('webcam-count').textContent(), { timeout: 15_000 }).not.toMatch(/\b0\b/);
    await page.keyboard.up(' ');
    // Every picture taken arrives in the class chosen (the first) before the screen is walked.
    const taken = Number((await page.getByTestId('webcam-count').textContent())!.replace(/\D/g, ''));
    expect(taken).toBeGreaterThan(0);
    await eventually(async () => (await classCounts())[0], { timeout: 30_000 }).toBe(before[0]! + taken);
    did('record');
    await checkTabbing('data-webcam');
    await press('webcam-close');
  });

  pressing(
    ['moveLayer', 'moveFocus', 'press'],
    'Model: Alt+Up and Alt+Down move a layer and focus stays with it; the Keras code dialog holds focus and gives it back',
    async () => {
      await go('model');
      await eventually(() => page.getByTestId('summary-table').isVisible(), { timeout: 30_000 }).toBe(true);
      await checkTabbing('model');
      // "Look inside", folded at first, opened from its summary.
      await press('inside-open');
      await eventually(() => page.getByTestId('inside-panel').getAttribute('open')).toBe('');
      await checkTabbing('model-inside');
      await press('inside-open');
      const types = () => page.getByTestId('layer-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-layer-type')));
      const before = await types();
      const handle = (index: number) => page.getByTestId('layer-row').nth(index).locator('[data-layer-handle]');
      await handle(1).focus();
      await page.keyboard.press('Alt+ArrowDown');
      await eventually(types).toEqual([before[0], before[2], before[1], ...before.slice(3)]);
      await page.keyboard.press('Alt+ArrowDown');
      await eventually(types).toEqual([before[0], before[2], before[3], before[1], ...before.slice(4)]);
      await photographFocus('model', handle(3));
      await handle(3).focus();
      await page.keyboard.press('Alt+ArrowUp');
      await page.keyboard.press('Alt+ArrowUp');
      await eventually(types).toEqual(before);
      did('moveLayer');

      await press('show-keras-code');
      await eventually(() => page.getByTestId('keras-code-dialog').isVisible()).toBe(true);
      await checkTabbing('keras-code', '[data-testid="keras-code-dialog"]');
      await page.keyboard.press('Escape');
      await eventually(() => page.getByTestId('keras-code-dialog').isVisible()).toBe(false);
      expect(await activeTestId()).toBe('show-keras-code');
    },
  );

  pressing(
    ['renameSave', 'renameCancel', 'moveFocus', 'press'],
    'Train: a run started with Enter; renaming a run saves on Enter and cancels on Escape',
    async () => {
      await go('train');
      await press('train-button');
      await eventually(() => page.getByTestId('run-status').getAttribute('data-status'), { timeout: 180_000 }).toBe('completed');
      await checkTabbing('train');
      await photographFocus('train', 'rename-button');
      await press('filters-toggle', 'Space');
      await eventually(() => page.getByTestId('filters-toggle').isChecked()).toBe(true);
      await checkTabbing('train-filters');
      await press('filters-toggle', 'Space');
      const name = await page.getByTestId('run-name').first().textContent();
      await press('rename-button');
      await page.keyboard.press('Control+a');
      await page.keyboard.type('Kept by keyboard');
      await page.keyboard.press('Enter');
      await eventually(() => page.getByTestId('run-name').first().textContent()).toBe('Kept by keyboard');
      await eventually(activeTestId).toBe('rename-button');
      await press('rename-button');
      await page.keyboard.press('Control+a');
      await page.keyboard.type('Thrown away');
      await page.keyboard.press('Escape');
      await eventually(() => page.getByTestId('rename-input').count()).toBe(0);
      await eventually(activeTestId).toBe('rename-button');
      expect(await page.getByTestId('run-name').first().textContent()).toBe('Kept by keyboard');
      // Delete asks first, with focus on Keep; keeping gives focus back to Delete.
      await press('delete-button');
      await eventually(activeTestId).toBe('keep-run');
      await page.keyboard.press('Enter');
      await eventually(activeTestId).toBe('delete-button');
      expect(await page.getByTestId('run-row').count()).toBe(1);
      expect(name).not.toBe('Kept by keyboard');
      did('renameSave', 'renameCancel');

      // A second run, then both ticked with Space and compared.
      await press('train-button');
      await eventually(() => page.locator('[data-testid="run-row"][data-status="completed"]').count(), { timeout: 180_000 }).toBe(2);
      for (const check of await page.getByTestId('compare-check').all()) {
        await check.focus();
        await page.keyboard.press('Space');
      }
      await press('compare-button');
      await eventually(() => page.getByTestId('run-compare').isVisible()).toBe(true);
      await checkTabbing('train-compare');
    },
  );

  pressing(['openCell', 'moveFocus', 'press'], 'Evaluate: Enter on a confusion-matrix cell opens its pictures', async () => {
    await go('evaluate');
    await press('evaluate-button');
    await eventually(() => page.getByTestId('matrix-cell-0-0').isVisible(), { timeout: 60_000 }).toBe(true);
    await checkTabbing('evaluate');
    await press('matrix-cell-0-0');
    await eventually(() => page.getByTestId('cell-images').isVisible()).toBe(true);
    await eventually(() => page.getByTestId('evaluated-image').count()).toBeGreaterThan(0);
    did('openCell');
    // Moving a picture to Unlabelled takes its buttons away: focus goes on to the next picture's, and
    // the notice's Undo puts the picture back.
    const cell = page.getByTestId('cell-image-list');
    expect(await cell.getByTestId('unlabel-button').count()).toBeGreaterThanOrEqual(2);
    await cell.getByTestId('unlabel-button').first().focus();
    await page.keyboard.press('Enter');
    await eventually(() => cell.getByTestId('image-changed').count()).toBe(1);
    await eventually(activeTestId).toBe('unlabel-button');
    await press('evaluate-undo');
    await eventually(() => cell.getByTestId('image-changed').count()).toBe(0);
    await checkTabbing('evaluate-cell');
    await photographFocus('evaluate', 'matrix-cell-0-0');
    // What the model looked at: its overlay's slider moves with the arrow keys.
    await press('explain-button');
    const opacity = page.getByTestId('explanation-opacity');
    await eventually(() => opacity.isVisible(), { timeout: 60_000 }).toBe(true);
    const map = page.getByTestId('explanation-map');
    const before = await map.evaluate((canvas) => getComputedStyle(canvas).opacity);
    await opacity.focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await eventually(() => map.evaluate((canvas) => getComputedStyle(canvas).opacity)).toBe(
      String(Math.round((Number(before) - 0.1) * 100) / 100),
    );
    await checkTabbing('evaluate-explain');
  });

  pressing(
    ['paste', 'moveFocus', 'press'],
    'Try: the picture chooser opens from the keyboard and Ctrl+V classifies a copied picture',
    async () => {
      await go('try');
      const chooser = page.waitForEvent('filechooser');
      await press('try-file-input', 'Space');
      await (await chooser).setFiles(SAMPLE_PICTURE);
      await eventually(() => page.getByTestId('prediction-best').isVisible(), { timeout: 30_000 }).toBe(true);
      await checkTabbing('try-picture');
      const alt = () => page.getByTestId('try-preview').getAttribute('alt');
      const chosen = await alt();
      const png = readFileSync(SAMPLE_PICTURE).toString('base64');
      await page.evaluate(async (base64) => {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        await navigator.clipboard.write([new ClipboardItem({ 'image/png': new Blob([bytes], { type: 'image/png' }) })]);
      }, png);
      await page.getByTestId('try-tab-picture').focus();
      await page.keyboard.press('Control+v');
      await eventually(alt, { timeout: 30_000 }).not.toBe(chosen);
      did('paste');
      await eventually(() => page.getByTestId('prediction-best').isVisible(), { timeout: 30_000 }).toBe(true);
    },
  );

  pressing(
    ['choose', 'moveFocus', 'press'],
    'Try: each other tab is reached, and the batch confidence slider moves with the arrow keys',
    async () => {
      for (const tab of ['webcam', 'batch', 'suggest']) {
        await press(`try-tab-${tab}`);
        await eventually(() => page.getByTestId(`try-tab-${tab}`).getAttribute('aria-selected')).toBe('true');
        if (tab === 'batch') {
          const chooser = page.waitForEvent('filechooser');
          await press('batch-files-input', 'Space');
          await (await chooser).setFiles([SAMPLE_PICTURE, join(SAMPLE_PICTURE, '..', 'circle-3.png')]);
          await eventually(() => page.getByTestId('batch-row').count(), { timeout: 30_000 }).toBe(2);
          const slider = page.getByTestId('batch-filter-confidence');
          const value = await slider.inputValue();
          await slider.focus();
          await page.keyboard.press('ArrowLeft');
          await page.keyboard.press('ArrowLeft');
          await eventually(() => slider.inputValue()).toBe(String(Number(value) - 2));
          await page.keyboard.press('Home');
          await eventually(() => slider.inputValue()).toBe('0');
          await eventually(() => page.getByTestId('batch-row').count()).toBe(0);
          await page.keyboard.press('End');
          await eventually(() => page.getByTestId('batch-row').count()).toBe(2);
          did('choose');
        }
        if (tab === 'suggest') {
          // Suggestions for the pictures added to Unlabelled above; one accepted from the keyboard.
          await press('suggest-start');
          await eventually(() => page.getByTestId('suggest-item').count(), { timeout: 60_000 }).toBeGreaterThan(0);
          const items = await page.getByTestId('suggest-item').count();
          expect(items).toBeGreaterThanOrEqual(2);
          await checkTabbing('try-suggest-list');
          await press('suggest-accept');
          await eventually(() => page.getByTestId('suggest-item').count()).toBe(items - 1);
          // Focus stays in the list, on the next row's Accept (or the last row's), to go on from there.
          await eventually(activeTestId).toBe('suggest-accept');
        }
        await checkTabbing(`try-${tab}`);
      }
    },
  );

  pressing(['moveFocus', 'press'], 'Export: reached and started from the keyboard', async () => {
    await go('export');
    // The screen fills in once it knows the runs; walk it then.
    await eventually(() => page.getByTestId('export-button').isEnabled()).toBe(true);
    await checkTabbing('export');
    await press('export-button');
    await eventually(() => page.getByTestId('export-files').textContent(), { timeout: 60_000 }).toContain('model.json');
    await checkTabbing('export-done');
  });

  pressing(['moveFocus', 'press'], 'Preferences: the theme chosen with the arrow keys', async () => {
    await go('preferences');
    await checkTabbing('preferences');
    await photographFocus('preferences', 'language-select');
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    const checked = page.locator('[data-testid="theme-setting"] input:checked');
    expect(await checked.getAttribute('value')).toBe('system');
    await checked.focus();
    // System (the browser says light here), Light, Dark, and round to System: the page follows each.
    for (const [choice, shown] of [
      ['light', 'light'],
      ['dark', 'dark'],
      ['system', 'light'],
    ] as const) {
      await page.keyboard.press('ArrowDown');
      await eventually(() => checked.getAttribute('value')).toBe(choice);
      await eventually(theme).toBe(shown);
    }
  });

  pressing(['press'], '? opens the help from anywhere but a text field, where it is typed', async () => {
    await press('nav-projects');
    const field = page.getByTestId('project-name-input');
    await field.focus();
    await page.keyboard.press('?');
    expect(await field.inputValue()).toBe('?');
    expect(await page.getByTestId('help-overlay').count()).toBe(0);
    await page.keyboard.press('Tab');
    await page.keyboard.press('?');
    await eventually(() => page.getByTestId('help-overlay').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await eventually(() => page.getByTestId('help-overlay').count()).toBe(0);
  });

  pressing(
    ['moveFocus', 'press'],
    'in Spanish, chosen from the language list by keyboard, the help lists every shortcut in Spanish',
    async () => {
      // Chosen at once, while Preferences is still reading the settings it opened with (that read undid it once).
      await go('preferences');
      await page.getByTestId('language-select').focus();
      await page.keyboard.press('End');
      await eventually(() => page.locator('main h1').first().textContent()).toBe('Preferencias');
      expect(await catalogueTextShown(page, 'en')).toEqual([]);
      // Back on a theme radio button, which takes no text: "?" there is help.
      await page.keyboard.press('Shift+Tab');
      expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).type)).toBe('radio');
      await page.keyboard.press('?');
      const overlay = page.getByTestId('help-overlay');
      await eventually(() => overlay.isVisible()).toBe(true);
      const listed = SHORTCUT_GROUPS.filter((group) => group.id !== 'menu').flatMap((group) => group.shortcuts);
      await eventually(() => overlay.locator('dd').allTextContents()).toEqual(listed.map((shortcut) => es.help.actions[shortcut.action]));
      const text = await overlay.innerText();
      const english = Object.values(en.help.actions).filter((sentence) => !Object.values(es.help.actions).includes(sentence));
      expect(english.filter((sentence) => text.includes(sentence))).toEqual([]);
      expect(text).toContain(es.help.groups.evaluate);
      await checkTabbing('help-es', '[data-testid="help-overlay"]');
      await screenshot(page, 'keyboard-help-es');
      await page.keyboard.press('Escape');
      await eventually(() => overlay.count()).toBe(0);
    },
  );

  it('every shortcut the help lists is pressed by a test above, which checks that it did what it says', () => {
    // The desktop menu's shortcuts are Electron's own accelerators, which a browser tab does not have.
    const listed = SHORTCUT_GROUPS.filter((group) => group.id !== 'menu').flatMap((group) =>
      group.shortcuts.map((shortcut) => shortcut.action),
    );
    expect(listed.filter((action) => !declared.has(action))).toEqual([]);
  });
});
