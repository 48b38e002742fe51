// Pictures a tiny network separates in a few epochs: "red" and "blue" classes of random shades and
// noise, written by sharp, and a project trained on them. For tests (and the benchmark) of what is
// done with a trained model, not of training.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { ProjectSummary, RunInfo } from '../../preload/contract';
import { callOrThrow } from '../../main/core/service/service';
import type { CapaService } from '../../main/core/service/service-types';
import { presetById } from '../../common/model/presets';
import { seededRandom } from './shapes';

export type Colour = 'red' | 'blue';

/** One PNG of the colour: a random shade with per-pixel noise, from a seed. */
export async function colourImage(colour: Colour, seed: number, size = 16): Promise<Buffer> {
  const random = seededRandom(seed);
  const strong = 150 + Math.floor(random() * 100);
  const pixels = Buffer.alloc(size * size * 3);
  for (let i = 0; i < size * size; i++) {
    const noise = () => Math.floor(random() * 60);
    pixels[i * 3] = colour === 'red' ? strong - noise() : noise();
    pixels[i * 3 + 1] = noise();
    pixels[i * 3 + 2] = colour === 'blue' ? strong - noise() : noise();
  }
  return sharp(pixels, { raw: { width: size, height: size, channels: 3 } })
    .png()
    .toBuffer();
}

/** Writes `root/<colour>/<colour>-<i>.png` for both colours; returns the root. */
export async function writeColourDataset(root: string, perClass: number, seed = 1): Promise<string> {
  for (const colour of ['red', 'blue'] as const) {
    mkdirSync(join(root, colour), { recursive: true });
    for (let i = 0; i < perClass; i++)
      writeFileSync(join(root, colour, `${colour}-${i}.png`), await colourImage(colour, seed * 1000 + (colour === 'red' ? 0 : 500) + i));
  }
  return root;
}

/** Creates a project from `root` (folders per class), trains the Small CNN on it briefly and returns the finished run. */
export async function trainColourProject(
  service: CapaService,
  name: string,
  root: string,
  epochs = 4,
): Promise<{ project: ProjectSummary; run: RunInfo }> {
  const project = await callOrThrow(service, 'createProject', { name });
  await callOrThrow(service, 'importPaths', { projectId: project.id, paths: [root] });
  await callOrThrow(service, 'saveSpec', {
    projectId: project.id,
    spec: presetById('small-cnn')!.build({ width: 16, height: 16, channels: 3, resize: 'squash' }, { epochs, batch_size: 8 }),
  });
  const done = new Promise<void>((resolve) => {
    const stop = service.onRunEvent((event) => {
      if (event.kind === 'done') {
        stop();
        resolve();
      }
    });
  });
  const started = await callOrThrow(service, 'startRun', { projectId: project.id });
  await done;
  return { project, run: await callOrThrow(service, 'getRun', { projectId: project.id, runId: started.id }) };
}
