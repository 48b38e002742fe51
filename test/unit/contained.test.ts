// The containment gate, the stored-name checks, names cut to a byte budget, and the request depth limit.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { containedFile, containedFileSync, isRunId, isStoreExtension, isStoreHash, readRegularFile } from '../../main/core/files/contained';
import { cutToBytes, safeName } from '../../main/core/files/names';
import { MAX_REQUEST_DEPTH, nestingDepth, parseRequest } from '../../main/core/service/requests';
import { removeTempDirs, tempDir } from '../helpers/temp';

afterAll(removeTempDirs);

describe('containedFile', () => {
  it('gives the real path of a regular file inside the root, and null for anything else', async () => {
    const root = tempDir();
    const outside = tempDir();
    mkdirSync(join(root, 'a'));
    writeFileSync(join(root, 'a', 'x'), 'x');
    writeFileSync(join(outside, 'secret'), 's');
    symlinkSync(join(outside, 'secret'), join(root, 'a', 'out'));
    symlinkSync(join(root, 'a', 'x'), join(root, 'a', 'in'));
    execFileSync('mkfifo', [join(root, 'a', 'fifo')]);
    for (const check of [containedFile, async (f: string, r: string) => containedFileSync(f, r)]) {
      expect(await check(join(root, 'a', 'x'), root)).toBe(join(root, 'a', 'x'));
      expect(await check(join(root, 'a', 'in'), root)).toBe(join(root, 'a', 'x'));
      expect(await check(join(root, 'a', 'out'), root)).toBeNull();
      expect(await check(join(root, 'a', 'fifo'), root)).toBeNull();
      expect(await check(join(root, 'a'), root)).toBeNull();
      expect(await check(join(root, 'a', '..', '..', 'secret'), root)).toBeNull();
      expect(await check(join(root, 'nope'), root)).toBeNull();
    }
    await expect(readRegularFile(join(root, 'a', 'fifo'))).rejects.toMatchObject({ said: { key: 'errors.hostile.notRegular.fifo' } });
    expect((await readRegularFile(join(root, 'a', 'x'))).toString()).toBe('x');
  });

  it('accepts only the names Capa writes for stored files and runs', () => {
    expect(isStoreHash('a'.repeat(64))).toBe(true);
    expect(['A'.repeat(64), 'a'.repeat(63), `../${'a'.repeat(61)}`, 1].map(isStoreHash)).toEqual([false, false, false, false]);
    expect(['jpg', 'png', 'webp', 'gif', 'tif'].every(isStoreExtension)).toBe(true);
    expect(['/../passwd', 'txt', 'PNG', ''].map(isStoreExtension)).toEqual([false, false, false, false]);
    expect(isRunId('0b7c8f1e-1234-4abc-8def-0123456789ab')).toBe(true);
    expect(['../x', 'a/b', '', '.hidden'].map(isRunId)).toEqual([false, false, false, false]);
  });
});

describe('safeName', () => {
  it('cuts to the byte budget on a grapheme boundary and keeps names portable', () => {
    expect(Buffer.byteLength(safeName('😀'.repeat(100)))).toBeLessThanOrEqual(120);
    expect(safeName('😀'.repeat(100))).toBe('😀'.repeat(30));
    expect(cutToBytes('👍🏽👍🏽', 9)).toBe('👍🏽');
    expect(safeName('猫'.repeat(200))).toBe('猫'.repeat(40));
    expect(['CON', 'nul.txt', 'com1', 'LPT9', 'console'].map((n) => safeName(n))).toEqual([
      '_CON',
      '_nul.txt',
      '_com1',
      '_LPT9',
      'console',
    ]);
    expect(['a/b', 'x:y', 'end. . ', ' .. ', '', 'a\u0000b'].map((n) => safeName(n))).toEqual(['a_b', 'x_y', 'end', '_', '_', 'a_b']);
    expect(safeName('e\u0301')).toBe('\u00e9');
  });
});

describe('request depth', () => {
  it('measures depth without recursion and refuses a deep request with a sentence', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(nestingDepth(deep, MAX_REQUEST_DEPTH)).toBe(MAX_REQUEST_DEPTH + 1);
    expect(nestingDepth({ a: [1, { b: 2 }] }, 10)).toBe(3);
    expect(() => parseRequest('createProject', { name: deep })).toThrow(
      expect.objectContaining({ code: 'invalid-argument', said: expect.objectContaining({ key: 'errors.hostile.tooDeep' }) }),
    );
  });
});

describe('the project name rule', () => {
  it('is the same for create, rename and archive import (projectName)', async () => {
    const { ProjectLibrary, projectName } = await import('../../main/core/projects/library');
    const { createCapaService } = await import('../../main/core/service/service');
    expect(projectName('  Cats  ')).toBe('Cats');
    for (const bad of ['', '   ', 'n'.repeat(201), 'a\nb', 'tab\there', 7]) expect(() => projectName(bad)).toThrow();
    const library = new ProjectLibrary(tempDir());
    expect(() => library.create('two\nlines')).toThrow(
      expect.objectContaining({ said: expect.objectContaining({ key: 'errors.hostile.nameControl' }) }),
    );
    library.close();
    const service = createCapaService({ dataDir: tempDir(), host: 'browser' });
    const created = await service.call('createProject', { name: 'Fine' });
    if (!created.ok) throw new Error('not created');
    expect(await service.call('renameProject', { projectId: (created.value as { id: string }).id, name: 'bell\u0007' })).toMatchObject({
      ok: false,
      error: { key: 'errors.hostile.nameControl' },
    });
    await service.close();
  });
});
