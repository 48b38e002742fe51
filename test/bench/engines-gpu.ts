// The Chromium engines in `npm run bench -- training`: WebGL and WebGPU in a headless Chromium,
// trained in this process through the same loop as every run (train.ts). Without a GPU they run
// on SwiftShader, and say so: such figures are about correctness, not speed.
import { selectBackend } from '../../main/trainer/backends';
import { asTrainingEngine, chooseEngine, chromiumPath, headlessChromium, sharedHost } from '../../main/trainer/engines/chromium';
import type { ChromiumBackend } from '../../main/trainer/engines/chromium-wire';
import type { TrainItem } from '../../main/trainer/protocol';
import { runTraining } from '../../main/trainer/train';
import type { ModelSpec } from '../../common/model/spec';
import type { BackendInfo } from '../../preload/contract';

/** One network to time on each Chromium engine. */
export interface GpuBenchCase {
  label: string;
  spec: ModelSpec;
  items: TrainItem[];
  classes: number;
  outDir: string;
}

/** A Chromium engine's figures on one case, or why it was not measured. */
export type GpuMeasurement =
  | { engine: string; label: string; imagesPerSecond: number; firstBatchSeconds: number; software: boolean }
  | { engine: string; label: string; skipped: string };

/**
 * Times each case on Chromium WebGPU and WebGL, printing one line each (software rendering is
 * accepted and marked as such). Throughput is taken between progress events after the first batch.
 */
export async function gpuEngineBench(cases: readonly GpuBenchCase[]): Promise<GpuMeasurement[]> {
  const executable = chromiumPath();
  if (!executable) {
    console.log('  Chromium engines: not measured (no Chromium; set CAPA_CHROMIUM).');
    return [];
  }
  const { tf } = await selectBackend({ force: 'cpu' });
  const node: BackendInfo = { name: 'cpu', description: 'JavaScript', gpu: false, fallbacks: [] };
  const launch = headlessChromium(executable);
  const results: GpuMeasurement[] = [];
  for (const backend of ['webgpu', 'webgl'] as ChromiumBackend[]) {
    for (const { label, spec, items, classes, outDir } of cases) {
      let chosen;
      try {
        chosen = await chooseEngine(node, { force: backend, software: true, launch }, {});
      } catch (error) {
        const skipped = error instanceof Error ? error.message : String(error);
        console.log(`  Chromium ${backend} (${label}): not measured: ${skipped}`);
        results.push({ engine: `chromium-${backend}`, label, skipped });
        continue;
      }
      const marks: { time: number; images: number }[] = [];
      const start = performance.now();
      await runTraining(
        {
          runId: `bench-${backend}`,
          spec,
          classNames: Array.from({ length: classes }, (_, i) => `class ${i}`),
          items,
          outDir: `${outDir}-${backend}`,
        },
        {
          tf,
          backend: chosen.info,
          engine: asTrainingEngine(chosen.engine!, chosen.info),
          shouldStop: () => false,
          emit: (event) => {
            if (event.kind === 'progress')
              marks.push({
                time: performance.now(),
                images: (event.epoch - 1) * items.length + Math.min(items.length, event.batch * spec.training.batch_size),
              });
          },
        },
      );
      const first = marks[0]!;
      const last = marks.at(-1)!;
      const imagesPerSecond = (last.images - first.images) / Math.max(1e-3, (last.time - first.time) / 1000);
      const firstBatchSeconds = (first.time - start) / 1000;
      const software = !chosen.info.gpu;
      console.log(
        `  ${chosen.info.description}${software ? ' [SOFTWARE: says nothing about GPU speed]' : ''} (${label}): ${imagesPerSecond.toFixed(1)} images/s, first batch after ${firstBatchSeconds.toFixed(2)} s`,
      );
      results.push({ engine: chosen.info.name, label, imagesPerSecond, firstBatchSeconds, software });
    }
  }
  (await sharedHost(launch, true)).kill();
  return results;
}
