// Batch prediction benchmark: 1,000 pictures (64x64 PNG, in sub-folders per class) classified
// by a briefly trained Small CNN through the service, as the Try screen's "Many pictures" and
// `capa predict` do (listFolder, then predictBatch in batches of PREDICT_BATCH_SIZE): images/s,
// the time to the first result, and, for comparison, pictures sent one at a time.
// Runnable alone: `npm run build && node out/test/bench/predict.js`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PREDICT_BATCH_SIZE, type BatchPrediction } from '../../preload/contract';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import { presetById } from '../../common/model/presets';
import { folderAccuracy, predictionRows } from '../../common/predict/prediction-table';
import { writeShapeDataset } from '../helpers/shapes';
import { trainProject } from '../helpers/train';

const PER_CLASS = 334; // 1,002 pictures

export async function predictBench(root: string): Promise<void> {
  await writeShapeDataset(join(root, 'predict-train'), { perClass: 40, size: 64, seed: 21 });
  const folder = await writeShapeDataset(join(root, 'predict-folder'), { perClass: PER_CLASS, size: 64, seed: 22 });
  const service = createCapaService({ dataDir: join(root, 'predict-data'), host: 'browser' });
  try {
    const project = await callOrThrow(service, 'createProject', { name: 'Bench' });
    await callOrThrow(service, 'importPaths', { projectId: project.id, paths: [join(root, 'predict-train')] });
    await callOrThrow(service, 'saveSpec', {
      projectId: project.id,
      spec: presetById('small-cnn')!.build(
        { width: 64, height: 64, channels: 3, resize: 'squash' },
        { epochs: 2, batch_size: 32, seed: 1 },
      ),
    });
    const run = await trainProject(service, project.id);
    const classNames = run.classNames;

    const started = performance.now();
    const files = await callOrThrow(service, 'listFolder', { paths: [folder] });
    const results: BatchPrediction[] = [];
    let first = NaN;
    for (let i = 0; i < files.length; i += PREDICT_BATCH_SIZE) {
      results.push(
        ...(await callOrThrow(service, 'predictBatch', {
          projectId: project.id,
          runId: run.id,
          images: files.slice(i, i + PREDICT_BATCH_SIZE),
        })),
      );
      if (Number.isNaN(first)) first = (performance.now() - started) / 1000;
    }
    const seconds = (performance.now() - started) / 1000;
    const accuracy = folderAccuracy(predictionRows(results, classNames), classNames);
    console.log(
      `\nBatch prediction: Small CNN 64x64x3 (2 epochs on 120 pictures: barely trained, speed is the point), ${files.length.toLocaleString('en-US')} PNG pictures of 64x64 in a folder per class, batches of ${PREDICT_BATCH_SIZE}:`,
    );
    console.log(
      `  ${(files.length / seconds).toFixed(0)} images/s (${seconds.toFixed(2)} s in all), first result after ${first.toFixed(2)} s; accuracy against the folders ${((accuracy?.accuracy ?? 0) * 100).toFixed(1)}%`,
    );

    // The same pictures one request each, as a loop over the single-picture operation would send them.
    const some = files.slice(0, 100);
    const single = performance.now();
    for (const file of some)
      await callOrThrow(service, 'predict', { projectId: project.id, runId: run.id, bytes: new Uint8Array(readFileSync(file.path)) });
    const singleSeconds = (performance.now() - single) / 1000;
    console.log(`  one picture per request: ${(some.length / singleSeconds).toFixed(0)} images/s over ${some.length} pictures`);
  } finally {
    await service.close();
  }
}

if (require.main === module) {
  const root = mkdtempSync(join(tmpdir(), 'capa-bench-predict-'));
  predictBench(root)
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    })
    .finally(() => rmSync(root, { recursive: true, force: true }));
}
