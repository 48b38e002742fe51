// `npm run bench -- large`: a project of 100,000 real pictures through the real service, as the
// app uses it: import (hash, copy, thumbnail), open again, scroll (pages of 200 across the whole
// grid), search, change the split shares, export the data set as a zip; the time of each and the
// peak memory of this process (which hosts the service). CAPA_LARGE_IMAGES sets the count.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { callOrThrow, createCapaService } from '../../main/core/service/service';

const COUNT = Number(process.env['CAPA_LARGE_IMAGES'] ?? 100_000);
const CLASSES = ['red', 'green', 'blue', 'grey'];
const PAGE = 200;

/** `count` distinct 32x32 PNGs in one folder per class: the index is written into the pixels, so no two share a hash. */
async function writePictures(dir: string, count: number): Promise<void> {
  for (const name of CLASSES) mkdirSync(join(dir, name), { recursive: true });
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const pixels = Buffer.alloc(32 * 32 * 3, 40 + (i % 4) * 50);
      pixels.writeUInt32BE(i, 0);
      const png = await sharp(pixels, { raw: { width: 32, height: 32, channels: 3 } })
        .png()
        .toBuffer();
      writeFileSync(join(dir, CLASSES[i % 4]!, `img-${i}.png`), png);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

const seconds = (since: number) => (performance.now() - since) / 1000;
const peakMiB = () => process.resourceUsage().maxRSS / 1024;

export async function largeBench(root: string): Promise<void> {
  console.log(`\nA project of ${COUNT.toLocaleString('en-US')} pictures (32x32 PNG, 4 classes) through the service:`);
  const pictures = join(root, 'large-pictures');
  let started = performance.now();
  await writePictures(pictures, COUNT);
  console.log(`  pictures written in ${seconds(started).toFixed(0)} s (not part of the figures)`);
  const dataDir = join(root, 'large-data');

  let service = createCapaService({ dataDir, host: 'browser' });
  const projectId = (await callOrThrow(service, 'createProject', { name: 'Large' })).id;
  started = performance.now();
  const report = await callOrThrow(service, 'importPaths', { projectId, paths: [pictures] });
  const importSeconds = seconds(started);
  console.log(
    `  import: ${report.imported.toLocaleString('en-US')} pictures in ${importSeconds.toFixed(0)} s = ${(report.imported / importSeconds).toFixed(0)} pictures/s; peak RSS so far ${peakMiB().toFixed(0)} MiB`,
  );
  await service.close();

  service = createCapaService({ dataDir, host: 'browser' });
  try {
    started = performance.now();
    const view = await callOrThrow(service, 'getDataset', { projectId });
    await callOrThrow(service, 'listImages', { projectId, offset: 0, limit: PAGE });
    console.log(
      `  open (new service, dataset view, first page of ${PAGE}): ${(seconds(started) * 1000).toFixed(0)} ms; ${view.classes.length} classes`,
    );

    const total = view.project.imageCount;
    const pageTimes: number[] = [];
    for (let offset = 0; offset < total; offset += Math.floor(total / 40)) {
      const t = performance.now();
      await callOrThrow(service, 'listImages', { projectId, offset, limit: PAGE });
      pageTimes.push(performance.now() - t);
    }
    console.log(
      `  scroll top to bottom in ${pageTimes.length} pages of ${PAGE}: mean ${(pageTimes.reduce((a, b) => a + b, 0) / pageTimes.length).toFixed(1)} ms, slowest ${Math.max(...pageTimes).toFixed(1)} ms`,
    );

    started = performance.now();
    const found = await callOrThrow(service, 'listImages', { projectId, offset: 0, limit: PAGE, search: `img-${COUNT - 1}` });
    console.log(`  search "img-${COUNT - 1}": ${found.total} found in ${(seconds(started) * 1000).toFixed(0)} ms`);

    started = performance.now();
    await callOrThrow(service, 'setSplitShares', { projectId, train: 60, validation: 20, test: 20 });
    console.log(`  split shares 70/15/15 -> 60/20/20 (every picture reassigned, stable): ${(seconds(started) * 1000).toFixed(0)} ms`);

    started = performance.now();
    const exported = await callOrThrow(service, 'exportDataset', { projectId, format: 'zip' });
    const zip = join(exported.directory, exported.files[0]!);
    console.log(`  data set export as zip: ${seconds(started).toFixed(0)} s, ${(statSync(zip).size / 2 ** 20).toFixed(0)} MiB`);
  } finally {
    await service.close();
  }
  console.log(
    `  peak RSS of the process hosting the service: ${peakMiB().toFixed(0)} MiB (load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(', ')})`,
  );
}

if (require.main === module) {
  const root = mkdtempSync(join(tmpdir(), 'capa-bench-large-'));
  largeBench(root)
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    })
    .finally(() => rmSync(root, { recursive: true, force: true }));
}
