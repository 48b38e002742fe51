// Atomic writes (main/core/files/atomic.ts): the final name holds the old version or the whole
// new one, a failed write leaves no temporary file, and every temporary name matches the one
// pattern that cleanup on open sweeps.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ASIDE_NAME,
  asideName,
  temporaryName,
  TEMPORARY_NAME,
  writeFileAtomically,
  writeFileAtomicallySync,
  writeFolderAtomically,
} from '../../main/core/files/atomic';
import { removeTempDirs, tempDir } from '../helpers/temp';

afterAll(() => removeTempDirs());

describe('atomic writes', () => {
  it('name every temporary file and aside folder so that the cleanup pattern matches it, and nothing else', () => {
    const temporary = temporaryName('/p/runs/r1/best/weights.bin');
    expect(temporary).toMatch(TEMPORARY_NAME);
    expect(asideName(temporary)).toMatch(TEMPORARY_NAME);
    expect(ASIDE_NAME.exec('capa-1-tfjs.0a1b2c3d.aside.partial')?.[1]).toBe('capa-1-tfjs');
    for (const name of ['weights.bin', 'model.json', 'data.partial', `${'ab'.repeat(32)}.png`, 'Birds-20260101-000000.zip'])
      expect(name).not.toMatch(TEMPORARY_NAME);
  });

  it('write a file in a new folder, replace it whole, and leave nothing behind when the writer fails', async () => {
    const file = join(tempDir(), 'a', 'b', 'settings.json');
    await writeFileAtomically(file, 'one');
    writeFileAtomicallySync(file, 'two');
    expect(readFileSync(file, 'utf8')).toBe('two');
    await expect(
      writeFileAtomically(file, async (temporary) => {
        writeFileSync(temporary, 'half');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(readFileSync(file, 'utf8')).toBe('two');
    expect(readdirSync(join(file, '..'))).toEqual(['settings.json']);
  });

  it('replace a folder only once the new one is whole, and keep the old one when filling it fails', async () => {
    const parent = tempDir();
    const folder = join(parent, 'model-tfjs');
    mkdirSync(folder);
    writeFileSync(join(folder, 'old.txt'), 'old');
    await expect(
      writeFolderAtomically(folder, async (temporary) => {
        writeFileSync(join(temporary, 'new.txt'), 'new');
        throw new Error('cancelled');
      }),
    ).rejects.toThrow('cancelled');
    expect(readdirSync(parent)).toEqual(['model-tfjs']);
    expect(readdirSync(folder)).toEqual(['old.txt']);
    expect(await writeFolderAtomically(folder, async (temporary) => (writeFileSync(join(temporary, 'new.txt'), 'new'), 7))).toBe(7);
    expect(readdirSync(parent)).toEqual(['model-tfjs']);
    expect(readdirSync(folder)).toEqual(['new.txt']);
    expect(existsSync(join(folder, 'old.txt'))).toBe(false);
  });
});
