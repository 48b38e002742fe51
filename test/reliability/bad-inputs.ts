// Corpora of bad input, generated here: pictures (empty, cut at random offsets, random bytes
// named as images, a decompression bomb, 1x1, CMYK, 16-bit, animated, wrong extensions), specs
// and requests of every operation made by fast-check, and command lines for the CLI. Each item
// must be imported or refused with its reason, or answered with an error value: never an
// exception, never a hang, never an "internal" error (a crash turned into a message).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import fc from 'fast-check';
import sharp from 'sharp';
import { OPERATION_NAMES, type RejectReason, type Result } from '../../preload/contract';
import type { CapaService } from '../../main/core/service/service-types';
import { seededRandom } from '../../common/model/augment';
import { PRESETS } from '../../common/model/presets';
import { cliFor } from '../helpers/cli';
import { shapeImage } from '../helpers/shapes';
import type { InputRow } from './report';

/** A corpus's outcome: the table row and what was wrong. */
export interface CorpusOutcome {
  /** Tried and handled. */
  row: InputRow;
  /** Items not handled, with what happened. */
  problems: string[];
}

/** A PNG chunk: length, type, data, CRC. */
function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A small PNG whose header claims `side` x `side` pixels: decoding it whole would need gigabytes. */
export function pngBomb(side: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter, no interlace
  const rows = deflateSync(Buffer.alloc(side * 3 + 1), { level: 9 }); // one row; the rest is missing on purpose
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', rows),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** What must happen to one file: imported, refused with one of these reasons, or either. */
type Expected = 'imported' | readonly RejectReason[] | { either: readonly RejectReason[] };

/** A file cut inside its closing marker still holds every pixel: importing it is fine too. */
const cutOutcome = (cut: number, length: number, marker: number, reasons: readonly RejectReason[]): Expected =>
  cut >= length - marker ? { either: reasons } : reasons;

/** Writes the bad-picture corpus into `dir`; returns what must happen to each file. */
export async function writeBadImages(dir: string, seed: number): Promise<Map<string, Expected>> {
  mkdirSync(dir, { recursive: true });
  const random = seededRandom(seed);
  const expected = new Map<string, Expected>();
  const put = (name: string, bytes: Buffer, outcome: Expected) => {
    writeFileSync(join(dir, name), bytes);
    expected.set(name, outcome);
  };
  const png = await shapeImage('circle', { size: 40, seed });
  const jpeg = await shapeImage('square', { size: 40, seed, format: 'jpeg' });
  const broken: RejectReason[] = ['truncated', 'corrupt', 'not-an-image'];
  put('empty.png', Buffer.alloc(0), ['empty']);
  for (let i = 0; i < 6; i++) {
    const pngCut = 1 + Math.floor(random() * (png.length - 2));
    const jpegCut = 1 + Math.floor(random() * (jpeg.length - 2));
    put(`cut-${i}.png`, png.subarray(0, pngCut), cutOutcome(pngCut, png.length, 12, broken)); // IEND: 12 bytes
    put(`cut-${i}.jpg`, jpeg.subarray(0, jpegCut), cutOutcome(jpegCut, jpeg.length, 2, broken)); // EOI: 2 bytes
  }
  for (const ext of ['png', 'jpg', 'gif', 'webp', 'tif', 'bmp']) {
    put(`random.${ext}`, Buffer.from(Array.from({ length: 64 + Math.floor(random() * 4000) }, () => Math.floor(random() * 256))), [
      ...broken,
      'unsupported-format',
    ]);
  }
  put('bomb.png', pngBomb(60_000), ['too-many-pixels']);
  put(
    'one-pixel.png',
    await sharp({ create: { width: 1, height: 1, channels: 3, background: '#123456' } })
      .png()
      .toBuffer(),
    'imported',
  );
  put('cmyk.jpg', await sharp(png).toColourspace('cmyk').jpeg().toBuffer(), 'imported');
  put('sixteen-bit.png', await sharp(png).toColourspace('rgb16').png().toBuffer(), 'imported');
  const frames = await Promise.all(
    ['#ff0000', '#0000ff'].map((background) =>
      sharp({ create: { width: 12, height: 8, channels: 3, background } })
        .png()
        .toBuffer(),
    ),
  );
  put(
    'animated.gif',
    await sharp(frames, { join: { animated: true } })
      .gif()
      .toBuffer(),
    'imported',
  );
  put('png-named.jpg', await shapeImage('triangle', { size: 40, seed }), 'imported');
  put('jpeg-named.png', await shapeImage('circle', { size: 40, seed: seed + 1, format: 'jpeg' }), 'imported');
  put('text-named.gif', Buffer.from('This is not a picture.\n'), [...broken, 'unsupported-format']);
  return expected;
}

/** Imports the corpus into `projectId` and checks each file's outcome. */
export async function badImagesCorpus(service: CapaService, projectId: string, dir: string, seed: number): Promise<CorpusOutcome> {
  const expected = await writeBadImages(dir, seed);
  const problems: string[] = [];
  const result = await service.call('importPaths', {
    projectId,
    paths: [...expected.keys()].map((name) => join(dir, name)),
    classId: null,
  });
  if (!result.ok)
    return { row: { input: 'bad pictures', tried: expected.size, handled: 0 }, problems: [`the import failed: ${result.error.message}`] };
  const { rejected } = result.value as { rejected: { file: string; reason: RejectReason; message: string }[] };
  const refused = new Map(rejected.map((r) => [r.file.split(/[\\/]/).pop()!, r]));
  for (const [name, outcome] of expected) {
    const got = refused.get(name);
    const reasons = outcome === 'imported' ? [] : 'either' in outcome ? outcome.either : outcome;
    if (outcome === 'imported' && got) problems.push(`${name} was refused (${got.reason}: ${got.message}) but is a usable picture`);
    else if (Array.isArray(outcome) && !got) problems.push(`${name} was imported but should be refused (${reasons.join(' or ')})`);
    else if (got && outcome !== 'imported' && (!reasons.includes(got.reason) || got.message.trim() === ''))
      problems.push(`${name} was refused as ${got.reason} ("${got.message}"), expected ${reasons.join(' or ')}`);
  }
  return {
    row: {
      input: 'bad pictures (empty, cut, random bytes, bomb, 1x1, CMYK, 16-bit, animated, wrong extension)',
      tried: expected.size,
      handled: expected.size - problems.length,
    },
    problems,
  };
}

/** Calls `call` and checks it answered a value that is not an internal error, in time. */
async function answered(what: string, call: () => Promise<Result<unknown>>, problems: string[]): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), 30_000)));
  try {
    const result = await Promise.race([call(), hang]);
    if (result === 'hang') return !problems.push(`${what}: no answer in 30 s`);
    if (!result.ok && result.error.code === 'internal') return !problems.push(`${what}: internal error: ${result.error.message}`);
    return true;
  } catch (error) {
    return !problems.push(`${what}: threw ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

// Never a path that reaches outside the scratch folder: '/', '..' or '~' would import the machine.
const word = fc.string({ maxLength: 12 }).filter((s) => !s.includes('..') && !/^[/\\~]/.test(s) && !s.includes('\0'));

/** A value of any shape (built from safe words), and near-valid numbers and strings. */
const scalar = fc.oneof(
  word,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constantFrom(-1, 0, 1e9, Number.NaN, Number.POSITIVE_INFINITY, 2.5, '', 'x'.repeat(10_000), null, undefined),
);
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  scalar,
  fc.array(scalar, { maxLength: 4 }),
  fc.dictionary(word, scalar, { maxKeys: 4 }),
  fc.array(fc.dictionary(word, scalar, { maxKeys: 3 }), { maxLength: 3 }),
);

/** Bad specs: arbitrary values, and a valid preset with one field (any depth) replaced by a hostile value. */
export async function badSpecsCorpus(service: CapaService, projectId: string, runs: number, seed: number): Promise<CorpusOutcome> {
  const problems: string[] = [];
  const valid = PRESETS.find((p) => p.id === 'small-cnn')!.build({ width: 16, height: 16, channels: 3, resize: 'squash' });
  const mutated = fc.tuple(fc.nat(), fc.nat(), hostile).map(([a, b, value]) => {
    const spec = structuredClone(valid) as unknown as Record<string, unknown>;
    const keys = Object.keys(spec);
    const key = keys[a % keys.length]!;
    const inner = spec[key];
    if (inner && typeof inner === 'object') {
      const innerKeys = Object.keys(inner);
      if (innerKeys.length > 0) (inner as Record<string, unknown>)[innerKeys[b % innerKeys.length]!] = value;
    } else spec[key] = value;
    return spec;
  });
  const specs = fc.sample(fc.oneof(hostile, mutated), { numRuns: runs, seed });
  let handled = 0;
  for (const spec of specs) {
    for (const operation of ['saveSpec', 'summarizeSpec'] as const) {
      if (
        await answered(`${operation}(${JSON.stringify(spec)?.slice(0, 80)})`, () => service.call(operation, { projectId, spec }), problems)
      )
        handled++;
    }
  }
  return { row: { input: 'bad specs (fast-check), saved and summarised', tried: specs.length * 2, handled }, problems };
}

/** Requests of every operation the contract names, made of hostile values. */
export async function badRequestsCorpus(service: CapaService, perOperation: number, seed: number): Promise<CorpusOutcome> {
  const problems: string[] = [];
  const requests = fc.sample(
    fc.oneof(
      hostile,
      fc.dictionary(fc.constantFrom('projectId', 'runId', 'classId', 'imageIds', 'name', 'path', 'paths', 'spec', 'format'), hostile),
    ),
    { numRuns: perOperation, seed },
  );
  // Operations that would wait on the network or a person are left to the IPC security test.
  const skipped = new Set(['downloadBackbone', 'moveDataFolder', 'chooseFolder']);
  const operations = OPERATION_NAMES.filter((name) => !skipped.has(name));
  let handled = 0;
  for (const name of operations) {
    for (const request of requests)
      if (await answered(`${name}(${JSON.stringify(request)?.slice(0, 80)})`, () => service.call(name, request), problems)) handled++;
  }
  return {
    row: { input: `bad requests (fast-check) to ${operations.length} operations`, tried: operations.length * requests.length, handled },
    problems,
  };
}

/** Command lines of known commands and options with hostile values, run through the built CLI in `cwd`. */
export async function badCliCorpus(dataDir: string, cwd: string, runs: number, seed: number): Promise<CorpusOutcome> {
  const problems: string[] = [];
  const capa = cliFor(dataDir);
  const command = fc.constantFrom(
    'projects',
    'create',
    'import',
    'spec',
    'train',
    'runs',
    'predict',
    'export',
    'export-data',
    'export-project',
    'import-project',
    'help',
    'nonsense',
  );
  const option = fc.tuple(
    fc.constantFrom(
      '--class',
      '--split',
      '--preset',
      '--size',
      '--channels',
      '--epochs',
      '--batch-size',
      '--learning-rate',
      '--optimizer',
      '--seed',
      '--run',
      '--format',
      '--weights',
      '--quantize',
      '--keras',
      '--bogus',
    ),
    fc.oneof(word, fc.constantFrom('-1', '0', '1e9', 'NaN', 'abc', '3.5', '')),
  );
  const argv = fc
    .tuple(command, fc.array(fc.oneof(word, fc.constantFrom('P')), { maxLength: 3 }), fc.array(option, { maxLength: 3 }))
    .map(([c, positional, options]) => [c, ...positional, ...options.flat()]);
  const lines = fc.sample(argv, { numRuns: runs, seed });
  let handled = 0;
  const previous = process.cwd();
  process.chdir(cwd); // relative paths the CLI writes or reads stay in the scratch folder
  try {
    for (const args of lines) {
      const started = Date.now();
      const result = await capa(...args);
      const shown = `capa ${args.map((a) => JSON.stringify(a)).join(' ')}`;
      if (result.code !== 0 && result.code !== 1) problems.push(`${shown}: exit code ${result.code}`);
      else if (result.code === 1 && (!result.stderr.startsWith('capa: ') || /Unexpected error|\n\s+at /.test(result.stderr)))
        problems.push(`${shown}: ${result.stderr.slice(0, 200)}`);
      else if (Date.now() - started > 60_000) problems.push(`${shown}: took over a minute`);
      else handled++;
    }
  } finally {
    process.chdir(previous);
  }
  return { row: { input: 'bad command lines (fast-check)', tried: lines.length, handled }, problems };
}
