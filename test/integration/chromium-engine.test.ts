// The Chromium training engine in a real headless Chromium (Debian's, or CAPA_CHROMIUM) on
// SwiftShader: the gradients of every layer kind on WebGL and WebGPU against the CPU backend,
// real runs on each engine, stop, a kill of Chromium mid-run with the run resumed on another
// engine, no tensor leak per epoch, and the skip rules. Needs `npm run build` (the engine page).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendInfo, RunEvent } from '../../preload/contract';
import { layer } from '../../common/model/presets';
import { SPEC_VERSION, type LayerSpec, type ModelSpec } from '../../common/model/spec';
import { selectBackend } from '../../main/trainer/backends';
import { buildModel, disposeOptimizer } from '../../main/trainer/model-builder';
import { captureState } from '../../main/trainer/model-state';
import { readCheckpoint } from '../../main/trainer/checkpoint';
import { runTraining } from '../../main/trainer/train';
import type { TrainItem, TrainJob } from '../../main/trainer/protocol';
import type { Tf } from '../../main/trainer/tf';
import {
  asTrainingEngine,
  chooseEngine,
  chromiumPath,
  ChromiumHost,
  ENGINE_PAGE_DIR,
  headlessChromium,
  pickBackend,
  probeRefusal,
  sharedHost,
  type BrowserLauncher,
} from '../../main/trainer/engines/chromium';
import { bytesOf, floatsOf, lossGradients, type ChromiumBackend } from '../../main/trainer/engines/chromium-wire';
import { everyFieldSpec } from '../helpers/specs';
import { writeColourDataset } from '../helpers/colours';

const executable = chromiumPath();
const launch: BrowserLauncher | null = executable ? headlessChromium(executable) : null;
const ready = Boolean(launch && existsSync(join(ENGINE_PAGE_DIR, 'index.html')));
const NODE: BackendInfo = { name: 'cpu', description: 'JavaScript', gpu: false, fallbacks: [] };

let tf: Tf;
let host: ChromiumHost;
let root: string;
let items: TrainItem[];

beforeAll(async () => {
  if (!ready) return;
  tf = (await selectBackend({ force: 'cpu' })).tf;
  host = await sharedHost(launch!, true);
  root = mkdtempSync(join(tmpdir(), 'capa-chromium-'));
  await writeColourDataset(join(root, 'data'), 24, 5);
  items = (['red', 'blue'] as const).flatMap((colour, label) =>
    Array.from({ length: 24 }, (_, i): TrainItem => ({
      path: join(root, 'data', colour, `${colour}-${i}.png`),
      label,
      split: i % 4 === 0 ? 'validation' : 'train',
    })),
  );
}, 120_000);

afterAll(() => {
  host?.kill();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Every layer kind of common/model/layers.ts, in two networks (dropouts left out: their masks are random per backend). */
function gradientSpecs(): ModelSpec[] {
  const every = everyFieldSpec();
  // Left out: the dropouts (random masks per backend) and the Flatten after global pooling (the second network flattens).
  const buildable = (layers: LayerSpec[]) =>
    layers.filter((l) => l.type !== 'Dropout' && l.type !== 'SpatialDropout2D' && l.type !== 'Flatten');
  const second: ModelSpec = {
    ...every,
    input: { width: 12, height: 12, channels: 3, resize: 'squash' },
    layers: [
      layer({ type: 'Conv2D', filters: 4, kernel_size: 3, activation: 'relu' }),
      layer({ type: 'MaxPooling2D', pool_size: 2 }),
      layer({ type: 'Activation', activation: 'sigmoid' }),
      layer({ type: 'Conv2D', filters: 5, kernel_size: 2, padding: 'same', activation: 'tanh' }),
      layer({ type: 'Flatten' }),
      layer({ type: 'Dense', units: 6, activation: 'softmax' }),
      layer({ type: 'Dense', units: 6, activation: 'linear' }),
      layer({ type: 'Activation', activation: 'relu' }),
    ],
  };
  const third: ModelSpec = {
    ...second,
    layers: [layer({ type: 'Conv2D', filters: 3, kernel_size: 3 }), layer({ type: 'GlobalMaxPooling2D' })],
  };
  return [{ ...every, layers: buildable(every.layers) }, second, third];
}

/** A batch of seeded values in [0, 1) and alternating one-hot targets. */
function batchFor(spec: ModelSpec, n: number, numClasses: number): { x: Float32Array; y: Float32Array; shape: number[] } {
  const { height, width, channels } = spec.input;
  let seed = 7;
  const x = Float32Array.from({ length: n * height * width * channels }, () => (seed = (seed * 1_103_515_245 + 12_345) >>> 0) / 2 ** 32);
  const y = new Float32Array(n * numClasses);
  for (let i = 0; i < n; i++) y[i * numClasses + (i % numClasses)] = 1;
  return { x, y, shape: [n, height, width, channels] };
}

const job = (runId: string, training: Partial<ModelSpec['training']> = {}): TrainJob => ({
  runId,
  spec: {
    version: SPEC_VERSION,
    preset: 'custom',
    input: { width: 16, height: 16, channels: 3, resize: 'squash' },
    augmentation: everyFieldSpec().augmentation && { flip: 'none', rotation: 0, zoom: 0, translation: 0, brightness: 0, contrast: 0 },
    layers: [
      layer({ type: 'Conv2D', filters: 4, kernel_size: 3 }),
      layer({ type: 'MaxPooling2D' }),
      layer({ type: 'Flatten' }),
      layer({ type: 'Dropout', rate: 0.2 }),
    ],
    training: {
      ...everyFieldSpec().training,
      optimizer: 'adam',
      learning_rate: 0.01,
      momentum: 0,
      nesterov: false,
      epochs: 4,
      batch_size: 12,
      validation: 'validation',
      early_stopping: null,
      reduce_lr_on_plateau: null,
      class_weight: 'balanced',
      seed: 3,
      ...training,
    },
  },
  classNames: ['red', 'blue'],
  items,
  outDir: join(root, 'runs', runId),
});

async function train(
  trainJob: TrainJob,
  backend: ChromiumBackend | 'off',
  onEvent: (event: RunEvent, events: RunEvent[]) => void = () => undefined,
  stop = () => false,
  onChosen?: (chosen: Awaited<ReturnType<typeof chooseEngine>>) => void,
) {
  const chosen = await chooseEngine(NODE, { force: backend, software: true, launch: launch! });
  onChosen?.(chosen);
  const events: RunEvent[] = [];
  const result = await runTraining(trainJob, {
    tf,
    backend: chosen.info,
    ...(chosen.engine ? { engine: asTrainingEngine(chosen.engine, chosen.info) } : {}),
    emit: (event) => (events.push(event), onEvent(event, events)),
    shouldStop: stop,
  });
  return { result, events, chosen };
}

describe.skipIf(!ready)('Chromium engine (headless Chromium, SwiftShader)', () => {
  it('finds WebGPU and WebGL on software adapters, and the app refuses them with their reason', () => {
    const byBackend = Object.fromEntries(host.probes.map((probe) => [probe.backend, probe]));
    expect(byBackend['webgpu']?.device).toBeTruthy();
    expect(byBackend['webgl']?.device).toMatch(/swiftshader/i);
    for (const probe of host.probes) {
      expect(probe.software).toBe(true);
      expect(probeRefusal(probe, false)?.key).toBe('runs.gpu.software');
      expect(probeRefusal(probe, true)).toBeNull();
    }
  });

  for (const backend of ['webgl', 'webgpu'] as const) {
    it(`computes every layer kind's gradients on ${backend} as the CPU backend does (max abs difference 1e-3 x scale)`, async () => {
      for (const spec of gradientSpecs()) {
        const model = buildModel(tf, spec, 3);
        const { data, ...state } = await captureState(model, null);
        const batch = batchFor(spec, 4, 3);
        const xs = tf.tensor4d(batch.x, batch.shape as [number, number, number, number]);
        const ys = tf.tensor2d(batch.y, [4, 3]);
        const expected = await Promise.all(lossGradients(tf, model, xs, ys).map(async (g) => (await g.data()) as Float32Array));
        const reply = await host.request({ type: 'gradients', backend, spec, numClasses: 3, shape: batch.shape, state }, [
          data,
          bytesOf(batch.x),
          bytesOf(batch.y),
        ]);
        expect(reply.parts.length).toBe(expected.length);
        reply.parts.forEach((part, i) => {
          const got = floatsOf(part);
          const want = expected[i]!;
          expect(got.length).toBe(want.length);
          const scale = Math.max(1, ...Array.from(want, Math.abs));
          const worst = Math.max(...Array.from(got, (v, k) => Math.abs(v - want[k]!)));
          expect(worst, `${spec.layers.map((l) => l.type).join(',')}: weight ${model.trainableWeights[i]!.name}`).toBeLessThan(
            1e-3 * scale,
          );
        });
        xs.dispose();
        ys.dispose();
        disposeOptimizer(model.optimizer);
        model.dispose();
      }
    }, 120_000);

    it(`trains on ${backend} to clearly better than chance, without a tensor leak per epoch`, async () => {
      const counts: number[] = [];
      let engine: { numTensors: number } | null = null;
      const { result, events, chosen } = await train(
        job(`run-${backend}`),
        backend,
        (event) => {
          if (event.kind === 'epoch') counts.push(engine!.numTensors);
        },
        () => false,
        (chosen) => (engine = chosen.engine as unknown as { numTensors: number }),
      );
      expect(result.status).toBe('completed');
      expect(chosen.info.name).toBe(`chromium-${backend}`);
      expect((events[0] as Extract<RunEvent, { kind: 'started' }>).backend.name).toBe(`chromium-${backend}`);
      const last = events.flatMap((e) => (e.kind === 'epoch' ? [e.metrics] : [])).at(-1)!;
      expect(last.epoch).toBe(4);
      expect(last.valAccuracy).toBeGreaterThanOrEqual(0.9);
      expect(new Set(counts).size, `tensors after each epoch: ${counts.join(', ')}`).toBe(1);
    }, 180_000);
  }

  it('stops between batches and keeps the checkpoint; a kill of Chromium mid-run fails the run, which resumes on another engine', async () => {
    let stopNow = false;
    const stopJob = job('run-stop');
    const stopped = await train(
      stopJob,
      'webgl',
      (event) => (stopNow ||= event.kind === 'progress' && event.epoch === 2),
      () => stopNow,
    );
    expect(stopped.result.status).toBe('stopped');
    expect(stopped.events.filter((e) => e.kind === 'epoch').length).toBe(1);
    expect((await readCheckpoint(stopJob.outDir))?.state.epoch).toBe(1);

    const killJob = job('run-kill');
    const killed = train(killJob, 'webgpu', (event, events) => {
      // Kill once epoch 2 is checkpointed: during epoch 3's first batches.
      if (event.kind === 'progress' && event.epoch === 3 && events.filter((e) => e.kind === 'progress' && e.epoch === 3).length === 1)
        host.kill();
    });
    await expect(killed).rejects.toMatchObject({ said: { key: 'runs.gpu.ended' } });
    expect((await readCheckpoint(killJob.outDir))?.state.epoch).toBe(2);

    // Chromium is started again on demand; the run resumes on WebGL from its checkpoint.
    const resumed = await train({ ...killJob, resume: true }, 'webgl');
    expect(resumed.result.status).toBe('completed');
    expect(resumed.chosen.info.name).toBe('chromium-webgl');
    expect((resumed.events[0] as Extract<RunEvent, { kind: 'started' }>).resumedFrom).toBe(2);
    const epochs = resumed.events.flatMap((e) => (e.kind === 'epoch' ? [e.metrics.epoch] : []));
    expect(epochs).toEqual([1, 2, 3, 4]);
    host = await sharedHost(launch!, true);
  }, 240_000);

  it('without an adapter, picks WebGL; refused software falls back to the CPU with one line per engine; a failing engine too', async () => {
    const noAdapter = host.probes.map((p) => (p.backend === 'webgpu' ? { ...p, device: null, reason: 'no-adapter' as const } : p));
    const fallback = pickBackend(noAdapter, true);
    expect(fallback.probe?.backend).toBe('webgl');
    expect(fallback.reasons.map((r) => r.key)).toEqual(['runs.gpu.noAdapter']);

    const picked = await chooseEngine(NODE, { force: '', software: true, launch: launch! }, {});
    expect(picked.info.name).toBe('chromium-webgpu');
    const refused = await chooseEngine(NODE, { force: '', software: false, launch: launch! }, {});
    expect(refused.engine).toBeNull();
    expect(refused.info.name).toBe('cpu');
    expect(refused.info.fallbacks).toHaveLength(2);
    expect(refused.info.fallbacks[0]).toMatch(/^Chromium WebGPU: .* is software rendering/);
    expect(refused.info.fallbacks[1]).toMatch(/^Chromium WebGL: .*SwiftShader.* is software rendering/i);
    // Refused: the Chromium is not kept running for nothing.
    await new Promise<void>((resolve) => host.onExit(() => resolve()));
    host = await sharedHost(launch!, true);

    // A Chromium that dies at once: the run goes on Node's backend, with one line saying why.
    await new Promise<void>((resolve) => (host.onExit(() => resolve()), host.kill()));
    const broken: BrowserLauncher = () => ({
      kill: () => undefined,
      onExit: (listener) => void setTimeout(() => listener('exit code 1'), 10),
    });
    const failing = await chooseEngine(NODE, { force: '', software: true, launch: broken }, {});
    expect(failing.engine).toBeNull();
    expect(failing.info.name).toBe('cpu');
    expect(failing.info.fallbacks).toEqual([
      'Chromium engine: it could not start (Chromium ended before the engine page was ready: exit code 1)',
    ]);
    host = await sharedHost(launch!, true);
  }, 60_000);
});
