// `capa train` and `capa spec` of the built CLI (npm test builds first) on a fresh project, whose
// default is transfer learning: without its pretrained network the CLI says how to get it and
// how to train without it, and `--preset small-cnn` trains offline.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliFor } from '../helpers/cli';
import { writeShapeDataset } from '../helpers/shapes';
import { removeTempDirs, tempDir } from '../helpers/temp';

afterAll(removeTempDirs);

const dataDir = tempDir();
const capa = cliFor(dataDir, { ...process.env, CAPA_BACKEND: 'wasm' });

describe('capa train on a fresh project', () => {
  it('says how to get the default network or train without it, then trains the Small CNN preset', async () => {
    const shapes = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 6, size: 16, seed: 2 });
    expect((await capa('create', 'Fresh')).code).toBe(0);
    expect((await capa('import', 'Fresh', shapes)).stdout).toContain('Imported 18 images');

    expect((await capa('spec', 'Fresh')).stdout).toMatch(/mobilenet_v2_1\.0_224 \(Functional\)/);
    expect(await capa('train', 'Fresh')).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'capa: MobileNet V2 1.0 · 224 px is not on this computer yet. Download MobileNet V2 1.0 · 224 px (9.2 MB) on the Model screen first ' +
        '(or import it from a folder there), or choose the Small CNN preset to train without a download. ' +
        'From the command line: capa train "Fresh" --preset small-cnn.',
    });

    // Leaving transfer learning goes back to the default 64 px input, not the network's 224 px.
    const spec = await capa('spec', 'Fresh', '--preset', 'small-cnn');
    expect(spec.code).toBe(0);
    expect(spec.stdout).not.toContain('Functional');
    expect(spec.stdout).toMatch(/\(None, 62, 62, 16\)/);
    const trained = await capa('train', 'Fresh', '--epochs', '1', '--size', '16');
    expect(trained).toMatchObject({ code: 0, stdout: expect.stringMatching(/Run \S+ completed/) });
    // The engine it trained on (forced here, so no faster one was tried).
    expect(trained.stdout).toMatch(/^Engine: wasm = WebAssembly \(XNNPACK.*1 thread\); \d+ training and \d+ validation images$/m);
    expect(trained.stdout).not.toContain('  skipped ');
  });
});
