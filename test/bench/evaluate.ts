// Evaluation benchmark, through the service as the app runs it: about 800 test pictures of
// 64x64 evaluated with the Small CNN preset (pictures decoded and predicted in the training
// process, 32 at a time, metrics computed and stored), then one explanation by Grad-CAM (Small CNN)
// and one by occlusion (MLP: 65 forward passes).
import { join } from 'node:path';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import type { CapaService } from '../../main/core/service/service-types';
import { presetById } from '../../common/model/presets';
import { writeShapeDataset } from '../helpers/shapes';
import { trainProject } from '../helpers/train';

const INPUT = { width: 64, height: 64, channels: 3, resize: 'squash' } as const;

async function train(service: CapaService, projectId: string, presetId: string): Promise<string> {
  await callOrThrow(service, 'saveSpec', { projectId, spec: presetById(presetId)!.build(INPUT, { epochs: 1, batch_size: 32, seed: 1 }) });
  return (await trainProject(service, projectId)).id;
}

const seconds = (since: number) => (performance.now() - since) / 1000;

export async function evaluateBench(root: string): Promise<void> {
  console.log('\nEvaluation, Small CNN preset, 64x64x3, 3 classes (through the service):');
  const shapes = await writeShapeDataset(join(root, 'evaluate-data'), { perClass: 334, size: 64, seed: 13 });
  process.env['CAPA_BACKEND'] = 'wasm';
  const service = createCapaService({ dataDir: join(root, 'evaluate-projects'), host: 'browser' });
  try {
    const projectId = (await callOrThrow(service, 'createProject', { name: 'Bench' })).id;
    await callOrThrow(service, 'setSplitShares', { projectId, train: 15, validation: 5, test: 80 });
    await callOrThrow(service, 'importPaths', { projectId, paths: [shapes] });
    const cnn = await train(service, projectId, 'small-cnn');
    for (const label of ['first (model loaded)', 'again (model cached)']) {
      const started = performance.now();
      const evaluation = await callOrThrow(service, 'evaluateRun', { projectId, runId: cnn, split: 'test', weights: 'best' });
      const s = seconds(started);
      console.log(`  ${label}: ${evaluation.images} pictures in ${s.toFixed(2)} s = ${(evaluation.images / s).toFixed(0)} pictures/s`);
    }
    const [image] = (await callOrThrow(service, 'listImages', { projectId, offset: 0, limit: 1, split: 'test' })).images;
    const mlp = await train(service, projectId, 'mlp');
    for (const [runId, name] of [
      [cnn, 'Small CNN'],
      [mlp, 'MLP'],
    ] as const) {
      await callOrThrow(service, 'explainImage', { projectId, runId, imageId: image!.id, weights: 'best' }); // loads the model
      const started = performance.now();
      const map = await callOrThrow(service, 'explainImage', { projectId, runId, imageId: image!.id, weights: 'best' });
      console.log(`  explanation (${map.method}, ${name}, ${map.width}x${map.height} map): ${(seconds(started) * 1000).toFixed(0)} ms`);
    }
  } finally {
    await service.close();
  }
}
