// Every accepted format through the real importer: BMP (decoded by bmp-ts), GIF (first frame),
// TIFF, WebP, EXIF orientation, grayscale, RGBA and 16-bit; and files whose read fails.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { entriesFromPaths, importEntries, MAX_PIXELS } from '../../main/core/dataset/import-files';
import { ProjectLibrary } from '../../main/core/projects/library';
import type { Project } from '../../main/core/projects/project';
import { ImageStore } from '../../main/core/dataset/image-store';
import { bmpImage as bmp } from '../helpers/broken-files';
import { removeTempDirs, tempDir } from '../helpers/temp';

afterAll(removeTempDirs);

let project: Project;
beforeEach(() => {
  project = new ProjectLibrary(tempDir()).create('Formats');
});

const gradient = (width: number, height: number, channels: 1 | 3 | 4) =>
  sharp(Buffer.from(Array.from({ length: width * height * channels }, (_, i) => (i * 37) % 256)), { raw: { width, height, channels } });

async function importOne(name: string, bytes: Buffer) {
  const dir = join(tempDir(), 'drop');
  mkdirSync(dir);
  writeFileSync(join(dir, name), bytes);
  const report = await importEntries(project, await entriesFromPaths([join(dir, name)]));
  const { images } = project.images.list({ search: name.replace(/\..*$/, '') }, 0, 10);
  return { report, image: images[0] };
}

describe('formats', () => {
  it('imports a BMP as a lossless PNG with the same pixels, and finds the same BMP again as a duplicate', async () => {
    const { report, image } = await importOne('flag.bmp', bmp(30, 10));
    expect(report.rejected).toEqual([]);
    expect([image!.width, image!.height]).toEqual([30, 10]);
    const file = project.images.file(image!.id)!;
    expect(file.ext).toBe('png');
    const { data, info } = await sharp(new ImageStore(project.dir).imagePath(file.hash, file.ext))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(3);
    expect([...data.subarray(0, 3)]).toEqual([255, 0, 0]);
    expect([...data.subarray((30 - 1) * 3, 30 * 3)]).toEqual([0, 0, 255]);
    const again = await importOne('flag.bmp', bmp(30, 10));
    expect(again.report.duplicates).toHaveLength(1);
  });

  it('refuses a truncated BMP and a BMP whose header claims too many pixels', async () => {
    const whole = bmp(40, 40);
    expect((await importOne('cut.bmp', whole.subarray(0, whole.length - 600))).report.rejected[0]!.reason).toBe('truncated');
    const bomb = Buffer.from(whole);
    bomb.writeInt32LE(20_000, 18);
    bomb.writeInt32LE(20_000, 22);
    const rejected = (await importOne('bomb.bmp', bomb)).report.rejected[0]!;
    expect(rejected.reason).toBe('too-many-pixels');
    expect(rejected.message).toContain(`${MAX_PIXELS / 1_000_000} megapixels`);
  });

  it('takes the first frame of an animated GIF', async () => {
    const red = await sharp({ create: { width: 12, height: 8, channels: 3, background: '#ff0000' } })
      .png()
      .toBuffer();
    const blue = await sharp({ create: { width: 12, height: 8, channels: 3, background: '#0000ff' } })
      .png()
      .toBuffer();
    const gif = await sharp([red, blue], { join: { animated: true } })
      .gif()
      .toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(2);
    const { report, image } = await importOne('anim.gif', gif);
    expect(report.imported).toBe(1);
    expect([image!.width, image!.height]).toEqual([12, 8]);
  });

  it('applies EXIF orientation (a 40x20 JPEG marked "rotate 90" is 20x40 upright, thumbnail too)', async () => {
    const jpeg = await gradient(40, 20, 3).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const { image } = await importOne('phone.jpg', jpeg);
    expect([image!.width, image!.height]).toEqual([20, 40]);
    const thumb = await sharp(new ImageStore(project.dir).thumbnailPath(project.images.file(image!.id)!.hash)).metadata();
    expect(thumb.height! > thumb.width!).toBe(true);
  });

  it('accepts grayscale, RGBA and 16-bit PNG, TIFF and WebP', async () => {
    const files: [string, Buffer][] = [
      ['gray.png', await gradient(16, 16, 1).png().toBuffer()],
      ['alpha.png', await gradient(16, 16, 4).png().toBuffer()],
      ['deep.png', await gradient(16, 16, 3).toColourspace('rgb16').png().toBuffer()],
      ['scan.tif', await gradient(16, 16, 3).tiff().toBuffer()],
      ['web.webp', await gradient(16, 16, 3).webp({ lossless: true }).toBuffer()],
    ];
    expect((await sharp(files[2]![1]).metadata()).depth).toBe('ushort');
    const dir = join(tempDir(), 'kinds');
    mkdirSync(dir);
    for (const [name, bytes] of files) writeFileSync(join(dir, name), bytes);
    const report = await importEntries(project, await entriesFromPaths([dir]));
    expect(report.rejected).toEqual([]);
    expect(report.imported).toBe(5);
  });
});

describe('files whose read fails (root reads every file, so permissions are simulated by failing reads)', () => {
  it('lists a broken symbolic link and a folder named like an image as unreadable', async () => {
    const dir = join(tempDir(), 'odd');
    mkdirSync(dir);
    symlinkSync(join(dir, 'gone.jpg'), join(dir, 'link.jpg'));
    const folder = join(dir, 'folder.jpg');
    mkdirSync(folder);
    const report = await importEntries(project, [
      ...(await entriesFromPaths([dir])),
      { relativePath: 'folder.jpg', read: () => readFile(folder) },
    ]);
    expect(report.rejected.map((r) => [r.file, r.reason])).toEqual([
      ['odd/link.jpg', 'unreadable'],
      ['folder.jpg', 'unreadable'],
    ]);
    expect(report.rejected[1]!.message).toContain('EISDIR');
  });
});
