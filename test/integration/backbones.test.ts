// The backbone download path for real: a tiny model made here, served by a loopback HTTP server,
// downloaded with progress, checked by SHA-256, cached, resumed after a cut, refused when damaged,
// and imported from a folder when the server is gone.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackboneEvent } from '../../preload/contract';
import { BackboneCache, CACHE_FOLDER } from '../../main/core/backbones/cache';
import { BACKBONES, fineTunable, MINUS_ONE_TO_ONE } from '../../common/backbones/catalogue';
import { CapaError } from '../../common/messages/errors';
import { presetById } from '../../common/model/presets';
import { summarize } from '../../common/model/summary';
import { checksums, startModelServer, tinyEntry, TINY_FEATURES, TINY_SIZE, writeTinyBackbone, type ModelServer } from '../helpers/backbone';
import { removeTempDirs, tempDir } from '../helpers/temp';

let modelDir: string;
let server: ModelServer;
let sha: Record<string, string>;

/** A cache in a fresh data folder whose catalogue.json lists the given entries. */
function cacheWith(entries: ReturnType<typeof tinyEntry>[]): BackboneCache {
  const dir = join(tempDir('capa-backbones-'), CACHE_FOLDER);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'catalogue.json'), JSON.stringify(entries));
  return new BackboneCache(dir);
}

async function failure(work: Promise<unknown>): Promise<CapaError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CapaError);
  return error as CapaError;
}

beforeAll(async () => {
  modelDir = tempDir('capa-tiny-backbone-');
  await writeTinyBackbone(modelDir);
  sha = checksums(modelDir);
  server = await startModelServer(modelDir, {
    tiny: modelDir,
    tiny2: modelDir,
    tiny3: modelDir,
    bad: modelDir,
    gone: modelDir,
    hub: modelDir,
  });
});

afterAll(async () => {
  await server.close();
  removeTempDirs();
});

describe('backbone catalogue', () => {
  it('lists MobileNet V2 at three widths and four sizes, and V3 small and large, with unique ids', () => {
    const ids = BACKBONES.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const width of ['1.0', '0.5', '0.35'])
      for (const size of [224, 192, 160, 128]) expect(ids).toContain(`mobilenet-v2-${width}-${size}`);
    expect(ids).toContain('mobilenet-v3-small-224');
    expect(ids).toContain('mobilenet-v3-large-224');
    expect(BACKBONES[0]!.id).toBe(presetById('transfer')!.build({ width: 1, height: 1, channels: 1, resize: 'squash' }).backbone!.id);
    // TF Hub's feature vectors are graph models (frozen); Teachable Machine's Keras MobileNets are layers models (fine-tunable).
    for (const entry of BACKBONES.filter((e) => e.format === 'graph'))
      expect(entry.url).toMatch(/^https:\/\/tfhub\.dev\/google\/tfjs-model\/imagenet\/mobilenet_v[23]_.*\/model\.json$/);
    const layers = BACKBONES.filter((e) => e.format === 'layers');
    expect(layers.map((e) => [e.id, e.url])).toEqual([
      [
        'mobilenet-v2-1.0-224-keras',
        'https://storage.googleapis.com/teachable-machine-models/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.00_224_no_top/model.json',
      ],
      [
        'mobilenet-v2-0.35-224-keras',
        'https://storage.googleapis.com/teachable-machine-models/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top/model.json',
      ],
    ]);
    for (const entry of layers) expect(entry).toMatchObject({ query: '', inputSize: 224, features: 1280, normalization: MINUS_ONE_TO_ONE });
    expect(BACKBONES.map((e) => fineTunable(e.format))).toEqual(BACKBONES.map((e) => layers.includes(e)));
  });
});

describe('backbone download', () => {
  it('downloads with progress, verifies the checksums, caches, and answers the second call from the cache', async () => {
    const cache = cacheWith([tinyEntry('tiny', server.url, sha)]);
    const events: BackboneEvent[] = [];
    cache.onEvent((event) => events.push(event));
    expect(cache.list().find((b) => b.id === 'tiny')!.state).toBe('absent');

    const info = await cache.download('tiny');
    expect(info).toMatchObject({
      id: 'tiny',
      state: 'ready',
      source: 'download',
      verified: true,
      inputSize: TINY_SIZE,
      features: TINY_FEATURES,
    });
    expect(info.params).toBe(3 * 3 * 3 * 16 + 16 + 3 * 3 * 16 * TINY_FEATURES + TINY_FEATURES);

    const progress = events.filter((e): e is Extract<BackboneEvent, { kind: 'progress' }> => e.kind === 'progress');
    expect(progress.length).toBeGreaterThan(1);
    const last = progress.at(-1)!;
    const fileBytes = readdirSync(modelDir).reduce((sum, name) => sum + statSync(join(modelDir, name)).size, 0);
    expect(last.bytes).toBe(fileBytes);
    expect(last.total).toBe(fileBytes);
    expect(progress.every((p, i) => i === 0 || p.bytes >= progress[i - 1]!.bytes)).toBe(true);
    expect(events.at(-1)).toMatchObject({ id: 'tiny', kind: 'done' });

    const requests = server.requests.length;
    expect(await cache.download('tiny')).toMatchObject({ state: 'ready' });
    expect(server.requests.length).toBe(requests);
    expect(readdirSync(cache.dir).sort()).toEqual(['catalogue.json', 'tiny']);
    expect((await cache.resolve('tiny')).format).toBe('layers');
  });

  it('asks for every file with the catalogue query, as TF Hub wants, and downloads once for concurrent requests', async () => {
    const cache = cacheWith([{ ...tinyEntry('hub', server.url, sha), query: '?tfjs-format=file' }]);
    const [first, second] = await Promise.all([cache.download('hub'), cache.download('hub')]);
    expect(first).toEqual(second);
    expect(server.requests.filter((r) => r.startsWith('/hub/'))).toEqual([
      '/hub/model.json?tfjs-format=file -',
      '/hub/weights.bin?tfjs-format=file -',
    ]);
  });

  it('resumes a cut transfer with a Range request', async () => {
    const cache = cacheWith([tinyEntry('tiny2', server.url, sha)]);
    server.cutOnce = { suffix: 'weights.bin', bytes: 100 };
    await cache.download('tiny2');
    expect(server.requests).toContain('/tiny2/weights.bin bytes=100-');
  });

  it('deletes a file whose checksum does not match and says so', async () => {
    const cache = cacheWith([tinyEntry('bad', server.url, { ...sha, 'weights.bin': '0'.repeat(64) })]);
    const events: BackboneEvent[] = [];
    cache.onEvent((event) => events.push(event));
    const error = await failure(cache.download('bad'));
    expect(error.code).toBe('io');
    expect(error.message).toMatch(/weights\.bin does not match its published checksum .*The damaged file was deleted/);
    expect(existsSync(join(cache.dir, 'bad'))).toBe(false);
    expect(existsSync(join(cache.dir, 'bad.partial', 'weights.bin'))).toBe(false);
    expect(events.at(-1)).toMatchObject({ id: 'bad', kind: 'error' });
    expect(cache.list().find((b) => b.id === 'bad')!.state).toBe('absent');
  });

  it('pins the hashes of an entry without published checksums, and notices a damaged cache', async () => {
    const cache = cacheWith([tinyEntry('tiny3', server.url, undefined)]);
    expect(await cache.download('tiny3')).toMatchObject({ state: 'ready', verified: false });
    writeFileSync(join(cache.dir, 'tiny3', 'weights.bin'), 'damaged');
    const error = await failure(cache.resolve('tiny3'));
    expect(error.message).toMatch(/was damaged \(weights\.bin\) and has been removed; download or import it again/);
    expect(cache.list().find((b) => b.id === 'tiny3')!.state).toBe('absent');

    // A manifest that is not JSON makes its backbone absent; a mirror catalogue that is not JSON is named.
    await cache.download('tiny3');
    writeFileSync(join(cache.dir, 'tiny3', 'backbone.json'), '{ half');
    expect(cache.list().find((b) => b.id === 'tiny3')!.state).toBe('absent');
    expect(await cache.download('tiny3')).toMatchObject({ state: 'ready' });
    writeFileSync(join(cache.dir, 'catalogue.json'), 'not json');
    expect(() => cache.list()).toThrow(/catalogue\.json is not a valid backbone catalogue/);
  });

  it('when the server is gone, says to import from a folder, and the import makes the backbone usable', async () => {
    const offline = await startModelServer(modelDir, {});
    const entry = tinyEntry('gone', offline.url, sha);
    await offline.close();
    const cache = cacheWith([entry]);
    const error = await failure(cache.download('gone'));
    expect(error.code).toBe('io');
    expect(error.message).toMatch(
      /Could not download Tiny test backbone gone from 127\.0\.0\.1:\d+ \(ECONNREFUSED\)\. This computer may be offline.*"Import from folder"/,
    );

    const imported = await cache.importFolder(modelDir, { id: 'gone' });
    expect(imported).toMatchObject({ id: 'gone', state: 'ready', source: 'import', verified: true });
    expect((await cache.resolve('gone')).dir).toBe(join(cache.dir, 'gone'));
  });

  it('imports a folder as a new backbone, reading its input size and features from model.json', async () => {
    const cache = cacheWith([]);
    const imported = await cache.importFolder(modelDir, { title: 'My network' });
    expect(imported).toMatchObject({
      title: 'My network',
      inputSize: TINY_SIZE,
      features: TINY_FEATURES,
      state: 'ready',
      source: 'import',
      verified: false,
    });
    expect(cache.list().map((b) => b.id)).toContain(imported.id);
    const shape = cache.shape(imported.id);
    const spec = {
      ...presetById('transfer')!.build({ width: 1, height: 1, channels: 1, resize: 'squash' }),
      input: { width: TINY_SIZE, height: TINY_SIZE, channels: 3 as const, resize: 'crop' as const },
    };
    const summary = summarize({ ...spec, backbone: { id: imported.id, trainable_blocks: 0 } }, 3, shape);
    expect(summary.issues).toEqual([]);
    expect(summary.rows.map((row) => [row.name, row.type, row.outputShape])).toEqual([
      [imported.id.replace(/-/g, '_'), 'Functional', [TINY_FEATURES]],
      ['dropout', 'Dropout', [TINY_FEATURES]],
      ['dense', 'Dense', [3]],
    ]);
    expect(summary.nonTrainableParams).toBe(imported.params);
    expect(summary.trainableParams).toBe((TINY_FEATURES + 1) * 3);
  });

  it('refuses folders that are not a complete TensorFlow.js model, saying what is wrong', async () => {
    const cache = cacheWith([]);
    const empty = tempDir('capa-not-a-model-');
    expect((await failure(cache.importFolder(empty))).message).toMatch(
      /There is no model\.json in .*Choose the folder of a TensorFlow\.js model/,
    );
    const partial = tempDir('capa-partial-model-');
    writeFileSync(join(partial, 'model.json'), readFileSync(join(modelDir, 'model.json'), 'utf8'));
    expect((await failure(cache.importFolder(partial))).message).toMatch(/weights\.bin, named by model\.json, is missing/);
    expect((await failure(cache.download('no-such-backbone'))).code).toBe('not-found');
  });

  it('summarises a spec whose backbone is unknown or whose input does not fit, next to the field', () => {
    const spec = presetById('transfer')!.build({ width: 1, height: 1, channels: 1, resize: 'squash' });
    expect(summarize(spec, 2, null).issues[0]).toMatchObject({ path: ['backbone', 'id'] });
    const wrongSize = summarize({ ...spec, input: { ...spec.input, width: 100, height: 100 } }, 2, {
      title: 'MobileNet V2',
      name: 'mobilenet_v2',
      inputSize: [224, 224],
      features: 1280,
      params: 10,
    });
    expect(wrongSize.issues[0]!.message).toBe(
      'MobileNet V2 takes 224x224 RGB images, but the input is 100x100x3; set the input to 224x224 RGB.',
    );
  });
});
