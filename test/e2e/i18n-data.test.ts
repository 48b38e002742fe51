// The data side's sentences in Spanish on the real Data screen, in Chromium against the real
// browser host: a folder with broken files and an unbalanced class is imported through the UI, and
// the rejected files' reasons, the dataset warnings, the undo description (button and notice after
// undoing), an import's name and an archive's refusal read in Spanish, with no English catalogue
// sentence left.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import { BROKEN_FILES, writeBrokenFiles } from '../helpers/broken-files';
import { closeUi, openUi, screenshot, type Ui } from '../helpers/browser';
import { catalogueTextShown } from '../helpers/catalogue';
import { writeShapeDataset } from '../helpers/shapes';
import { tempDir } from '../helpers/temp';

let ui: Ui;
let page: Page;
/** A folder of class folders: 12 circles with every broken file among them, and only 2 squares. */
let photos: string;
let notAnArchive: string;
/** Three loose pictures, added to Unlabelled as one import. */
let loose: string[];

beforeAll(async () => {
  const userData = tempDir('capa-e2e-i18n-data-');
  const dataDir = join(userData, 'projects');
  const service = createCapaService({ dataDir, host: 'browser' });
  await callOrThrow(service, 'createProject', { name: 'Formas' });
  await service.close();
  photos = join(tempDir(), 'fotos');
  await writeShapeDataset(photos, { perClass: 12, size: 32, seed: 4, shapes: ['circle'] });
  await writeShapeDataset(photos, { perClass: 2, size: 32, seed: 8, shapes: ['square'] });
  await writeBrokenFiles(join(photos, 'circle'));
  const extra = await writeShapeDataset(join(tempDir(), 'sueltas'), { perClass: 3, size: 32, seed: 21, shapes: ['triangle'] });
  loose = [0, 1, 2].map((i) => join(extra, 'triangle', `triangle-${i}.png`));
  notAnArchive = join(tempDir(), 'notas.capa');
  writeFileSync(notAnArchive, 'not a zip at all');
  // Spanish from the first frame, as a person who chose it in Preferences last time.
  ui = await openUi(dataDir, { settings: { language: 'es', theme: 'light', guide: 'skipped' } });
  page = ui.page;
});

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await screenshot(page, `i18n-data-failed-${task.name.split(' ')[0]}`);
});

afterAll(() => closeUi(ui));

const card = (name: string) => page.locator(`[data-testid="class-card"][data-class-name="${name}"]`);
const cell = (index: number) => page.locator(`[data-testid="grid-cell"][data-index="${index}"]`);
const gridTotal = async () => Number(await page.getByTestId('grid-area').getAttribute('data-total'));

/** Opens the folded panels, so their text is checked too, and returns the English catalogue sentences left. */
async function englishLeft(): Promise<string[]> {
  for (const panel of await page.locator('main details').all()) await panel.evaluate((node) => ((node as HTMLDetailsElement).open = true));
  return catalogueTextShown(page, 'en');
}

describe('the Data screen in Spanish', () => {
  it('lists every rejected file with its reason in Spanish, and the warnings about the classes', async () => {
    await page.goto(ui.host.url);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('es');
    await page.getByTestId('project-open').filter({ hasText: 'Formas' }).click();
    await page.getByTestId('nav-data').click();
    await page.getByTestId('import-folder-input').setInputFiles(photos);
    await expect.poll(() => page.getByTestId('import-imported').textContent(), { timeout: 60_000 }).toBe('14 imágenes importadas');

    const rejected = page.getByTestId('import-rejected').locator('li');
    await expect.poll(() => rejected.count()).toBe(Object.keys(BROKEN_FILES).length);
    const reasons = Object.fromEntries(
      (await rejected.allTextContents()).map((line) => {
        const [, file, reason] = /^\s*(\S+):\s*(.*?)\s*$/s.exec(line) ?? [line, line, ''];
        return [file!.split('/').pop()!, reason!];
      }),
    );
    const truncated = 'La imagen está cortada (truncada); probablemente el archivo no se copió completo.';
    expect(reasons).toEqual({
      'cut.png': truncated,
      'rows.bmp': truncated,
      'notes.jpg': 'El archivo tiene extensión de imagen, pero su contenido no es una imagen legible.',
      'empty.png': 'El archivo está vacío (0 bytes).',
      'shopping.txt': 'Esto no es un archivo de imagen.',
      'photo.heic': 'Las imágenes HEIC no son compatibles; conviértela a PNG o JPEG.',
      'bomb.png': 'La imagen mide 20000x20000 píxeles, por encima del límite de 100 megapíxeles.',
      'header.bmp': 'El archivo BMP está cortado (truncado) antes del final de su encabezado.',
    });

    const warnings = await page.getByTestId('dataset-warnings').locator('li').allTextContents();
    expect(warnings).toEqual([
      '«square» solo tiene 2 imágenes; añade al menos 8 más para que el modelo pueda aprenderla.',
      'Las clases están desequilibradas: «circle» tiene 12 imágenes, pero «square» solo 2; añade imágenes a las clases más pequeñas para que el modelo no se limite a adivinar la más grande.',
    ]);
    await page.getByTestId('import-report').scrollIntoViewIfNeeded();
    await screenshot(page, 'i18n-data-1-rejected-and-warnings');
    expect(await englishLeft()).toEqual([]);
  });

  it('names the undoable deletion in Spanish, and says what was undone', async () => {
    await card('circle').getByTestId('class-show').click();
    await expect.poll(gridTotal).toBe(12);
    await cell(0).click();
    await cell(1).click({ modifiers: ['Shift'] });
    await page.keyboard.press('Delete');
    await expect.poll(() => page.getByTestId('undo-description').textContent()).toBe('Eliminar 2 imágenes');
    expect(await page.getByTestId('undo').getAttribute('title')).toBe('Deshacer: Eliminar 2 imágenes (Ctrl+Z)');
    // Ten circles against two squares: still unbalanced, with the new count in the sentence.
    await expect.poll(() => page.getByTestId('dataset-warnings').textContent()).toContain('«circle» tiene 10 imágenes');
    await page.getByTestId('undo').scrollIntoViewIfNeeded();
    await screenshot(page, 'i18n-data-2-undo-description');
    expect(await englishLeft()).toEqual([]);

    await page.getByTestId('undo').click();
    await expect.poll(() => page.getByTestId('action-notice').textContent()).toBe('Deshecho: Eliminar 2 imágenes.');
    await expect.poll(gridTotal).toBe(12);
    await screenshot(page, 'i18n-data-3-undone');
  });

  it('moves pictures to Unlabelled with the undo button naming it in Spanish', async () => {
    await cell(0).click();
    await page.getByTestId('selection-move').selectOption('unlabelled');
    await expect.poll(() => page.getByTestId('undo-description').textContent()).toBe('Mover 1 imagen a Sin clase');
    expect(await englishLeft()).toEqual([]);
  });

  it('names an import of loose pictures by how many items it had, in Spanish', async () => {
    await page.getByTestId('import-files-input').setInputFiles(loose);
    await expect.poll(() => page.getByTestId('import-imported').textContent(), { timeout: 60_000 }).toBe('3 imágenes importadas');
    await expect.poll(() => page.getByTestId('filter-batch').locator('option').allTextContents()).toContain('3 elementos (3)');
    expect(await page.getByTestId('filter-batch').locator('option').allTextContents()).toContain('fotos (14)');
    expect(await englishLeft()).toEqual([]);
    await page.getByTestId('batch-pin').first().scrollIntoViewIfNeeded();
    await screenshot(page, 'i18n-data-4-imports');
  });

  it('refuses a file that is not a project archive, saying why in Spanish', async () => {
    const panel = page.getByTestId('portability');
    await panel.evaluate((node) => ((node as HTMLDetailsElement).open = true));
    await page.getByTestId('import-project-path').fill(notAnArchive);
    await page.getByTestId('import-project').click();
    const error = panel.locator('[role="alert"]');
    await expect
      .poll(() => error.textContent())
      .toMatch(
        /^No se puede importar .*notas\.capa: no es un archivo comprimido legible \(.+\)\. No se cambió nada; exporta el proyecto de nuevo desde el Capa que lo creó\.$/,
      );
    await error.scrollIntoViewIfNeeded();
    await screenshot(page, 'i18n-data-5-archive-refused');
    expect(await englishLeft()).toEqual([]);
  });
});
