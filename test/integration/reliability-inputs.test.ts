// Bad input corpora through the real service and the built CLI: every bad picture is imported
// or refused with its reason, and every bad spec, request and command line gets an answer that
// is a value (never an exception, a hang or an internal error). Seeds are printed for replay.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import type { CapaService } from '../../main/core/service/service-types';
import { badCliCorpus, badImagesCorpus, badRequestsCorpus, badSpecsCorpus, pngBomb } from '../reliability/bad-inputs';
import { projectProblems } from '../reliability/check';
import { removeTempDirs, tempDir } from '../helpers/temp';
import sharp from 'sharp';

const SEED = Number(process.env['RELIABILITY_SEED'] ?? Date.now() % 100_000);
let service: CapaService;
let dataDir: string;
let projectId: string;
let scratch: string;

beforeAll(async () => {
  console.log(`bad input seed ${SEED} (replay with RELIABILITY_SEED=${SEED})`);
  dataDir = tempDir();
  scratch = join(tempDir(), 'a', 'b');
  mkdirSync(scratch, { recursive: true });
  service = createCapaService({ dataDir, host: 'browser' });
  projectId = (await callOrThrow(service, 'createProject', { name: 'Bad input' })).id;
});

afterAll(async () => {
  await service.close();
  removeTempDirs();
});

describe('bad input', () => {
  it('the decompression bomb is what it claims: a few hundred bytes saying 60000x60000', async () => {
    const bomb = pngBomb(60_000);
    expect(bomb.length).toBeLessThan(1000);
    expect(await sharp(bomb, { limitInputPixels: false }).metadata()).toMatchObject({ width: 60_000, height: 60_000 });
  });

  it('imports or refuses each bad picture with its reason, leaving the project consistent', async () => {
    const { row, problems } = await badImagesCorpus(service, projectId, join(scratch, 'pictures'), SEED);
    expect(problems).toEqual([]);
    expect(row.tried).toBeGreaterThan(25);
    expect(await projectProblems(join(dataDir, projectId))).toEqual([]);
  });

  it('answers bad specs with error values', async () => {
    const { row, problems } = await badSpecsCorpus(service, projectId, 100, SEED);
    expect(problems).toEqual([]);
    expect(row.handled).toBe(200);
  });

  it('answers bad requests to every operation with values', async () => {
    const { problems } = await badRequestsCorpus(service, 8, SEED);
    expect(problems).toEqual([]);
  });

  it('answers bad command lines with a message and exit code 1, never a stack trace', { timeout: 600_000 }, async () => {
    const { problems } = await badCliCorpus(dataDir, scratch, Number(process.env['RELIABILITY_CLI_RUNS'] ?? 12), SEED);
    expect(problems).toEqual([]);
  });
});
