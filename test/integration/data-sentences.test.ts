// The data side's sentences as keys of the core catalogue, on real projects (SQLite, images
// written by sharp): every rejected file, dataset warning, undo description, batch label and error
// carries its key and values, keeps its English text, and reads right in Spanish. Undo descriptions
// and batch labels are stored as sentences, survive reopening, and rows from before still read.
// Spanish is checked through the renderer's say(), the function every screen uses.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { ImportEvent, Said } from '../../preload/contract';
import { CapaError, toErrorValue } from '../../common/messages/errors';
import { entriesFromPaths, importEntries, runImport } from '../../main/core/dataset/import-files';
import { BackgroundImports } from '../../main/core/dataset/background-imports';
import { ProjectLibrary } from '../../main/core/projects/library';
import { said } from '../../common/messages/said';
import { Project } from '../../main/core/projects/project';
import { importProjectArchive } from '../../main/core/projects/archive';
import { say, setLanguage } from '../../renderer/src/lib/i18n/i18n.svelte';
import { BROKEN_FILES, writeBrokenFiles } from '../helpers/broken-files';
import { writeShapeDataset } from '../helpers/shapes';
import { removeTempDirs, tempDir } from '../helpers/temp';

afterAll(removeTempDirs);

setLanguage('es');

/** A sentence as the Spanish screen says it: the renderer's own say(), which must find its key. */
function spanish(sentence: Said): string {
  expect(sentence.key, `"${sentence.message}" has no key`).toBeDefined();
  const text = say(sentence);
  expect(text, `${sentence.key} fell back to English`).not.toBe(sentence.message);
  return text;
}

/** The sentence of an error a call throws. */
function thrown(work: () => unknown): Said {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(CapaError);
    const { key, params, message } = toErrorValue(error);
    return { key, params, message };
  }
  throw new Error('expected the call to throw');
}

let library: ProjectLibrary;
let project: Project;
beforeEach(() => {
  library = new ProjectLibrary(tempDir());
  project = library.create('Sentences');
});

describe('rejected files', () => {
  it('each broken file gets its reason, its key and values, the English text as before and a Spanish sentence', async () => {
    const dir = join(tempDir(), 'broken');
    mkdirSync(dir);
    await writeBrokenFiles(dir);
    const report = await importEntries(project, await entriesFromPaths([dir, join(dir, 'vanished.png')]));
    const byName = new Map(report.rejected.map((r) => [r.file.split('/').pop()!, r]));
    expect(Object.fromEntries([...byName].map(([name, r]) => [name, r.reason]))).toEqual({ ...BROKEN_FILES, 'vanished.png': 'unreadable' });
    const truncated = {
      key: 'data.importer.truncated',
      message: 'The image is cut short (truncated); the file was probably not copied completely.',
    };
    const expected: Record<string, [Said, string]> = {
      'cut.png': [truncated, 'La imagen está cortada (truncada); probablemente el archivo no se copió completo.'],
      'rows.bmp': [truncated, 'La imagen está cortada (truncada); probablemente el archivo no se copió completo.'],
      'notes.jpg': [
        { key: 'data.importer.notReadable', message: 'The file has an image extension but its contents are not a readable image.' },
        'El archivo tiene extensión de imagen, pero su contenido no es una imagen legible.',
      ],
      'empty.png': [{ key: 'data.importer.empty', message: 'The file is empty (0 bytes).' }, 'El archivo está vacío (0 bytes).'],
      'shopping.txt': [{ key: 'data.importer.notAnImage', message: 'This is not an image file.' }, 'Esto no es un archivo de imagen.'],
      'photo.heic': [
        { key: 'data.importer.convert', params: { format: 'HEIC' }, message: 'HEIC images are not supported; convert it to PNG or JPEG.' },
        'Las imágenes HEIC no son compatibles; conviértela a PNG o JPEG.',
      ],
      'bomb.png': [
        {
          key: 'data.importer.tooManyPixels',
          params: { width: 20_000, height: 20_000, limit: 100 },
          message: 'The image is 20000x20000 pixels, above the limit of 100 megapixels.',
        },
        'La imagen mide 20000x20000 píxeles, por encima del límite de 100 megapíxeles.',
      ],
      'header.bmp': [
        { key: 'data.bmp.headerCut', message: 'The BMP file is cut short (truncated) before the end of its header.' },
        'El archivo BMP está cortado (truncado) antes del final de su encabezado.',
      ],
      'vanished.png': [{ key: 'data.importer.gone', message: 'The file no longer exists.' }, 'El archivo ya no existe.'],
    };
    for (const [name, [sentence, inSpanish]] of Object.entries(expected)) {
      const { file: _file, reason: _reason, ...got } = byName.get(name)!;
      expect(got, name).toEqual(sentence);
      expect(spanish(got), name).toBe(inSpanish);
    }
  });

  it('a whole import that fails is one rejection of no file, in the words an error uses', async () => {
    const imports = new BackgroundImports();
    const done = new Promise<ImportEvent>((resolve) => imports.onEvent((event) => event.kind === 'done' && resolve(event)));
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    imports.start(project, () => Promise.reject(full), { label: said('data.importer.items', { count: 2 }) });
    const event = await done;
    expect(event.kind === 'done' && event.report.rejected).toEqual([{ file: '', reason: 'unreadable', ...said('errors.diskFull') }]);
    await expect(imports.cancel(project.id, 'gone')).rejects.toMatchObject({
      said: { key: 'data.imports.notRunning', message: 'That import has already finished or does not exist.' },
    });
  });

  it('a cancelled import says how many pictures stayed, with the plural of each language', async () => {
    const root = await writeShapeDataset(join(tempDir(), 'one'), { perClass: 1, size: 16, shapes: ['circle'] });
    const stopped = new AbortController();
    stopped.abort();
    const error = await importEntries(project, await entriesFromPaths([root]), { signal: stopped.signal }).catch((e: unknown) => e);
    expect((error as CapaError).said).toEqual({
      key: 'data.importer.cancelled',
      params: { count: 0 },
      message: 'Import cancelled after 0 images; those stay in the project.',
    });
    expect(spanish(said('data.importer.cancelled', { count: 1 }))).toBe('Importación cancelada tras 1 imagen; se queda en el proyecto.');
    expect(spanish(said('data.importer.cancelled', { count: 1200 }))).toBe(
      'Importación cancelada tras 1200 imágenes; esas se quedan en el proyecto.',
    );
    expect(said('data.importer.cancelled', { count: 1200 }).message).toBe(
      'Import cancelled after 1,200 images; those stay in the project.',
    );
  });
});

describe('dataset warnings', () => {
  it('too few pictures, no validation picture and imbalance are keyed sentences, in both languages', async () => {
    await importEntries(
      project,
      await entriesFromPaths([await writeShapeDataset(join(tempDir(), 'many'), { perClass: 12, size: 16, shapes: ['square'] })]),
    );
    await importEntries(
      project,
      await entriesFromPaths([await writeShapeDataset(join(tempDir(), 'few'), { perClass: 1, size: 16, shapes: ['circle'] })]),
    );
    project.splits.setShares({ train: 100, validation: 0, test: 0 });
    const warnings = project.dataset().warnings;
    expect(warnings.map((w) => [w.key, w.params])).toEqual([
      ['data.warnings.noValidation', { name: 'square' }],
      ['data.warnings.tooFew', { name: 'circle', count: 1, missing: 9 }],
      ['data.warnings.unbalanced', { largest: 'square', count: 12, smallest: 'circle', smallestCount: 1 }],
    ]);
    expect(warnings.map((w) => w.message)).toEqual([
      '"square" has no picture in validation, so its accuracy cannot be checked; add pictures or lower the train share.',
      '"circle" has only 1 picture; add at least 9 more so the model can learn it.',
      'The classes are unbalanced: "square" has 12 pictures but "circle" only 1; add pictures to the smaller classes so the model does not just guess the largest.',
    ]);
    expect(warnings.map(spanish)).toEqual([
      '«square» no tiene ninguna imagen en validación, así que no se puede comprobar su exactitud; añade imágenes o baja el porcentaje de entrenamiento.',
      '«circle» solo tiene 1 imagen; añade al menos 9 más para que el modelo pueda aprenderla.',
      'Las clases están desequilibradas: «square» tiene 12 imágenes, pero «circle» solo 1; añade imágenes a las clases más pequeñas para que el modelo no se limite a adivinar la más grande.',
    ]);
  });
});

describe('undo descriptions and batch labels', () => {
  const storedDescription = (p: Project) => p.db.prepare('SELECT description FROM undo_journal').pluck().get() as string;

  it('are stored as sentences, survive reopening the project and read in Spanish', async () => {
    const twoFolders = [
      await writeShapeDataset(join(tempDir(), 'a'), { perClass: 2, size: 16, shapes: ['circle'] }),
      await writeShapeDataset(join(tempDir(), 'b'), { perClass: 1, size: 16, shapes: ['square'] }),
    ];
    await runImport(project, await entriesFromPaths(twoFolders));
    const ids = project.images.list({}, 0, 10).images.map((i) => i.id);
    project.images.delete(ids.slice(0, 2));
    expect(JSON.parse(storedDescription(project))).toEqual({
      key: 'data.undo.deleteImages',
      params: { count: 2 },
      message: 'Delete 2 pictures',
    });
    project.close();

    const reopened = Project.open(project.dir);
    const { undo, batches } = reopened.dataset();
    expect(undo).toEqual({ description: { key: 'data.undo.deleteImages', params: { count: 2 }, message: 'Delete 2 pictures' } });
    expect(spanish(undo!.description)).toBe('Eliminar 2 imágenes');
    expect(batches.map((b) => b.label)).toEqual([{ key: 'data.importer.items', params: { count: 2 }, message: '2 items' }]);
    expect(spanish(batches[0]!.label)).toBe('2 elementos');
    expect(reopened.undo().description.key).toBe('data.undo.deleteImages');
    reopened.close();
  });

  it('name the class and the count, one picture in its own words', async () => {
    await runImport(
      project,
      await entriesFromPaths([await writeShapeDataset(join(tempDir(), 's'), { perClass: 1, size: 16, shapes: ['circle', 'square'] })]),
    );
    const circle = project.classes.byName('circle')!;
    const square = project.classes.byName('square')!;
    const image = project.images.list({ classId: circle.id }, 0, 1).images[0]!;
    const cases: [() => unknown, Said, string][] = [
      [
        () => project.images.setClass([image.id], square.id),
        { key: 'data.undo.move', params: { count: 1, name: 'square' }, message: 'Move 1 picture to "square"' },
        'Mover 1 imagen a «square»',
      ],
      [
        () => project.images.setClass([image.id], null),
        { key: 'data.undo.moveUnlabelled', params: { count: 1 }, message: 'Move 1 picture to Unlabelled' },
        'Mover 1 imagen a Sin clase',
      ],
      [
        () => project.classes.delete(square.id, true),
        {
          key: 'data.undo.deleteClassWithImages',
          params: { name: 'square', count: 1 },
          message: 'Delete class "square" and its 1 picture',
        },
        'Eliminar la clase «square» y su única imagen',
      ],
      [
        () => project.classes.merge(circle.id, project.classes.create('shapes').id),
        { key: 'data.undo.merge', params: { source: 'circle', target: 'shapes' }, message: 'Merge "circle" into "shapes"' },
        'Unir «circle» a «shapes»',
      ],
    ];
    for (const [action, description, inSpanish] of cases) {
      action();
      expect(project.dataset().undo!.description).toEqual(description);
      expect(spanish(description)).toBe(inSpanish);
    }
  });

  it('read rows written before they were sentences as plain text', async () => {
    await runImport(
      project,
      await entriesFromPaths([await writeShapeDataset(join(tempDir(), 'old'), { perClass: 2, size: 16, shapes: ['circle'] })]),
    );
    project.images.delete([project.images.list({}, 0, 1).images[0]!.id]);
    project.db.prepare("UPDATE undo_journal SET description = 'Delete 1 picture'").run();
    project.db.prepare("UPDATE import_batches SET label = 'holiday photos'").run();
    expect(project.dataset().undo).toEqual({ description: { message: 'Delete 1 picture' } });
    expect(project.dataset().batches[0]!.label).toEqual({ message: 'holiday photos' });
    expect(project.undo()).toEqual({ description: { message: 'Delete 1 picture' } });
    expect(project.summary().imageCount).toBe(2);
  });
});

describe('errors of the data side', () => {
  it('carry their key and values, English as before, Spanish from the same key', async () => {
    project.classes.create('cats');
    const exists = thrown(() => project.classes.create('cats'));
    expect(exists).toEqual({ key: 'data.project.classExists', params: { name: 'cats' }, message: 'A class named "cats" already exists.' });
    expect(spanish(exists)).toBe('Ya existe una clase llamada «cats».');
    const nothing = thrown(() => project.undo());
    expect(nothing).toEqual({ key: 'data.undo.nothing', message: 'There is nothing to undo.' });
    expect(spanish(nothing)).toBe('No hay nada que deshacer.');
    expect(spanish(thrown(() => project.splits.setShares({ train: 50, validation: 10, test: 10 })))).toBe(
      'Los tres porcentajes de los conjuntos deben sumar 100.',
    );
    expect(spanish(thrown(() => project.classes.get(999)))).toBe('No hay ninguna clase con id 999 en este proyecto.');
  });

  it('a refused archive says why, with what to do, in both languages', async () => {
    const notZip = join(tempDir(), 'notes.capa');
    writeFileSync(notZip, 'not a zip at all');
    const refused = ((await importProjectArchive(library, notZip).catch((e: unknown) => e)) as CapaError).said;
    expect(refused).toMatchObject({ key: 'data.archive.refused.unreadable', params: { path: notZip, detail: expect.any(String) } });
    expect(refused.message).toMatch(
      /^.*notes\.capa cannot be imported: it is not a readable archive \(.+\)\. Nothing was changed; export the project again from the Capa that made it\.$/,
    );
    expect(spanish(refused)).toMatch(
      /^No se puede importar .*notes\.capa: no es un archivo comprimido legible \(.+\)\. No se cambió nada; exporta el proyecto de nuevo desde el Capa que lo creó\.$/,
    );
    const missing = ((await importProjectArchive(library, join(tempDir(), 'nowhere.capa')).catch((e: unknown) => e)) as CapaError).said;
    expect(missing.key).toBe('data.archive.noFile');
    expect(spanish(missing)).toMatch(/^No hay ningún archivo en .*nowhere\.capa\. Elige un archivo \.capa exportado por Capa\.$/);
  });
});
