// Looking inside a trained model through the real service and training process: every layer's
// output for one picture (shapes as the summary computes them, values as a sub-model of the saved
// model computes them in this process), the per-epoch filter images of the first convolution,
// and the errors a person can meet.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_FILTERS,
  MAX_MAP_CHANNELS,
  type FilterImages,
  type ActivationsView,
  type ProjectSummary,
  type RunInfo,
} from '../../preload/contract';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import type { CapaService } from '../../main/core/service/service-types';
import { imageToPixels } from '../../main/core/dataset/preprocess';
import { summarize } from '../../common/model/summary';
import { loadModel } from '../../main/trainer/model-files';
import { trainColourProject, writeColourDataset } from '../helpers/colours';
import { removeTempDirs, tempDir } from '../helpers/temp';
import { projectPaths } from '../../main/core/projects/project-paths';

let service: CapaService;
let project: ProjectSummary;
let run: RunInfo;
let root: string;
let dataDir: string;
const filterEvents: { epoch: number; filters: FilterImages }[] = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
  dataDir = tempDir();
  service = createCapaService({ dataDir, host: 'browser' });
  service.onRunEvent((event) => {
    if (event.kind === 'filters') filterEvents.push({ epoch: event.epoch, filters: event.filters });
  });
  root = await writeColourDataset(join(tempDir(), 'colours'), 12);
  ({ project, run } = await trainColourProject(service, 'Inside', root, 3));
}, 240_000);

afterAll(async () => {
  await service.close();
  removeTempDirs();
});

describe('the activations of a picture', () => {
  let view: ActivationsView;
  beforeAll(async () => {
    view = await callOrThrow(service, 'activations', {
      projectId: project.id,
      runId: run.id,
      image: { bytes: readFileSync(join(root, 'red', 'red-0.png')) },
    });
  });

  it('lists every layer with the output shape the summary computes, maps for images and a vector for Dense', () => {
    const rows = summarize(run.spec, run.classNames.length).rows;
    expect(view.layers.map((l) => [l.name, l.type, l.shape])).toEqual(rows.map((r) => [r.name, r.type, r.outputShape]));
    expect(view.backbone).toBeNull();
    expect(view.classNames).toEqual(run.classNames);
    for (const layer of view.layers) {
      if (layer.kind === 'maps') {
        const [height, width, channels] = layer.shape as [number, number, number];
        expect([layer.height, layer.width, layer.step]).toEqual([height, width, 1]);
        expect(layer.maps).toHaveLength(Math.min(channels, MAX_MAP_CHANNELS));
        for (const map of layer.maps) expect(map).toHaveLength(height * width);
      } else {
        expect(layer.shape).toHaveLength(1);
        expect(layer.values).toHaveLength(Math.min(layer.shape[0]!, 64));
      }
    }
    expect(view.layers.some((l) => l.kind === 'maps' && l.type === 'Conv2D')).toBe(true);
    const output = view.layers.at(-1)!;
    expect(output.kind === 'vector' && output.values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  });

  it('gives the values a sub-model of the saved model predicts for each layer', async () => {
    const model = await loadModel(tf, projectPaths(join(dataDir, project.id)).weights(run.id, 'best'));
    const x = tf.tensor4d(await imageToPixels(join(root, 'red', 'red-0.png'), run.spec.input), [1, 16, 16, 3]);
    const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
    expect(layers).toHaveLength(view.layers.length);
    for (const [i, layer] of layers.entries()) {
      const expected = (tf.model({ inputs: model.inputs, outputs: layer.output as tf.SymbolicTensor }).predict(x) as tf.Tensor).dataSync();
      const got = view.layers[i]!;
      if (got.kind === 'vector') got.values.forEach((v, k) => expect(v).toBeCloseTo(expected[k]!, 3));
      else {
        const channels = got.shape[2]!;
        got.maps.forEach((map, c) => map.forEach((v, p) => expect(v).toBeCloseTo(expected[p * channels + c]!, 3)));
      }
    }
  });

  it('takes one of the project pictures by id, and refuses an unreadable picture with what to do', async () => {
    const images = await callOrThrow(service, 'listImages', { projectId: project.id, offset: 0, limit: 1 });
    const byId = await callOrThrow(service, 'activations', {
      projectId: project.id,
      runId: run.id,
      image: { imageId: images.images[0]!.id },
    });
    expect(byId.layers.map((l) => l.shape)).toEqual(view.layers.map((l) => l.shape));
    const broken = await service.call('activations', {
      projectId: project.id,
      runId: run.id,
      image: { bytes: new Uint8Array([137, 80, 78, 71, 1, 2, 3]) },
    });
    expect(broken).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    if (!broken.ok) expect(broken.error.message).toMatch(/JPEG, PNG/);
    const missing = await service.call('activations', { projectId: project.id, runId: run.id, image: { imageId: 999_999 } });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});

describe('the filters event', () => {
  it('comes before training and after every epoch, with the first convolution kernel as 0..255 images', () => {
    expect(filterEvents.map((e) => e.epoch)).toEqual([0, 1, 2, 3]);
    const conv = run.spec.layers.find((l) => l.type === 'Conv2D' && l.enabled);
    if (conv?.type !== 'Conv2D') throw new Error('the Small CNN has a Conv2D layer');
    const size = Array.isArray(conv.kernel_size) ? conv.kernel_size : [conv.kernel_size, conv.kernel_size];
    for (const { filters } of filterEvents) {
      expect(filters).toMatchObject({
        total: conv.filters,
        count: Math.min(conv.filters, MAX_FILTERS),
        height: size[0],
        width: size[1],
        channels: 3,
      });
      expect(filters.values).toHaveLength(filters.count * filters.height * filters.width * 3);
      const per = filters.height * filters.width * 3;
      for (let f = 0; f < filters.count; f++) {
        const one = filters.values.slice(f * per, (f + 1) * per);
        expect(one.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)).toBe(true);
        expect([Math.min(...one), Math.max(...one)]).toEqual([0, 255]); // each filter is stretched to the full range
      }
    }
    // Training changed the kernel: the pictures of the first and last epoch differ.
    expect(filterEvents.at(-1)!.filters.values).not.toEqual(filterEvents[0]!.filters.values);
  });
});
