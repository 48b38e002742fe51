// Writes the first-run guide's sample project, assets/sample/<shape>/<shape>-<i>.png: three classes
// of simple drawings, 40 small PNGs each, from a fixed seed so running it again gives the same files.
// The shapes are large and near the middle, so the guide's first small network clearly learns them
// (test/integration/guide-sample-quality.test.ts checks it across seeds).
// Run once with `npx tsx assets/make-sample.ts` and commit the pictures; the app never downloads them.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeShapeDataset } from '../test/helpers/shapes';

const root = join(__dirname, 'sample');
rmSync(root, { recursive: true, force: true });
void writeShapeDataset(root, { perClass: 40, size: 64, seed: 2026, placement: { jitter: 0.3, radius: [0.3, 0.4] } }).then(() =>
  console.log(`Wrote the sample pictures to ${root}`),
);
