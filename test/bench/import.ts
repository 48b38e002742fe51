// Dataset benchmarks: import throughput of 640x480 JPEG photos (hashing, copying, thumbnails)
// with the peak memory of the importing process at 500 and at 1,000 photos, and the time to
// open a 50,000-image project and list its first grid page. Each import runs in its own
// process (this file, forked with "child"), so peak RSS belongs to that import alone.
import { fork } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { entriesFromPaths, runImport } from '../../main/core/dataset/import-files';
import { ProjectLibrary } from '../../main/core/projects/library';
import { ImageStore } from '../../main/core/dataset/image-store';
import { seededRandom } from '../helpers/shapes';

const WIDTH = 640;
const HEIGHT = 480;

/** Photos with a smooth scene and sensor-like noise, so JPEG sizes are like a camera's (~100 KB). */
export async function writePhotos(dir: string, count: number): Promise<number> {
  mkdirSync(dir, { recursive: true });
  const random = seededRandom(42);
  const noise = Buffer.alloc(WIDTH * HEIGHT * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = Math.floor(random() * 24);
  let bytes = 0;
  const pixels = Buffer.alloc(WIDTH * HEIGHT * 3);
  for (let n = 0; n < count; n++) {
    const r = 60 + ((n * 37) % 160);
    const g = 60 + ((n * 91) % 160);
    const b = 60 + ((n * 53) % 160);
    const shift = (n * 7919) % noise.length;
    for (let y = 0, i = 0; y < HEIGHT; y++)
      for (let x = 0; x < WIDTH; x++, i += 3) {
        const shade = (x + y) >> 3;
        const k = (i + shift) % noise.length;
        pixels[i] = (r + shade + noise[k]!) & 255;
        pixels[i + 1] = (g + (shade >> 1) + noise[k + 1 === noise.length ? 0 : k + 1]!) & 255;
        pixels[i + 2] = (b + noise[k + 2 >= noise.length ? 0 : k + 2]!) & 255;
      }
    const jpeg = await sharp(pixels, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
      .jpeg({ quality: 85 })
      .toBuffer();
    writeFileSync(join(dir, `photo-${String(n).padStart(4, '0')}.jpg`), jpeg);
    bytes += jpeg.length;
  }
  return bytes / count;
}

interface ChildResult {
  imported: number;
  seconds: number;
  /** CPU time (user + system) of the whole process: steadier than wall time on a busy machine. */
  cpuSeconds: number;
  maxRssMiB: number;
}

/** In the child: imports `photos` into a fresh project and reports time and peak memory. */
async function child(dataDir: string, photos: string): Promise<void> {
  const project = new ProjectLibrary(dataDir).create('Bench');
  const started = performance.now();
  const cpu = process.cpuUsage();
  const { report } = await runImport(project, await entriesFromPaths([photos]));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const result: ChildResult = { imported: report.imported, seconds, cpuSeconds, maxRssMiB: process.resourceUsage().maxRSS / 1024 };
  process.send!(result);
}

function importInChild(dataDir: string, photos: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const worker = fork(__filename, ['child', dataDir, photos], { stdio: 'inherit' });
    worker.once('message', (message) => resolve(message as ChildResult));
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`The import process exited with ${code}.`)));
  });
}

/** A project of `count` images made fast: rows inserted directly, tiny thumbnails for the first page only. */
export async function bigProject(dataDir: string, count: number, page: number): Promise<string> {
  const library = new ProjectLibrary(dataDir);
  const project = library.create('Fifty thousand');
  const classes = ['cat', 'dog', 'bird', 'fish'].map((name) => project.classes.create(name).id);
  const thumb = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#888' } })
    .webp()
    .toBuffer();
  const store = new ImageStore(project.dir);
  const insert = project.db.prepare(
    `INSERT INTO images (hash, ext, class_id, split, file_name, width, height, bytes, imported_at, batch_id, pinned)
     VALUES (?, 'jpg', ?, ?, ?, 640, 480, 100000, '2026-01-01T00:00:00Z', NULL, 0)`,
  );
  const splits = ['train', 'train', 'train', 'train', 'train', 'train', 'train', 'validation', 'test', 'validation'];
  project.db.transaction(() => {
    for (let i = 0; i < count; i++) insert.run(i.toString(16).padStart(64, '0'), classes[i % 4]!, splits[i % 10]!, `img-${i}.jpg`);
  })();
  for (let i = 0; i < page * 4; i++) {
    const file = store.thumbnailPath(i.toString(16).padStart(64, '0'));
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, thumb);
  }
  const id = project.id;
  library.close();
  return id;
}

export async function importBench(root: string): Promise<void> {
  console.log('\nImport of 640x480 JPEG photos (decode, SHA-256, copy into the store, 160 px WebP thumbnail), one process per run:');
  const photos500 = join(root, 'photos-500');
  const photos1000 = join(root, 'photos-1000');
  const average = await writePhotos(photos1000, 1000);
  // The 500 are the first half of the 1,000, copied: the same photos, so only the count differs.
  mkdirSync(photos500);
  for (const name of readdirSync(photos1000).sort().slice(0, 500)) copyFileSync(join(photos1000, name), join(photos500, name));
  console.log(`  photos average ${(average / 1024).toFixed(0)} KiB`);
  const half = await importInChild(join(root, 'data-500'), photos500);
  const full = await importInChild(join(root, 'data-1000'), photos1000);
  for (const [n, r] of [
    [500, half],
    [1000, full],
  ] as const) {
    console.log(
      `  ${n} photos: ${r.imported} imported in ${r.seconds.toFixed(1)} s = ${(r.imported / r.seconds).toFixed(0)} images/s; ` +
        `${((r.cpuSeconds / r.imported) * 1000).toFixed(1)} CPU ms per image (at most ${((os.availableParallelism() * r.imported) / r.cpuSeconds).toFixed(0)} images/s on ${os.availableParallelism()} idle cores); peak RSS ${r.maxRssMiB.toFixed(0)} MiB`,
    );
  }

  const count = 50_000;
  const page = 200;
  const dataDir = join(root, 'data-50k');
  const id = await bigProject(dataDir, count, page);
  const started = performance.now();
  const library = new ProjectLibrary(dataDir);
  const project = library.get(id);
  const view = project.dataset();
  const first = project.images.list({ classId: view.classes[0]!.id }, 0, page);
  const store = new ImageStore(project.dir);
  await Promise.all(first.images.map((image) => readFile(store.thumbnailPath(project.images.file(image.id)!.hash))));
  const opened = performance.now() - started;
  const timed = (work: () => unknown) => {
    const t = performance.now();
    work();
    return (performance.now() - t).toFixed(1);
  };
  console.log(
    `\n${count.toLocaleString('en-US')}-image project: open + dataset view + first page of ${page} (class filter) + reading its ${page} thumbnails: ${opened.toFixed(0)} ms`,
  );
  console.log(
    `  later pages: offset 40,000 ${timed(() => project.images.list({}, 40_000, page))} ms; search "img-4999" ${timed(() => project.images.list({ search: 'img-4999' }, 0, page))} ms; split=validation ${timed(() => project.images.list({ split: 'validation' }, 0, page))} ms; dataset view ${timed(() => project.dataset())} ms`,
  );
  library.close();
}

if (process.argv[2] === 'child') {
  child(process.argv[3]!, process.argv[4]!).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
