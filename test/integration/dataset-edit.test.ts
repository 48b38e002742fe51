// Labelling and cleaning on a real project: filters, class edits, undo of every destructive
// action (with the trash kept until the next one), warnings, batches and stratified splits.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { ImageInfo, Split } from '../../preload/contract';
import { entriesFromPaths, importEntries, runImport } from '../../main/core/dataset/import-files';
import { ProjectLibrary } from '../../main/core/projects/library';
import type { Project } from '../../main/core/projects/project';
import { ImageStore } from '../../main/core/dataset/image-store';
import { shapeImage, writeShapeDataset } from '../helpers/shapes';
import { removeTempDirs, tempDir } from '../helpers/temp';

afterAll(removeTempDirs);

let project: Project;
beforeEach(() => {
  project = new ProjectLibrary(tempDir()).create('Edit test');
});

const all = (): ImageInfo[] => project.images.list({}, 0, 1000).images;
const classId = (name: string) => project.classes.byName(name)!.id;
const storedFileExists = (image: { hash: string; ext: string }) => existsSync(new ImageStore(project.dir).imagePath(image.hash, image.ext));

async function importShapes(perClass: number, seed = 1, size = 16) {
  const root = await writeShapeDataset(join(tempDir(), `shapes-${seed}`), { perClass, size, seed });
  return importEntries(project, await entriesFromPaths([root]));
}

describe('filters', () => {
  it('combine class, split, file name, shorter side and batch, with the total counted the same way', async () => {
    await importShapes(6);
    const small = join(tempDir(), 'small');
    mkdirSync(small);
    writeFileSync(join(small, 'Tiny-One.png'), await shapeImage('circle', { seed: 99, size: 8 }));
    const second = await runImport(project, await entriesFromPaths([small]), { split: 'test' });
    expect(project.images.list({ classId: classId('circle') }, 0, 100).total).toBe(6);
    expect(project.images.list({ classId: null }, 0, 100).total).toBe(0);
    expect(project.images.list({ search: 'TINY' }, 0, 100).images.map((i) => i.fileName)).toEqual(['Tiny-One.png']);
    expect(project.images.list({ maxSide: 10 }, 0, 100).total).toBe(1);
    expect(project.images.list({ minSide: 10 }, 0, 100).total).toBe(18);
    const batch = project.images.list({ batchId: second.batchId }, 0, 100);
    expect(batch.images).toHaveLength(1);
    expect(batch.images[0]).toMatchObject({ split: 'test', pinned: true, batchId: second.batchId, bytes: expect.any(Number) });
    const trainCircles = project.images.list({ classId: classId('circle'), split: 'train' }, 0, 2);
    expect(trainCircles.images.length).toBeLessThanOrEqual(2);
    expect(trainCircles.total).toBe(project.classes.get(classId('circle')).splitCounts.train);
    expect(project.dataset().batches.map((b) => [b.label.message, b.imported, b.pinnedSplit])).toEqual([
      ['small', 1, 'test'],
      ['shapes-1', 18, null],
    ]);
  });
});

describe('classes and undo', () => {
  it('recolours, merges and undoes the merge with every image back in its class', async () => {
    await importShapes(4);
    expect(project.classes.recolor(classId('circle'), '#123456').color).toBe('#123456');
    const squares = all()
      .filter((i) => i.classId === classId('square'))
      .map((i) => i.id);
    const merged = project.classes.merge(classId('square'), classId('circle'));
    expect(merged.target.imageCount).toBe(8);
    expect(project.classes.byName('square')).toBeUndefined();
    expect(project.dataset().undo).toEqual({
      description: { message: 'Merge "square" into "circle"', key: 'data.undo.merge', params: { source: 'square', target: 'circle' } },
    });
    expect(project.undo().description.message).toContain('Merge');
    const square = project.classes.byName('square')!;
    expect(
      all()
        .filter((i) => i.classId === square.id)
        .map((i) => i.id),
    ).toEqual(squares);
    expect(project.dataset().undo).toBeNull();
    expect(() => project.undo()).toThrow(/nothing to undo/);
  });

  it('deletes a class moving its images to Unlabelled, and undo relabels them', async () => {
    await importShapes(3);
    const id = classId('triangle');
    project.classes.delete(id, false);
    expect(project.dataset().unlabelledCount).toBe(3);
    project.undo();
    expect(project.classes.get(id).imageCount).toBe(3);
  });

  it('deletes a class with its images; the files stay until the next destructive action, and undo brings all back', async () => {
    await importShapes(3);
    const id = classId('triangle');
    const files = all()
      .filter((i) => i.classId === id)
      .map((i) => project.images.file(i.id)!);
    project.classes.delete(id, true);
    expect(project.summary().imageCount).toBe(6);
    expect(files.every(storedFileExists)).toBe(true);
    project.undo();
    expect(project.classes.get(id).imageCount).toBe(3);

    const purged = project.classes.delete(id, true);
    expect(purged).toEqual([]);
    const next = project.images.delete([all()[0]!.id]);
    expect(next.map((f) => f.hash).sort()).toEqual(files.map((f) => f.hash).sort());
  });

  it('undoes a move and a delete of images; a later import of a deleted image is not doubled by undo', async () => {
    await importShapes(3);
    const [a, b] = all().filter((i) => i.classId === classId('circle'));
    project.images.setClass([a!.id, b!.id], classId('square'));
    expect(project.dataset().undo!.description).toEqual({
      message: 'Move 2 pictures to "square"',
      key: 'data.undo.move',
      params: { count: 2, name: 'square' },
    });
    project.undo();
    expect(all().filter((i) => i.classId === classId('circle'))).toHaveLength(3);

    const deleted = project.images.file(a!.id)!;
    project.images.delete([a!.id]);
    expect(project.images.findByHash(deleted.hash)).toBeUndefined();
    project.undo();
    expect(project.images.findByHash(deleted.hash)).toMatchObject({ imageId: a!.id, className: 'circle' });

    project.images.delete([a!.id]);
    const root = await writeShapeDataset(join(tempDir(), 'again'), { perClass: 3, size: 16, seed: 1 });
    await importEntries(project, await entriesFromPaths([root]));
    project.undo();
    expect(project.summary().imageCount).toBe(9);
  });

  it('refuses to undo a class deletion while another class took its name', async () => {
    await importShapes(1);
    project.classes.delete(classId('circle'), false);
    project.classes.create('Circle');
    expect(() => project.undo()).toThrow(/exists again/);
  });
});

describe('warnings', () => {
  it('names classes with too few images, without validation images, and strong imbalance', async () => {
    await importShapes(4);
    const warnings = project.dataset().warnings;
    expect(warnings.filter((w) => w.message.includes('has only 4 pictures'))).toHaveLength(3);
    expect(warnings[0]).toMatchObject({ key: 'data.warnings.tooFew', params: { name: 'circle', count: 4, missing: 6 } });
    const root = await writeShapeDataset(join(tempDir(), 'big'), { perClass: 40, size: 12, seed: 5, shapes: ['circle'] });
    await importEntries(project, await entriesFromPaths([root]));
    const after = project.dataset().warnings;
    expect(after.some((w) => w.message.startsWith('The classes are unbalanced: "circle" has 44 pictures but'))).toBe(true);
    expect(after.at(-1)).toMatchObject({ key: 'data.warnings.unbalanced', params: { largest: 'circle', count: 44, smallestCount: 4 } });
    expect(after.some((w) => w.message.startsWith('"circle"'))).toBe(false);
  });
});

describe('splits', () => {
  const countsOf = (name: string) => project.classes.get(classId(name)).splitCounts;

  it('are stratified per class and never move an existing image when images are added', async () => {
    await importShapes(20, 1);
    for (const name of ['circle', 'square', 'triangle']) expect(countsOf(name)).toEqual({ train: 14, validation: 3, test: 3 });
    const before = new Map(all().map((i) => [i.id, i.split]));
    await importShapes(20, 2);
    for (const image of all()) if (before.has(image.id)) expect(image.split).toBe(before.get(image.id));
    for (const name of ['circle', 'square', 'triangle']) expect(countsOf(name)).toEqual({ train: 28, validation: 6, test: 6 });
  });

  it('re-balance unpinned images to new shares, leaving pinned ones where they were put', async () => {
    await importShapes(20);
    const circles = all().filter((i) => i.classId === classId('circle'));
    const pinned = circles.slice(0, 4).map((i) => i.id);
    project.splits.pin(pinned, 'test');
    project.splits.setShares({ train: 50, validation: 50, test: 0 });
    expect(project.dataset().splitShares).toEqual({ train: 50, validation: 50, test: 0 });
    const after = new Map(all().map((i) => [i.id, i]));
    for (const id of pinned) expect(after.get(id)).toMatchObject({ split: 'test', pinned: true });
    expect(countsOf('circle')).toEqual({ train: 8, validation: 8, test: 4 });
    expect(countsOf('square')).toEqual({ train: 10, validation: 10, test: 0 });
    expect(() => project.splits.setShares({ train: 50, validation: 40, test: 0 })).toThrow(/add up to 100/);
    project.splits.pin(pinned, null);
    project.splits.setShares({ train: 50, validation: 50, test: 0 });
    expect(countsOf('circle')).toEqual({ train: 10, validation: 10, test: 0 });
  });

  it('pin a whole batch, including images the batch brings in later', async () => {
    const root = await writeShapeDataset(join(tempDir(), 'holdout'), { perClass: 3, size: 16, seed: 7 });
    const { batchId } = await runImport(project, await entriesFromPaths([root]));
    project.batches.pin(batchId, 'validation');
    const splits = new Set<Split>(all().map((i) => i.split));
    expect([...splits]).toEqual(['validation']);
    const more = await writeShapeDataset(join(tempDir(), 'more'), { perClass: 1, size: 16, seed: 8 });
    await runImport(project, await entriesFromPaths([more]), { batchId });
    expect(all().every((i) => i.split === 'validation' && i.pinned)).toBe(true);
    expect(() => project.batches.pin(9999, 'test')).toThrow(/no import batch/);
  });
});
