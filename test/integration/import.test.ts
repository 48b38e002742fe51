import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { entriesFromPaths, entriesFromUploads, importEntries, MAX_PIXELS, planClasses } from '../../main/core/dataset/import-files';
import { ProjectLibrary } from '../../main/core/projects/library';
import type { Project } from '../../main/core/projects/project';
import { ImageStore } from '../../main/core/dataset/image-store';
import { pngClaiming } from '../helpers/broken-files';
import { shapeImage, writeShapeDataset } from '../helpers/shapes';
import { removeTempDirs, tempDir } from '../helpers/temp';

afterAll(removeTempDirs);

let project: Project;
beforeEach(() => {
  project = new ProjectLibrary(tempDir()).create('Import test');
});

describe('folder conventions (Keras image_dataset_from_directory)', () => {
  it('makes one class per sub-folder of a dropped folder, with every image stored and a thumbnail', async () => {
    const root = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 4, size: 40 });
    const report = await importEntries(project, await entriesFromPaths([root]));
    expect(report.imported).toBe(12);
    expect(report.rejected).toEqual([]);
    expect(report.classesCreated.sort()).toEqual(['circle', 'square', 'triangle']);
    const classes = project.classes.list();
    expect(classes.map((c) => [c.name, c.imageCount])).toEqual(
      expect.arrayContaining([
        ['circle', 4],
        ['square', 4],
        ['triangle', 4],
      ]),
    );
    const store = new ImageStore(project.dir);
    const { images } = project.images.list({}, 0, 100);
    for (const image of images) {
      const file = project.images.file(image.id)!;
      expect(existsSync(store.imagePath(file.hash, file.ext))).toBe(true);
      expect((await sharp(store.thumbnailPath(file.hash)).metadata()).format).toBe('webp');
      expect([image.width, image.height]).toEqual([40, 40]);
    }
  });

  it('makes a flat folder one class named after it, and loose files go to the target class or Unlabelled', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'apples'));
    writeFileSync(join(dir, 'apples', 'a.png'), await shapeImage('circle', { seed: 10 }));
    writeFileSync(join(dir, 'apples', 'b.png'), await shapeImage('circle', { seed: 11 }));
    writeFileSync(join(dir, 'loose.png'), await shapeImage('square', { seed: 12 }));
    const report = await importEntries(project, await entriesFromPaths([join(dir, 'apples'), join(dir, 'loose.png')]));
    expect(report.classesCreated).toEqual(['apples']);
    expect(project.dataset().unlabelledCount).toBe(1);

    const target = project.classes.create('pears');
    writeFileSync(join(dir, 'other.png'), await shapeImage('triangle', { seed: 13 }));
    await importEntries(project, await entriesFromPaths([join(dir, 'other.png')]), { classId: target.id });
    expect(project.classes.get(target.id).imageCount).toBe(1);
  });

  it('plans uploaded relative paths the same way as paths on disk', () => {
    const bytes = new Uint8Array([1]);
    const entries = entriesFromUploads([
      { relativePath: 'zoo/cats/a.jpg', bytes },
      { relativePath: 'zoo/dogs/b.jpg', bytes },
      { relativePath: 'zoo/readme.jpg', bytes },
      { relativePath: 'flat/c.jpg', bytes },
      { relativePath: 'single.jpg', bytes },
      { relativePath: 'zoo/.DS_Store', bytes },
    ]);
    const plan = [...planClasses(entries)].map(([entry, name]) => [entry.relativePath, name]);
    expect(plan).toEqual(
      expect.arrayContaining([
        ['zoo/cats/a.jpg', 'cats'],
        ['zoo/dogs/b.jpg', 'dogs'],
        ['zoo/readme.jpg', null],
        ['flat/c.jpg', 'flat'],
        ['single.jpg', null],
      ]),
    );
    expect(entries).toHaveLength(5);
  });
});

describe('files that cannot be used', () => {
  it('lists each with its reason and imports the rest', async () => {
    const dir = join(tempDir(), 'mixed');
    mkdirSync(dir);
    const good = await shapeImage('circle', { seed: 2, size: 64, format: 'jpeg' });
    writeFileSync(join(dir, 'good.jpg'), good);
    writeFileSync(join(dir, 'empty.png'), Buffer.alloc(0));
    writeFileSync(join(dir, 'cut.jpg'), good.subarray(0, Math.floor(good.length * 0.6)));
    const png = await shapeImage('square', { seed: 3, size: 64 });
    writeFileSync(join(dir, 'cut.png'), png.subarray(0, Math.floor(png.length * 0.7)));
    writeFileSync(join(dir, 'noise.png'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    writeFileSync(join(dir, 'notes.txt'), 'shopping list');
    writeFileSync(join(dir, 'drawing.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
    writeFileSync(join(dir, 'bomb.png'), await pngClaiming(20_000, 20_000));
    const entries = await entriesFromPaths([dir, join(dir, 'vanished.png')]);
    const report = await importEntries(project, entries);
    expect(report.imported).toBe(1);
    const reasons = Object.fromEntries(report.rejected.map((r) => [r.file.split('/').pop(), r.reason]));
    expect(reasons).toEqual({
      'empty.png': 'empty',
      'cut.jpg': 'truncated',
      'cut.png': 'truncated',
      'noise.png': 'corrupt',
      'notes.txt': 'not-an-image',
      'drawing.svg': 'unsupported-format',
      'bomb.png': 'too-many-pixels',
      'vanished.png': 'unreadable',
    });
    for (const rejected of report.rejected) expect(rejected.message.length).toBeGreaterThan(10);
    expect(report.rejected.find((r) => r.reason === 'too-many-pixels')!.message).toContain(`${MAX_PIXELS / 1_000_000} megapixels`);
  });
});

describe('duplicates and splits', () => {
  it('does not add the same bytes twice and says which class holds them', async () => {
    const root = await writeShapeDataset(join(tempDir(), 'set'), { perClass: 2, shapes: ['circle'] });
    await importEntries(project, await entriesFromPaths([root]));
    const again = await importEntries(project, await entriesFromPaths([join(root, 'circle', 'circle-0.png')]));
    expect(again.imported).toBe(0);
    expect(again.duplicates).toEqual([{ file: 'circle-0.png', className: 'circle' }]);
    expect(project.summary().imageCount).toBe(2);
  });

  it('keeps every existing image in its split when more images are added', async () => {
    const first = await writeShapeDataset(join(tempDir(), 'a'), { perClass: 30, size: 16, seed: 1 });
    await importEntries(project, await entriesFromPaths([first]));
    const before = new Map(project.images.list({}, 0, 1000).images.map((i) => [i.id, i.split]));
    const second = await writeShapeDataset(join(tempDir(), 'b'), { perClass: 30, size: 16, seed: 2 });
    await importEntries(project, await entriesFromPaths([second]));
    const after = project.images.list({}, 0, 1000).images;
    expect(after.length).toBe(180);
    for (const image of after) if (before.has(image.id)) expect(image.split).toBe(before.get(image.id));
    const counts = project.dataset().splitCounts;
    expect(counts.train).toBeGreaterThan(counts.validation);
    expect(counts.validation).toBeGreaterThan(0);
    expect(counts.test).toBeGreaterThan(0);
  });

  it('stops between chunks when cancelled and keeps what was imported, consistently', async () => {
    const root = await writeShapeDataset(join(tempDir(), 'many'), { perClass: 20, size: 16 });
    const controller = new AbortController();
    const entries = await entriesFromPaths([root]);
    await expect(
      importEntries(project, entries, { signal: controller.signal, onProgress: (p) => p.done >= 16 && controller.abort() }),
    ).rejects.toMatchObject({ code: 'cancelled' });
    const stored = project.images.list({}, 0, 100);
    expect(stored.total).toBe(16);
    const store = new ImageStore(project.dir);
    for (const image of stored.images) {
      const file = project.images.file(image.id)!;
      expect(readFileSync(store.imagePath(file.hash, file.ext)).length).toBeGreaterThan(0);
    }
  });
});
