// The dataset commands of the built CLI (npm test builds first), as a person types them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliFor } from '../helpers/cli';
import { writeShapeDataset } from '../helpers/shapes';
import { removeTempDirs, tempDir } from '../helpers/temp';

afterAll(removeTempDirs);

const dataDir = tempDir();
const capa = cliFor(dataDir);

describe('capa dataset commands', () => {
  it('imports pinned to a split, exports the data as a zip and the project as .capa, and imports that back', async () => {
    const shapes = await writeShapeDataset(join(tempDir(), 'shapes'), { perClass: 3, size: 16 });
    expect((await capa('create', 'Cli')).code).toBe(0);
    expect((await capa('import', 'Cli', shapes, '--split', 'test')).stdout).toContain('Imported 9 images');
    const zip = await capa('export-data', 'Cli', '--format', 'zip');
    expect(zip.stdout).toMatch(/Cli-dataset-\d{8}-\d{6}\.zip$/);
    expect(existsSync(zip.stdout)).toBe(true);
    const archive = (await capa('export-project', 'Cli')).stdout;
    expect(archive).toMatch(/\.capa$/);
    expect((await capa('import-project', archive)).stdout).toMatch(/^Imported project "Cli \(imported\)" .*: 9 images, 3 classes\.$/);
    expect((await capa('projects')).stdout.split('\n')).toHaveLength(2);
  });

  it('says what is wrong with a bad format, split or archive, and exits with 1', async () => {
    expect(await capa('export-data', 'Cli', '--format', 'tar')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('folder or zip'),
    });
    expect(await capa('import', 'Cli', __filename, '--split', 'holdout')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('split'),
    });
    expect(await capa('import-project', __filename)).toMatchObject({ code: 1, stderr: expect.stringContaining('cannot be imported') });
  });
});
