// Auto on real projects: the data-set profile of generated pictures (sizes, grey or colour, per
// class), and a real run with a time budget that ends at an epoch boundary with the best weights,
// its estimate stored beside its duration.
import { join } from 'node:path';
import sharp from 'sharp';
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import type { CapaService } from '../../main/core/service/service-types';
import { profileDataset } from '../../main/core/dataset/profile';
import { Project } from '../../main/core/projects/project';
import { presetById } from '../../common/model/presets';
import { writeShapeDataset } from '../helpers/shapes';
import { trainProject } from '../helpers/train';
import { removeTempDirs, tempDir } from '../helpers/temp';

let service: CapaService;
let dataDir: string;

beforeAll(() => {
  process.env['CAPA_BACKEND'] = 'wasm';
  dataDir = tempDir();
  service = createCapaService({ dataDir, host: 'browser' });
});

afterAll(async () => {
  await service.close();
  removeTempDirs();
});

/** A folder per class of grey pictures (one channel stored, or three equal ones) of the given sizes. */
async function greyPictures(root: string, sizes: [number, number][], rgb: boolean): Promise<string> {
  for (const name of ['dark', 'light']) {
    mkdirSync(join(root, name), { recursive: true });
    for (const [i, [width, height]] of sizes.entries()) {
      const value = name === 'dark' ? 40 + i : 200 - i;
      const channels = rgb ? 3 : 1;
      const raw = Buffer.alloc(width * height * channels, value);
      await sharp(raw, { raw: { width, height, channels } })
        .png()
        .toFile(join(root, name, `${i}.png`));
    }
  }
  return root;
}

async function profileOf(name: string, folder: string) {
  const project = await callOrThrow(service, 'createProject', { name });
  await callOrThrow(service, 'importPaths', { projectId: project.id, paths: [folder] });
  const opened = Project.open(join(dataDir, project.id));
  try {
    return { id: project.id, profile: await profileDataset(opened) };
  } finally {
    opened.close();
  }
}

describe('the data-set profile', () => {
  it('reads sizes, aspect ratios and grey pictures, whether stored with one channel or three', async () => {
    const sizes: [number, number][] = [
      [20, 10],
      [30, 30],
      [40, 20],
      [50, 25],
      [60, 60],
    ];
    for (const rgb of [false, true]) {
      const { profile } = await profileOf(`Grey ${rgb}`, await greyPictures(join(tempDir(), 'grey'), sizes, rgb));
      expect(profile).toMatchObject({
        total: 10,
        grey: true,
        perClass: [
          { name: 'dark', count: 5 },
          { name: 'light', count: 5 },
        ],
      });
      expect(profile.shortSide.median).toBe(25);
      expect(profile.shortSide.p10).toBe(10);
      expect(profile.shortSide.p90).toBe(60);
      expect(profile.aspect.median).toBe(2);
      expect(profile.sampled).toBe(10);
    }
  });

  it('tells colour pictures from grey ones, and plans one channel only for grey', async () => {
    const { id, profile } = await profileOf(
      'Colour',
      await writeShapeDataset(join(tempDir(), 'colour'), { perClass: 4, size: 24, seed: 5 }),
    );
    expect(profile).toMatchObject({ total: 12, grey: false, shortSide: { median: 24 } });
    expect((await callOrThrow(service, 'planModel', { projectId: id })).spec.input).toMatchObject({ width: 24, channels: 3 });
    const grey = await profileOf(
      'Grey plan',
      await greyPictures(
        join(tempDir(), 'grey2'),
        [
          [28, 28],
          [28, 28],
          [28, 28],
        ],
        true,
      ),
    );
    expect((await callOrThrow(service, 'planModel', { projectId: grey.id })).spec.input).toMatchObject({ width: 28, channels: 1 });
  });
});

describe('a run with a time budget', () => {
  it('ends at an epoch boundary before the budget, keeps the best weights, and stores its estimate', async () => {
    const { id } = await profileOf('Budget', await writeShapeDataset(join(tempDir(), 'budget'), { perClass: 10, size: 16, seed: 6 }));
    const base = presetById('small-cnn')!.build({ width: 16, height: 16, channels: 3, resize: 'squash' });
    // 0.1 minutes (6 s) for 10,000 epochs (well over a minute at any speed here): the budget, not the epochs, ends it.
    await callOrThrow(service, 'saveSpec', {
      projectId: id,
      spec: { ...base, training: { ...base.training, epochs: 10000, batch_size: 8, time_budget_minutes: 0.1 } },
    });
    const run = await trainProject(service, id);
    expect(run.status).toBe('completed');
    expect(run.epochs.length).toBeGreaterThanOrEqual(1);
    expect(run.epochs.length).toBeLessThan(10000);
    const spent = run.epochs.reduce((sum, e) => sum + e.seconds, 0);
    expect(spent).toBeLessThanOrEqual(6 + Math.max(...run.epochs.map((e) => e.seconds)));
    expect(run.bestEpoch).not.toBeNull();
    expect(run.estimate).toMatchObject({ pictures: expect.any(Number), epochs: expect.any(Number), engine: expect.any(String) });
    expect(run.estimate!.seconds).toBeLessThanOrEqual(6);
  });
});
