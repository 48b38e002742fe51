// Portability on real files: the dataset tree (folder and zip) imported back with its classes
// and splits; the .capa archive round trip restoring data, classes, splits, batches, spec and
// runs; and damaged or hostile archives refused with a reason, nothing created.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ZipFile } from 'yazl';
import yauzl from 'yauzl';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { exportDataset, writeZip } from '../../main/core/dataset/export';
import { entriesFromPaths, importEntries, runImport } from '../../main/core/dataset/import-files';
import { ProjectLibrary } from '../../main/core/projects/library';
import type { Project } from '../../main/core/projects/project';
import { exportProjectArchive, importProjectArchive, safeEntryName } from '../../main/core/projects/archive';
import { writeShapeDataset } from '../helpers/shapes';
import { removeTempDirs, tempDir } from '../helpers/temp';

afterAll(removeTempDirs);

let library: ProjectLibrary;
let project: Project;
beforeEach(async () => {
  library = new ProjectLibrary(tempDir());
  project = library.create('Portable');
  const root = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 7, size: 16 });
  await importEntries(project, await entriesFromPaths([root]));
  const loose = join(tempDir(), 'loose');
  await writeShapeDataset(loose, { perClass: 1, size: 16, seed: 4, shapes: ['square'] });
  await importEntries(project, await entriesFromPaths([join(loose, 'square', 'square-0.png')]));
  // A class whose name is not a valid folder name on Windows.
  project.classes.rename(project.classes.byName('circle')!.id, 'round: "o"');
});

/** Image facts that must survive a round trip, keyed by content hash. */
function facts(p: Project): Map<string, string> {
  const rows = p.db.prepare('SELECT i.hash, c.name, i.split, i.pinned FROM images i LEFT JOIN classes c ON c.id = i.class_id').all() as {
    hash: string;
    name: string | null;
    split: string;
    pinned: number;
  }[];
  return new Map(rows.map((r) => [r.hash, `${r.name}|${r.split}|${r.pinned}`]));
}

const unpinned = (m: Map<string, string>) => new Map([...m].map(([k, v]) => [k, v.replace(/\|\d$/, '')]));

describe('dataset export', () => {
  it('writes a folder per class with dataset.csv, which imports back with the same classes and splits', async () => {
    project.splits.setShares({ train: 40, validation: 30, test: 30 });
    const result = await exportDataset(project, 'folder');
    const tree = join(result.directory, result.files[0]!);
    const csv = readFileSync(join(tree, 'dataset.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('file,class,split');
    expect(csv).toHaveLength(23);
    expect(csv.some((line) => line.startsWith('round_ _o_/') && line.includes(',"round: ""o""",'))).toBe(true);
    expect(csv.filter((line) => !line.includes('/'))).toEqual([
      'file,class,split',
      expect.stringMatching(/^square-0\.png,,(train|validation|test)$/),
    ]);

    const copy = library.create('Copy');
    const report = await importEntries(copy, await entriesFromPaths([tree]));
    expect(report.rejected).toEqual([]);
    expect(report.imported).toBe(22);
    // Unpinned, the way a person's own folder would be; the class folder name stands for the class.
    const expected = new Map([...unpinned(facts(project))].map(([k, v]) => [k, v.replace('round: "o"', 'round_ _o_')]));
    expect(unpinned(facts(copy))).toEqual(expected);
  });

  it('writes the same tree as a zip under one top folder', async () => {
    const result = await exportDataset(project, 'zip');
    expect(result.files[0]).toMatch(/^Portable-dataset-\d{8}-\d{6}\.zip$/);
    const names = await zipNames(join(result.directory, result.files[0]!));
    const top = result.files[0]!.replace(/\.zip$/, '');
    expect(names).toContain(`${top}/dataset.csv`);
    expect(names.filter((n) => n.startsWith(`${top}/square/`))).toHaveLength(7);
    expect(names).toHaveLength(23);
  });
});

function zipNames(file: string): Promise<string[]> {
  return new Promise((resolve, reject) =>
    yauzl.open(file, { lazyEntries: false }, (error, zip) => {
      if (error) return reject(error);
      const names: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => names.push(entry.fileName));
      zip.on('end', () => resolve(names));
    }),
  );
}

describe('project archive', () => {
  it('round-trips data, classes, splits, pins, batches, spec and runs into a new project', async () => {
    const { batchId } = await runImport(
      project,
      await entriesFromPaths([await writeShapeDataset(join(tempDir(), 'extra'), { perClass: 1, size: 16, seed: 9 })]),
    );
    project.batches.pin(batchId, 'test');
    project.splits.setShares({ train: 60, validation: 20, test: 20 });
    const runs = project.runs;
    const run = runs.create('run-1', project.specs.current(), ['round: "o"', 'square', 'triangle']);
    runs.setStatus(run.id, 'completed');
    mkdirSync(join(project.paths.run(run.id), 'best'), { recursive: true });
    writeFileSync(join(project.paths.run(run.id), 'best', 'model.json'), '{"weights":true}');

    const archive = await exportProjectArchive(project);
    const file = join(archive.directory, archive.files[0]!);
    const summary = await importProjectArchive(library, file);
    expect(summary.id).not.toBe(project.id);
    expect(summary).toMatchObject({ name: 'Portable (imported)', imageCount: 25, classCount: 4 });
    const copy = library.get(summary.id);
    expect(facts(copy)).toEqual(facts(project));
    expect(copy.classes.list()).toEqual(project.classes.list());
    expect(copy.dataset().splitShares).toEqual({ train: 60, validation: 20, test: 20 });
    expect(copy.dataset().batches).toEqual(project.dataset().batches);
    expect(copy.specs.current()).toEqual(project.specs.current());
    expect(copy.runs.get('run-1')).toMatchObject({ status: 'completed', classNames: run.classNames });
    expect(readFileSync(join(copy.paths.weights('run-1', 'best'), 'model.json'), 'utf8')).toBe('{"weights":true}');
    const image = copy.images.list({}, 0, 1).images[0]!;
    const stored = copy.images.file(image.id)!;
    expect(readFileSync(copy.paths.image(stored.hash, stored.ext)).length).toBe(image.bytes);
  });

  it('refuses a damaged archive, a foreign zip and entries escaping the folder, creating nothing', async () => {
    const archive = await exportProjectArchive(project);
    const good = readFileSync(join(archive.directory, archive.files[0]!));
    const before = library.list().length;
    const dir = tempDir();

    // Flip bytes inside a stored (uncompressed) image: the zip still reads, the checksum does not match.
    const damaged = Buffer.from(good);
    const at = damaged.indexOf(Buffer.from('IDAT'));
    damaged[at + 8] = damaged[at + 8]! ^ 0xff;
    writeFileSync(join(dir, 'damaged.capa'), damaged);
    await expect(importProjectArchive(library, join(dir, 'damaged.capa'))).rejects.toMatchObject({
      code: 'invalid-argument',
      message: expect.stringMatching(/damaged/),
    });

    writeFileSync(join(dir, 'cut.capa'), good.subarray(0, good.length - 200));
    await expect(importProjectArchive(library, join(dir, 'cut.capa'))).rejects.toMatchObject({
      message: expect.stringMatching(/not a readable archive/),
    });

    await writeZip(join(dir, 'foreign.capa'), [{ path: 'hello.txt', bytes: Buffer.from('hi'), compress: true }]);
    await expect(importProjectArchive(library, join(dir, 'foreign.capa'))).rejects.toMatchObject({
      message: expect.stringMatching(/outside the project folder/),
    });

    // A hand-made zip whose entry name climbs out: written as "ab/evil", then renamed in place.
    const zip = new ZipFile();
    zip.addBuffer(Buffer.from('{}'), 'manifest.json');
    zip.addBuffer(Buffer.from('x'), 'ab/evil');
    zip.end();
    const chunks: Buffer[] = [];
    for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
    const hostile = Buffer.concat(chunks);
    for (let i = hostile.indexOf('ab/evil'); i >= 0; i = hostile.indexOf('ab/evil', i + 1)) hostile.write('../evil', i);
    writeFileSync(join(dir, 'hostile.capa'), hostile);
    await expect(importProjectArchive(library, join(dir, 'hostile.capa'))).rejects.toMatchObject({ code: 'invalid-argument' });

    expect(library.list()).toHaveLength(before);
    expect(['../evil', '/etc/passwd', 'C:/x', 'store/../../x', 'store\\x', 'exports/a.zip'].map(safeEntryName)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(['manifest.json', 'project.db', 'store/ab/abc.png', 'runs/r/best/model.json'].map(safeEntryName)).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });
});
