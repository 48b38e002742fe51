// Using a trained model: a folder classified in batches through the real service and training
// process, its CSV parsed back, accuracy against sub-folder classes, filters, a corrupt file that
// does not stop the rest, label suggestions accepted above a threshold and undone, and the CLI.
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREDICT_BATCH_SIZE, type BatchPrediction, type ProjectSummary, type RunInfo } from '../../preload/contract';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import { runEnded } from '../helpers/train';
import type { CapaService } from '../../main/core/service/service-types';
import { CACHE_FOLDER } from '../../main/core/backbones/cache';
import { WEIGHTS_BIN } from '../../main/trainer/model-files';
import { presetById } from '../../common/model/presets';
import { filterRows, folderAccuracy, predictionRows, predictionsCsv, sortRows } from '../../common/predict/prediction-table';
import { TINY_SIZE, writeTinyBackbone } from '../helpers/backbone';
import { cliFor } from '../helpers/cli';
import { colourImage, trainColourProject, writeColourDataset } from '../helpers/colours';
import { removeTempDirs, tempDir } from '../helpers/temp';

let service: CapaService;
let dataDir: string;
let project: ProjectSummary;
let run: RunInfo;
/** A folder to classify: check/red/*, check/blue/*, a file named with a comma and quotes, a corrupt PNG and a text file. */
let check: string;
const ODD_NAME = 'a, "quoted" name.png';

beforeAll(async () => {
  dataDir = tempDir();
  service = createCapaService({ dataDir, host: 'browser' });
  ({ project, run } = await trainColourProject(service, 'Colours', await writeColourDataset(join(tempDir(), 'colours'), 16)));
  check = await writeColourDataset(join(tempDir(), 'check'), 20, 7);
  writeFileSync(join(check, 'red', ODD_NAME), await colourImage('red', 9_999));
  const png = await colourImage('blue', 8_888);
  writeFileSync(join(check, 'blue', 'broken.png'), png.subarray(0, 40));
  writeFileSync(join(check, 'blue', 'notes.txt'), 'not a picture');
}, 240_000);

afterAll(async () => {
  await service.close();
  removeTempDirs();
});

/** Classifies a folder the way the renderer and the CLI do: listed by main, sent in batches. */
async function classifyFolder(root: string): Promise<BatchPrediction[]> {
  const files = await callOrThrow(service, 'listFolder', { paths: [root] });
  const results: BatchPrediction[] = [];
  for (let i = 0; i < files.length; i += PREDICT_BATCH_SIZE) {
    results.push(
      ...(await callOrThrow(service, 'predictBatch', {
        projectId: project.id,
        runId: run.id,
        images: files.slice(i, i + PREDICT_BATCH_SIZE),
      })),
    );
  }
  return results;
}

describe('a folder classified in batches', () => {
  it('gives every readable picture its probabilities and lists the unreadable with their reason', async () => {
    expect(run.status).toBe('completed');
    const results = await classifyFolder(check);
    expect(results).toHaveLength(43);
    const byName = new Map(results.map((r) => [r.file, r]));
    expect(byName.get('check/blue/broken.png')).toMatchObject({
      probabilities: null,
      error: { message: 'The file has an image extension but its contents are not a readable image.' },
    });
    expect(byName.get('check/blue/notes.txt')).toMatchObject({ probabilities: null, error: { message: 'This is not an image file.' } });
    const readable = results.filter((r) => r.probabilities);
    expect(readable).toHaveLength(41);
    for (const r of readable) expect(r.probabilities!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  });

  it('reports accuracy against the sub-folders named like classes, with right and wrong per class', async () => {
    const rows = predictionRows(await classifyFolder(check), run.classNames);
    const accuracy = folderAccuracy(rows, run.classNames)!;
    expect(accuracy.total).toBe(41); // the two unreadable files are not judged
    expect(accuracy.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(accuracy.perClass.map((c) => [c.className, c.right + c.wrong])).toEqual(
      expect.arrayContaining([
        ['red', 21],
        ['blue', 20],
      ]),
    );
    expect(accuracy.correct).toBe(accuracy.perClass.reduce((sum, c) => sum + c.right, 0));
    expect(rows.filter((r) => r.correct === true)).toHaveLength(accuracy.correct);
  });

  it('has no accuracy when no folder is named like a class', () => {
    const rows = predictionRows([{ file: 'holiday/a.png', probabilities: [0.2, 0.8], error: null }], ['red', 'blue']);
    expect(rows[0]).toMatchObject({ predicted: 'blue', expected: null, correct: null });
    expect(folderAccuracy(rows, ['red', 'blue'])).toBeNull();
  });

  it('writes CSV that parses back to the same rows, quoting a file name with a comma and a quote', async () => {
    const rows = predictionRows(await classifyFolder(check), run.classNames);
    const csv = predictionsCsv(rows, run.classNames);
    expect(csv).toContain('"check/red/a, ""quoted"" name.png"');
    expect(csv.split('\r\n')).toHaveLength(rows.length + 1);
    const parsed = Papa.parse<string[]>(csv, { skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    const [header, ...data] = parsed.data;
    expect(header).toEqual(['file', 'predicted', 'confidence', 'expected', 'correct', 'error', ...run.classNames.map((n) => `p(${n})`)]);
    expect(data).toHaveLength(rows.length);
    const odd = data.find((line) => line[0] === `check/red/${ODD_NAME}`)!;
    expect(odd).toHaveLength(header!.length);
    const oddRow = rows.find((r) => r.file === `check/red/${ODD_NAME}`)!;
    expect(odd.slice(1, 5)).toEqual([oddRow.predicted, oddRow.confidence.toFixed(6), 'red', String(oddRow.correct)]);
    expect(Number(odd[6]) + Number(odd[7])).toBeCloseTo(1, 4);
    const broken = data.find((line) => line[0] === 'check/blue/broken.png')!;
    expect(broken.slice(1, 6)).toEqual(['', '', 'blue', '', rows.find((r) => r.file === 'check/blue/broken.png')!.error!.message]);
  });

  it('gives the same answers for uploaded bytes as for paths', async () => {
    const file = join(check, 'blue', 'blue-3.png');
    const [byPath] = await callOrThrow(service, 'predictBatch', {
      projectId: project.id,
      runId: run.id,
      images: [{ file: 'x/blue-3.png', path: file }],
    });
    const [byBytes] = await callOrThrow(service, 'predictBatch', {
      projectId: project.id,
      runId: run.id,
      images: [{ file: 'x/blue-3.png', bytes: new Uint8Array(readFileSync(file)) }],
    });
    byBytes!.probabilities!.forEach((p, i) => expect(p).toBeCloseTo(byPath!.probabilities![i]!, 5));
  });

  it('filters by predicted class, by low confidence and by disagreement, and sorts', () => {
    const results: BatchPrediction[] = [
      { file: 't/red/1.png', probabilities: [0.9, 0.1], error: null },
      { file: 't/red/2.png', probabilities: [0.4, 0.6], error: null },
      { file: 't/blue/3.png', probabilities: [0.3, 0.7], error: null },
      { file: 't/blue/4.png', probabilities: [0.55, 0.45], error: null },
      { file: 't/blue/5.png', probabilities: null, error: { message: 'The file is empty (0 bytes).' } },
    ];
    const rows = predictionRows(results, ['red', 'blue']);
    const files = (list: { file: string }[]) => list.map((r) => r.file);
    expect(files(filterRows(rows, { predicted: 'red', below: 1 }))).toEqual(['t/red/1.png', 't/blue/4.png']);
    expect(files(filterRows(rows, { predicted: null, below: 0.65 }))).toEqual(['t/red/2.png', 't/blue/4.png']);
    expect(files(filterRows(rows, { predicted: null, below: 1, wrongOnly: true }))).toEqual(['t/red/2.png', 't/blue/4.png']);
    expect(files(filterRows(rows, { predicted: null, below: 1 }))).toHaveLength(5);
    expect(files(sortRows(rows, 'confidence', false)).slice(0, 2)).toEqual(['t/red/1.png', 't/blue/3.png']);
    expect(files(sortRows(rows, 'file', true))[0]).toBe('t/blue/3.png');
  });

  it('says what to do with a corrupt picture on the Try screen', async () => {
    const result = await service.call('predict', {
      projectId: project.id,
      runId: run.id,
      bytes: new Uint8Array(Buffer.from('hello, not a picture')),
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument', message: 'This is not an image file. Choose a JPEG, PNG, WebP, GIF, BMP or TIFF picture.' },
    });
  });
});

describe('label suggestions', () => {
  it('suggests the right class for Unlabelled pictures; accepting above a threshold labels exactly those; undo restores', async () => {
    const loose = join(tempDir(), 'loose');
    mkdirSync(loose);
    const colours = ['red', 'blue', 'red', 'blue', 'red', 'blue'] as const;
    for (const [i, colour] of colours.entries()) writeFileSync(join(loose, `${colour}-${i}.png`), await colourImage(colour, 50_000 + i));
    const paths = colours.map((colour, i) => join(loose, `${colour}-${i}.png`));
    await callOrThrow(service, 'importPaths', { projectId: project.id, paths });
    expect((await callOrThrow(service, 'getDataset', { projectId: project.id })).unlabelledCount).toBe(6);

    const { suggestions, skipped } = await callOrThrow(service, 'suggestLabels', { projectId: project.id, runId: run.id });
    expect(skipped).toEqual([]);
    expect(suggestions).toHaveLength(6);
    for (const s of suggestions) expect(s.className).toBe(s.fileName.split('-')[0]);
    // Pages (as the Try screen asks for them) cover the same pictures once each.
    const pages = await Promise.all(
      [0, 4].map((offset) => callOrThrow(service, 'suggestLabels', { projectId: project.id, runId: run.id, offset, limit: 4 })),
    );
    expect(pages.map((p) => [p.total, p.suggestions.length])).toEqual([
      [6, 4],
      [6, 2],
    ]);
    expect(pages.flatMap((p) => p.suggestions.map((s) => s.imageId)).sort()).toEqual(suggestions.map((s) => s.imageId).sort());
    const confidences = suggestions.map((s) => s.confidence);
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));

    // The threshold between the third and fourth most confident: exactly three are accepted.
    const threshold = (confidences[2]! + confidences[3]!) / 2;
    const accepted = suggestions.filter((s) => s.confidence >= threshold);
    expect(accepted).toHaveLength(confidences[2] === confidences[3] ? 4 : 3);
    const { labelled } = await callOrThrow(service, 'acceptSuggestions', {
      projectId: project.id,
      labels: accepted.map((s) => ({ imageId: s.imageId, classId: s.classId })),
    });
    expect(labelled).toBe(accepted.length);
    const unlabelled = await callOrThrow(service, 'listImages', { projectId: project.id, offset: 0, limit: 100, classId: null });
    expect(unlabelled.images.map((i) => i.id).sort()).toEqual(
      suggestions
        .filter((s) => !accepted.includes(s))
        .map((s) => s.imageId)
        .sort(),
    );
    for (const s of accepted) {
      const of = await callOrThrow(service, 'listImages', { projectId: project.id, offset: 0, limit: 1000, classId: s.classId });
      expect(of.images.some((i) => i.id === s.imageId)).toBe(true);
    }
    const dataset = await callOrThrow(service, 'getDataset', { projectId: project.id });
    expect(dataset.undo?.description).toEqual({
      message: `Label ${accepted.length} pictures as suggested`,
      key: 'data.undo.label',
      params: { count: accepted.length },
    });

    await callOrThrow(service, 'undo', { projectId: project.id });
    expect((await callOrThrow(service, 'getDataset', { projectId: project.id })).unlabelledCount).toBe(6);
  });
});

describe('a transfer-learning run (frozen backbone kept apart)', () => {
  it('classifies a folder through backbone and head, and notices a backbone damaged since', async () => {
    const backboneDir = join(tempDir(), 'tiny-backbone');
    await writeTinyBackbone(backboneDir);
    await callOrThrow(service, 'importBackbone', { path: backboneDir, id: 'tiny' });
    const transfer = await callOrThrow(service, 'createProject', { name: 'Colours transfer' });
    await callOrThrow(service, 'importPaths', { projectId: transfer.id, paths: [join(check, 'red'), join(check, 'blue')] });
    const spec = presetById('transfer')!.build(
      { width: TINY_SIZE, height: TINY_SIZE, channels: 3, resize: 'squash' },
      { epochs: 3, batch_size: 8 },
    );
    await callOrThrow(service, 'saveSpec', {
      projectId: transfer.id,
      spec: { ...spec, input: { ...spec.input, width: TINY_SIZE, height: TINY_SIZE }, backbone: { id: 'tiny', trainable_blocks: 0 } },
    });
    let runId: string | undefined;
    const done = runEnded(service, () => runId);
    const started = await callOrThrow(service, 'startRun', { projectId: transfer.id });
    runId = started.id;
    await done;
    expect((await callOrThrow(service, 'getRun', { projectId: transfer.id, runId: started.id })).status).toBe('completed');

    const images = (await callOrThrow(service, 'listFolder', { paths: [join(check, 'red')] })).slice(0, 5);
    const first = await callOrThrow(service, 'predictBatch', { projectId: transfer.id, runId: started.id, images });
    expect(first.map((r) => r.probabilities?.length)).toEqual([2, 2, 2, 2, 2]);
    const again = await callOrThrow(service, 'predictBatch', { projectId: transfer.id, runId: started.id, images });
    again.forEach((r, i) => r.probabilities!.forEach((p, j) => expect(p).toBeCloseTo(first[i]!.probabilities![j]!, 6)));

    // The check of the backbone's files is remembered, but not past a change to them.
    const weights = join(dataDir, CACHE_FOLDER, 'tiny', WEIGHTS_BIN);
    appendFileSync(weights, Buffer.from([1, 2, 3]));
    const damaged = await service.call('predictBatch', { projectId: transfer.id, runId: started.id, images });
    expect(damaged).toMatchObject({ ok: false, error: { code: 'io', message: expect.stringContaining('was damaged') } });
  });
});

describe('capa predict', () => {
  it('prints a table with the accuracy, and writes the same rows as CSV', async () => {
    const capa = cliFor(dataDir);
    const table = await capa('predict', 'Colours', join(check, 'red'), '--run', run.id);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^red\/red-0\.png +(red|blue) \d+\.\d%  \(blue \d+\.\d%, red \d+\.\d%\)$/m);
    expect(table.stdout).toMatch(/Accuracy against the folders' classes: \d+\.\d% \(\d+ of 21; red \d+ right, \d+ wrong\)/);
    expect(table.stdout).toMatch(/^Predictions: ONNX Runtime, CPU \(\d+ threads?\)\.$/m);
    const out = join(tempDir(), 'out.csv');
    const written = await capa('predict', 'Colours', check, '--csv', out);
    expect(written).toMatchObject({ code: 0, stdout: expect.stringContaining('Wrote 43 rows') });
    const parsed = Papa.parse<string[]>(readFileSync(out, 'utf8'), { skipEmptyLines: true });
    expect(parsed.data).toHaveLength(44);
    expect(parsed.data.some((line) => line[0] === `check/red/${ODD_NAME}`)).toBe(true);
    expect((await capa('predict', 'Colours')).stderr).toContain('Name at least one picture or folder');
  });
});
