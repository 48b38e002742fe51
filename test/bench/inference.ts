// Inference bench (`npm run bench -- inference`): ONNX Runtime against TensorFlow.js WASM (and
// PyTorch where python3 has torch) on the real MobileNet V2 from nsfwjs (features, batch 32); a
// Small CNN's batch prediction of 1,000 pictures on both engines; the first prediction's latency
// (conversion and check included); webcam-style predictions one frame at a time. In this process,
// through the trainer's own modules (features.ts, predict.ts), as the trainer runs them.
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { BackboneCache, CACHE_FOLDER } from '../../main/core/backbones/cache';
import { cpuThreads } from '../../main/core/inference/engine';
import { selectBackend } from '../../main/trainer/backends';
import { features, forgetBackbone } from '../../main/trainer/features';
import { forgetInference, lastInference } from '../../main/trainer/inference';
import { buildModel } from '../../main/trainer/model-builder';
import { saveModel } from '../../main/trainer/model-files';
import { forgetModel, predictBatch } from '../../main/trainer/predict';
import type { ImageSource } from '../../main/trainer/protocol';
import type { Tf } from '../../main/trainer/tf';
import { presetById } from '../../common/model/presets';
import { writeRealMobileNet } from '../helpers/real-mobilenet';
import { seededRandom } from '../helpers/shapes';
import { spawnPython } from '../helpers/python';

const BATCH = 32;

async function reset(engine: 'onnx' | 'tfjs'): Promise<void> {
  process.env['CAPA_INFERENCE'] = engine;
  forgetModel();
  forgetBackbone();
  await forgetInference();
}

/** Pictures per second of `run(count)` over `batches` batches after one warm-up batch. */
async function rate(run: (count: number) => Promise<unknown>, batches: number, count = BATCH): Promise<number> {
  await run(count);
  const started = performance.now();
  for (let b = 0; b < batches; b++) await run(count);
  return (batches * count) / ((performance.now() - started) / 1000);
}

const PYTORCH = `
import sys, time, torch, torchvision
torch.set_num_threads(int(sys.argv[1]))
net = torchvision.models.mobilenet_v2().features.eval()
x = torch.rand(32, 3, 224, 224)
with torch.no_grad():
    net(x).mean((2, 3))
    t = time.time()
    for _ in range(3): net(x).mean((2, 3))
print(96 / (time.time() - t))
`;

export async function inferenceBench(root: string): Promise<void> {
  const tf: Tf = (await selectBackend({ force: 'wasm' })).tf;
  const threads = cpuThreads();
  console.log(
    `\nInference (load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}, ${availableParallelism()} cores):`,
  );

  // Features of the real MobileNet V2, imported through the backbone cache's folder import.
  const folder = join(root, 'inference-mobilenet');
  await writeRealMobileNet(folder);
  const cache = new BackboneCache(join(root, 'inference-cache', CACHE_FOLDER));
  const backbone = await cache.resolve((await cache.importFolder(folder, { title: 'MobileNet V2 (nsfwjs)' })).id);
  const random = seededRandom(1);
  const pixels = Float32Array.from({ length: BATCH * 224 * 224 * 3 }, () => random());
  const run = (count: number) => features(tf, backbone, pixels.subarray(0, count * 224 * 224 * 3), count);

  await reset('onnx');
  const firstStart = performance.now();
  await run(1);
  const firstFeatures = (performance.now() - firstStart) / 1000;
  const onnxRate = await rate(run, 3);
  const info = lastInference.features;
  await reset('tfjs');
  const tfjsRate = await rate(run, 1);
  const provider = info?.engine === 'onnxruntime' ? `${info.provider}, ${info.threads ?? threads} threads` : 'not used';
  console.log(
    `features MobileNetV2-1.0-224: onnxruntime ${onnxRate.toFixed(1)} img/s (${provider}), tfjs-wasm ${tfjsRate.toFixed(1)} img/s, ratio ${(onnxRate / tfjsRate).toFixed(1)}x`,
  );
  console.log(`  first features (convert + check + 1 picture): ${firstFeatures.toFixed(2)} s`);
  const torch = spawnPython(PYTORCH, [String(availableParallelism())]);
  const torchRate = Number.parseFloat(torch.stdout.trim());
  if (torch.status === 0 && Number.isFinite(torchRate))
    console.log(`pytorch ${torchRate.toFixed(1)} img/s, onnxruntime/pytorch ${(onnxRate / torchRate).toFixed(2)}x`);
  else console.log(`pytorch: not measured (${(torch.stderr || torch.error?.message || '').trim().split('\n').at(-1)})`);

  // A Small CNN (64 x 64 x 3, untrained weights: speed is the point) on 1,000 PNG pictures.
  const spec = presetById('small-cnn')!.build(
    { width: 64, height: 64, channels: 3, resize: 'squash' },
    { epochs: 1, batch_size: 32, seed: 1 },
  );
  const modelDir = join(root, 'inference-run', 'best');
  const model = buildModel(tf, spec, 3);
  await saveModel(tf, model, modelDir);
  model.dispose();
  const images: ImageSource[] = await Promise.all(
    Array.from({ length: 1000 }, async () => ({
      bytes: new Uint8Array(
        await sharp(Buffer.from(Array.from({ length: 64 * 64 * 3 }, () => Math.floor(random() * 256))), {
          raw: { width: 64, height: 64, channels: 3 },
        })
          .png()
          .toBuffer(),
      ),
    })),
  );
  for (const engine of ['onnx', 'tfjs'] as const) {
    await reset(engine);
    const coldStart = performance.now();
    await predictBatch(tf, modelDir, spec.input, images.slice(0, 1));
    const first = (performance.now() - coldStart) / 1000;
    const started = performance.now();
    for (let i = 0; i < images.length; i += BATCH) await predictBatch(tf, modelDir, spec.input, images.slice(i, i + BATCH));
    const batchRate = images.length / ((performance.now() - started) / 1000);
    const frames = 100;
    const webcamStart = performance.now();
    for (let i = 0; i < frames; i++) await predictBatch(tf, modelDir, spec.input, [images[i]!]);
    const webcam = frames / ((performance.now() - webcamStart) / 1000);
    const name = lastInference.predictions?.engine === 'onnxruntime' ? 'onnxruntime' : 'tfjs-wasm';
    console.log(
      `Small CNN 64x64, ${name}: 1,000 pictures ${batchRate.toFixed(0)} img/s (batches of ${BATCH}), first prediction ${(first * 1000).toFixed(0)} ms, one frame at a time ${webcam.toFixed(0)} predictions/s`,
    );
  }
  delete process.env['CAPA_INFERENCE'];
  await reset('onnx');
}
