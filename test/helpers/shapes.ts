// Real images for tests, written by sharp: one class per shape, drawn at random positions,
// sizes and colours from a seed, so a tiny network can learn them and results repeat.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { seededRandom } from '../../common/model/augment';

export type ShapeName = 'circle' | 'square' | 'triangle';
export const SHAPES: readonly ShapeName[] = ['circle', 'square', 'triangle'];

// The same seeded PRNG as training and augmentation, so generated data sets repeat exactly.
export { seededRandom };

/**
 * How a shape is placed: `jitter` is the share (0 to 1) of the free room its centre may wander
 * from the middle (1: anywhere it fits), `radius` the smallest and largest radius as shares of the size.
 */
export interface ShapePlacement {
  jitter?: number;
  radius?: readonly [number, number];
}

function svgFor(shape: ShapeName, size: number, random: () => number, placement: ShapePlacement = {}): string {
  const [small, large] = placement.radius ?? [0.22, 0.34];
  const jitter = placement.jitter ?? 1;
  const r = size * (small + random() * (large - small));
  const free = size - 2 * r;
  const cx = r + free * (0.5 + (random() - 0.5) * jitter);
  const cy = r + free * (0.5 + (random() - 0.5) * jitter);
  const hue = Math.floor(random() * 360);
  const fill = `hsl(${hue},80%,55%)`;
  const background = `hsl(${(hue + 180) % 360},30%,${15 + Math.floor(random() * 15)}%)`;
  const body =
    shape === 'circle'
      ? `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${fill}"/>`
      : shape === 'square'
        ? `<rect x="${cx - r}" y="${cy - r}" width="${2 * r}" height="${2 * r}" fill="${fill}"/>`
        : `<polygon points="${cx},${cy - r} ${cx + r},${cy + r} ${cx - r},${cy + r}" fill="${fill}"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="100%" height="100%" fill="${background}"/>${body}</svg>`;
}

/** Encodes one shape image. */
export async function shapeImage(
  shape: ShapeName,
  options: { size?: number; seed: number; format?: 'png' | 'jpeg'; placement?: ShapePlacement },
): Promise<Buffer> {
  const size = options.size ?? 48;
  const image = sharp(Buffer.from(svgFor(shape, size, seededRandom(options.seed), options.placement)));
  return options.format === 'jpeg' ? image.jpeg({ quality: 90 }).toBuffer() : image.png().toBuffer();
}

/**
 * Writes `root/<shape>/<shape>-<i>.png` for each shape: the Keras folder-per-class layout.
 * Returns the root.
 */
export async function writeShapeDataset(
  root: string,
  options: {
    perClass: number;
    size?: number;
    seed?: number;
    shapes?: readonly ShapeName[];
    format?: 'png' | 'jpeg';
    placement?: ShapePlacement;
  },
): Promise<string> {
  const shapes = options.shapes ?? SHAPES;
  const format = options.format ?? 'png';
  for (const [s, shape] of shapes.entries()) {
    const dir = join(root, shape);
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < options.perClass; i++) {
      const seed = (options.seed ?? 1) * 100_003 + s * 10_007 + i;
      const bytes = await shapeImage(shape, { size: options.size, seed, format, placement: options.placement });
      await sharp(bytes).toFile(join(dir, `${shape}-${i}.${format === 'jpeg' ? 'jpg' : 'png'}`));
    }
  }
  return root;
}
