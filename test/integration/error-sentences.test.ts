// The errors a person meets in projects, saved models, runs, the data folder, pretrained networks,
// project databases and refused requests carry their catalogue key and values (real service, real
// SQLite, real folders), keep their English text for the CLI and logs, and read right in Spanish.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { CapaErrorValue, Result, Said } from '../../preload/contract';
import { BackboneCache } from '../../main/core/backbones/cache';
import { openDatabase, SCHEMA_VERSION } from '../../main/core/db/database';
import { CapaError, diskFull, toErrorValue } from '../../common/messages/errors';
import { CORE_CATALOGUES } from '../../common/messages/catalogue';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import type { CapaService } from '../../main/core/service/service-types';
import { settingsFileIn } from '../../main/core/settings/settings';
import { PRESETS } from '../../common/model/presets';
import en from '../../common/messages/en/screens.json';
import es from '../../common/messages/es/screens.json';
import { say, setLanguage } from '../../renderer/src/lib/i18n/i18n.svelte';
import { removeTempDirs, tempDir } from '../helpers/temp';

const MODEL_SPEC = PRESETS.find((preset) => preset.id === 'small-cnn')!.build({ width: 16, height: 16, channels: 3, resize: 'squash' });

setLanguage('es');
/** A sentence as the Spanish screen says it: the renderer's own say(), which must find its key. */
function inSpanish(sentence: Said): string {
  expect(sentence.key, `"${sentence.message}" has no key`).toBeDefined();
  return say(sentence);
}

const open: CapaService[] = [];
function service(dataDir = join(tempDir('capa-errors-'), 'projects'), settingsFile?: string): CapaService {
  const created = createCapaService({ dataDir, host: 'browser', ...(settingsFile ? { settingsFile } : {}) });
  open.push(created);
  return created;
}
afterEach(async () => {
  for (const created of open.splice(0)) await created.close();
});
afterAll(() => removeTempDirs());

function errorOf(result: Result<unknown>): CapaErrorValue {
  if (result.ok) throw new Error('expected an error value');
  return result.error;
}

describe('errors of projects, saved models and runs', () => {
  it('a saved model whose name exists: key, name, English and Spanish', async () => {
    const capa = service();
    const project = await callOrThrow(capa, 'createProject', { name: 'Shapes' });
    await callOrThrow(capa, 'saveSpecAs', { projectId: project.id, name: 'Wide', spec: MODEL_SPEC });
    const error = errorOf(await capa.call('saveSpecAs', { projectId: project.id, name: 'WIDE', spec: MODEL_SPEC }));
    expect(error).toEqual({
      code: 'conflict',
      key: 'errors.namedSpecs.nameTaken',
      params: { name: 'WIDE' },
      message: 'A model named "WIDE" already exists; choose another name.',
    });
    expect(inSpanish(error)).toBe('Ya existe un modelo llamado «WIDE»; elige otro nombre.');
  });

  it('a project or a run that does not exist', async () => {
    const capa = service();
    const missing = errorOf(await capa.call('getDataset', { projectId: '00000000-0000-4000-8000-000000000000' }));
    expect(missing).toMatchObject({
      code: 'not-found',
      key: 'errors.library.noProject',
      params: { id: '00000000-0000-4000-8000-000000000000' },
    });
    expect(missing.message).toBe('There is no project with id "00000000-0000-4000-8000-000000000000".');
    const project = await callOrThrow(capa, 'createProject', { name: 'Runs' });
    const run = errorOf(await capa.call('getRun', { projectId: project.id, runId: 'run-x' }));
    expect(run).toMatchObject({
      code: 'not-found',
      key: 'errors.runStore.missing',
      params: { id: 'run-x' },
      message: 'There is no run run-x in this project.',
    });
    expect(inSpanish(run)).toBe('No hay ningún entrenamiento run-x en este proyecto.');
  });

  it("a spec that is not valid counts its problems, each keyed next to its field, in the language's plural", async () => {
    const capa = service();
    const project = await callOrThrow(capa, 'createProject', { name: 'Spec' });
    const error = errorOf(await capa.call('saveSpec', { projectId: project.id, spec: { ...MODEL_SPEC, layers: 'none' } }));
    expect(error).toMatchObject({ code: 'invalid-spec', key: 'errors.model.invalidSpec', params: { count: error.issues!.length } });
    expect(error.issues!.length).toBeGreaterThan(0);
    expect(inSpanish({ key: 'errors.model.invalidSpec', params: { count: 1 }, message: '' })).toBe(
      'La configuración del modelo tiene 1 problema; aparece junto al ajuste al que se refiere.',
    );
    expect(inSpanish({ key: 'errors.model.invalidSpec', params: { count: 1200 }, message: '' })).toBe(
      'La configuración del modelo tiene 1200 problemas; cada uno aparece junto al ajuste al que se refiere.',
    );
  });
});

describe('errors of project databases', () => {
  it('a file that is not a database, and one from a newer Capa', () => {
    const dir = tempDir('capa-db-');
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'this is not a database at all, just some text that is long enough to be read');
    const notProject = toErrorValue(capture(() => openDatabase(junk)));
    expect(notProject).toMatchObject({ code: 'database-corrupt', key: 'errors.database.notProject', params: { file: junk } });
    const newer = join(dir, 'newer.db');
    const db = new Database(newer);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const tooNew = toErrorValue(capture(() => openDatabase(newer)));
    expect(tooNew).toMatchObject({
      code: 'database-too-new',
      key: 'errors.database.tooNew',
      params: { version: SCHEMA_VERSION + 1, supported: SCHEMA_VERSION },
    });
    expect(tooNew.message).toMatch(/newer version of Capa .* Update Capa/);
    expect(inSpanish(tooNew)).toBe(
      `Este proyecto se guardó con una versión más nueva de Capa (esquema ${SCHEMA_VERSION + 1}; esta lee hasta el ${SCHEMA_VERSION}). Actualiza Capa para abrirlo; el proyecto no se modificó.`,
    );
  });
});

describe('errors of the data folder', () => {
  /** A service with a settings file (so the data folder may move) over one project. */
  async function installation() {
    const userData = tempDir('capa-move-');
    const capa = service(join(userData, 'projects'), settingsFileIn(userData));
    await callOrThrow(capa, 'createProject', { name: 'Birds' });
    return { capa, userData };
  }

  it('a move to a file, to a relative path, into the folder itself', async () => {
    const { capa, userData } = await installation();
    const file = join(userData, 'notes.txt');
    writeFileSync(file, 'notes');
    const toFile = errorOf(await capa.call('moveDataFolder', { path: file }));
    expect(toFile).toEqual({
      code: 'conflict',
      key: 'errors.dataMove.isFile',
      params: { folder: file },
      message: `${file} is a file, not a folder. Choose a folder.`,
    });
    expect(inSpanish(toFile)).toBe(`${file} es un archivo, no una carpeta. Elige una carpeta.`);
    const relative = errorOf(await capa.call('moveDataFolder', { path: 'relative/folder' }));
    expect(relative).toMatchObject({ code: 'invalid-argument', key: 'errors.dataMove.notFullPath', params: { path: 'relative/folder' } });
    const inside = errorOf(await capa.call('moveDataFolder', { path: join(userData, 'projects', 'inner') }));
    expect(inside).toMatchObject({ key: 'errors.dataMove.overlaps', params: { folder: join(userData, 'projects') } });
  });

  it('a folder fixed by --data-dir is a sentence the screen translates', async () => {
    const settings = await callOrThrow(service(), 'getSettings', {});
    expect(settings.dataDirectoryFixedReason).toMatchObject({ key: 'errors.settings.fixedByCommandLine' });
    expect(inSpanish(settings.dataDirectoryFixedReason!)).toContain('--data-dir');
    expect(inSpanish(settings.dataDirectoryFixedReason!)).toMatch(/^Este Capa se inició/);
  });
});

describe('errors of pretrained networks', () => {
  it('a folder without model.json, and one whose model does not take square colour pictures', async () => {
    const cache = new BackboneCache(join(tempDir('capa-cache-'), '.backbones'));
    const empty = tempDir('capa-empty-');
    const noModel = toErrorValue(await cache.importFolder(empty).catch((error: unknown) => error));
    expect(noModel).toMatchObject({ code: 'not-found', key: 'errors.backboneFolder.noModelJson', params: { folder: empty } });
    expect(noModel.message).toMatch(/There is no model\.json in .*Choose the folder of a TensorFlow\.js model/);
    const wide = join(tempDir('capa-wide-'), 'wide');
    mkdirSync(wide);
    const layer = { class_name: 'InputLayer', config: { batch_input_shape: [null, 32, 64, 3] } };
    writeFileSync(
      join(wide, 'model.json'),
      JSON.stringify({ format: 'layers-model', modelTopology: { config: { layers: [layer] } }, weightsManifest: [] }),
    );
    const notSquare = toErrorValue(await cache.importFolder(wide).catch((error: unknown) => error));
    expect(notSquare).toMatchObject({
      code: 'invalid-argument',
      key: 'errors.backboneFolder.notSquareRgb',
      params: { folder: wide, shape: 'None, 32, 64, 3' },
    });
    expect(inSpanish(notSquare)).toBe(`El modelo de ${wide} debe recibir imágenes RGB cuadradas; su entrada es (None, 32, 64, 3).`);
  });

  it('an unknown network', async () => {
    const error = errorOf(await service().call('downloadBackbone', { id: 'no-such-network' }));
    expect(error).toMatchObject({ code: 'not-found', key: 'errors.backboneCache.unknown', params: { id: 'no-such-network' } });
  });
});

describe('refused requests name the field in words', () => {
  it('an empty and a too long project name', async () => {
    const capa = service();
    const project = await callOrThrow(capa, 'createProject', { name: 'Named' });
    const empty = errorOf(await capa.call('renameProject', { projectId: project.id, name: '   ' }));
    expect(empty).toMatchObject({ code: 'invalid-argument', key: 'errors.context.nameEmpty', message: 'A name cannot be empty.' });
    expect(empty.issues).toEqual([
      {
        path: ['name'],
        key: 'errors.context.nameEmpty',
        params: { field: 'name', minimum: 1, value: '"   "' },
        message: 'A name cannot be empty.',
      },
    ]);
    expect(inSpanish(empty)).toBe('Un nombre no puede quedar vacío.');
    const long = errorOf(await capa.call('renameProject', { projectId: project.id, name: 'x'.repeat(2001) }));
    expect(long).toMatchObject({
      key: 'errors.context.nameTooLong',
      params: { maximum: 200 },
      message: 'A name can be at most 200 characters.',
    });
    expect(inSpanish(long)).toBe('Un nombre puede tener como máximo 200 caracteres.');
  });

  it('a choice that is not one of the options, a number too large, a missing value and an unknown one', async () => {
    const capa = service();
    const theme = errorOf(await capa.call('setSettings', { theme: 'purple' }));
    expect(theme).toMatchObject({
      key: 'errors.request.notOneOf',
      params: { field: 'theme', options: 'system, light, dark' },
      message: 'Theme must be one of: system, light, dark.',
    });
    expect(inSpanish(theme)).toBe('Tema: debe ser uno de estos: system, light, dark.');
    const project = await callOrThrow(capa, 'createProject', { name: 'Limits' });
    const limit = errorOf(await capa.call('listImages', { projectId: project.id, offset: 0, limit: 5000 }));
    expect(limit).toMatchObject({
      key: 'errors.request.tooLarge',
      params: { field: 'limit', maximum: 1000, value: 5000 },
      message: 'Number of pictures can be at most 1,000.',
    });
    expect(inSpanish(limit)).toBe('Número de imágenes: puede ser como máximo 1000.');
    const missing = errorOf(await capa.call('deleteProject', {} as never));
    expect(missing).toMatchObject({ key: 'errors.request.missing', params: { field: 'projectId' }, message: 'Project is missing.' });
    expect(inSpanish(missing)).toBe('Proyecto: falta este valor.');
    const unknown = errorOf(await capa.call('setSettings', { colour: 'red' } as never));
    expect(unknown).toMatchObject({ key: 'errors.request.unknownFields', params: { names: 'colour' } });
    expect(inSpanish(unknown)).toBe('La solicitud tiene valores que Capa no conoce: colour.');
  });

  it('a picture sent empty to look inside a run is said as such, not as a shape that does not fit', async () => {
    const capa = service();
    const project = await callOrThrow(capa, 'createProject', { name: 'Inside' });
    const error = errorOf(await capa.call('activations', { projectId: project.id, runId: 'r', image: { bytes: new Uint8Array() } }));
    expect(error).toMatchObject({ code: 'invalid-argument', key: 'errors.inside.imageEmpty', message: 'The image is empty.' });
    expect(error.issues![0]!.path).toEqual(['image', 'bytes']);
    expect(inSpanish(error)).toBe('La imagen está vacía.');
  });

  it('an operation Capa does not have, and the key kept by callOrThrow', async () => {
    const capa = service();
    const error = errorOf(await capa.call('launchRocket' as never, {} as never));
    expect(error).toMatchObject({ code: 'invalid-argument', key: 'errors.request.unknownOperation', params: { name: 'launchRocket' } });
    expect(inSpanish(error)).toBe(
      'Capa no tiene ninguna operación llamada «launchRocket»; puede que esta ventana y Capa sean de versiones distintas. Vuelve a cargar la ventana.',
    );
    const thrown = await callOrThrow(capa, 'renameProject', { projectId: 'x', name: '' }).catch((caught: unknown) => caught);
    expect(thrown).toBeInstanceOf(CapaError);
    expect((thrown as CapaError).said).toMatchObject({ key: 'errors.context.nameEmpty', message: 'A name cannot be empty.' });
    expect((thrown as CapaError).issues).toHaveLength(1);
  });

  it("a schema's own sentence keeps its values: an unknown export format", async () => {
    const capa = service();
    const project = await callOrThrow(capa, 'createProject', { name: 'Export' });
    const error = errorOf(await capa.call('exportRun', { projectId: project.id, runId: 'r', format: 'pdf' as never }));
    expect(error).toMatchObject({ key: 'errors.export.unknownFormat', params: { value: '"pdf"' } });
    expect(error.message).toMatch(/^Unknown export format "pdf"\. Use one of: tfjs, keras, .*\.$/);
    expect(inSpanish(error)).toMatch(/^Formato de exportación desconocido: "pdf"\. Usa uno de estos: tfjs, keras, .*\.$/);
  });
});

describe('sentences that point to a screen name it as the screen does', () => {
  it('a full disk names the section of Preferences that moves the projects, in both languages', () => {
    expect(diskFull().message).toContain(`${en.preferences.title} > ${en.preferences.folderTitle}`);
    expect(inSpanish(diskFull())).toContain(`${es.preferences.title} > ${es.preferences.folderTitle}`);
    expect(toErrorValue(Object.assign(new Error('no space'), { code: 'ENOSPC' }))).toMatchObject({
      code: 'disk-full',
      key: 'errors.diskFull',
    });
  });

  it('a failed download names the import button, and a missing network the Model screen', () => {
    const params = { name: 'Tiny', host: 'example.org', reason: 'ENOTFOUND', url: 'https://example.org/tiny' };
    expect(CORE_CATALOGUES.en.errors.backboneDownload.failed).toContain(`"${en.model.backbone.import}"`);
    expect(inSpanish({ key: 'errors.backboneDownload.failed', params, message: '' })).toContain(`«${es.model.backbone.import}»`);
    expect(CORE_CATALOGUES.en.errors.backboneCache.notDownloaded).toContain(`${en.nav.model} screen`);
    expect(inSpanish({ key: 'errors.backboneCache.notDownloaded', params: { name: 'Tiny' }, message: '' })).toContain(
      `pantalla ${es.nav.model}`,
    );
  });
});

/** What `work` throws, which must be a CapaError. */
function capture(work: () => unknown): CapaError {
  try {
    work();
  } catch (error) {
    if (error instanceof CapaError) return error;
    throw error;
  }
  throw new Error('expected a CapaError');
}
