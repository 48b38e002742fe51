// A data set where one thing decides the class: "patch" images carry a bright square at a random
// place on dark noise, "plain" images are the noise alone. Evaluation tests know where each patch
// is, so an explanation map can be checked against it.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { seededRandom } from './shapes';

/** Where a patch was drawn, in pixels of the written image. */
export interface PatchBox {
  /** Left edge. */
  x: number;
  /** Top edge. */
  y: number;
  /** Side of the square. */
  size: number;
}

/** Writes `root/patch/patch-<i>.png` and `root/plain/plain-<i>.png`; returns each patch's box by file name. */
export async function writePatchDataset(
  root: string,
  options: { perClass: number; size?: number; seed?: number },
): Promise<Map<string, PatchBox>> {
  const size = options.size ?? 32;
  const patch = Math.round(size / 4);
  const random = seededRandom(options.seed ?? 7);
  const boxes = new Map<string, PatchBox>();
  for (const name of ['patch', 'plain']) {
    mkdirSync(join(root, name), { recursive: true });
    for (let i = 0; i < options.perClass; i++) {
      const pixels = Buffer.alloc(size * size * 3);
      for (let p = 0; p < pixels.length; p++) pixels[p] = Math.floor(random() * 70);
      if (name === 'patch') {
        const box = { x: Math.floor(random() * (size - patch)), y: Math.floor(random() * (size - patch)), size: patch };
        for (let y = box.y; y < box.y + patch; y++)
          for (let x = box.x; x < box.x + patch; x++) pixels.fill(240, (y * size + x) * 3, (y * size + x) * 3 + 3);
        boxes.set(`${name}-${i}.png`, box);
      }
      await sharp(pixels, { raw: { width: size, height: size, channels: 3 } })
        .png()
        .toFile(join(root, name, `${name}-${i}.png`));
    }
  }
  return boxes;
}

/** The cell of a map (width x height cells over an image of `imageSize` pixels) with the largest value, as the pixel at its centre. */
export function peakOf(map: { width: number; height: number; values: number[] }, imageSize: number): { x: number; y: number } {
  const best = map.values.indexOf(Math.max(...map.values));
  return { x: ((best % map.width) + 0.5) * (imageSize / map.width), y: (Math.floor(best / map.width) + 0.5) * (imageSize / map.height) };
}

/** Distance in pixels from a point to a box (0 inside it). */
export function distanceToBox(point: { x: number; y: number }, box: PatchBox): number {
  const dx = Math.max(box.x - point.x, 0, point.x - (box.x + box.size));
  const dy = Math.max(box.y - point.y, 0, point.y - (box.y + box.size));
  return Math.hypot(dx, dy);
}
