// The summary's parameter counts, written here from Keras's formulas, for every preset and every
// layer kind; and its multiply-add and memory estimates.
import { describe, expect, it } from 'vitest';
import { layer, PRESETS } from '../../common/model/presets';
import type { InputSpec, ModelSpec } from '../../common/model/spec';
import { summarize } from '../../common/model/summary';
import { everyFieldSpec } from '../helpers/specs';

// Keras's formulas.
const conv2d = (kh: number, kw: number, cin: number, filters: number) => (kh * kw * cin + 1) * filters;
const separable = (kh: number, kw: number, cin: number, filters: number, dm = 1) => kh * kw * cin * dm + cin * dm * filters + filters;
const depthwise = (kh: number, kw: number, cin: number, dm = 1) => (kh * kw + 1) * cin * dm;
const batchNorm = (c: number) => 4 * c;
const layerNorm = (c: number) => 2 * c;
const dense = (inputs: number, units: number) => (inputs + 1) * units;

const rgb64: InputSpec = { width: 64, height: 64, channels: 3, resize: 'squash' };
const preset = (id: string) => PRESETS.find((p) => p.id === id)!;

describe('preset summaries against Keras formulas', () => {
  it('Small CNN at 64x64x3', () => {
    const s = summarize(preset('small-cnn').build(rgb64), 3);
    // 64 -conv3-> 62 -pool-> 31 -conv3-> 29 -pool-> 14; Dense units = min(128, max(32, round(64 * 1.5))) = 96
    expect(s.rows.map((r) => r.params)).toEqual([
      conv2d(3, 3, 3, 16),
      0,
      conv2d(3, 3, 16, 32),
      0,
      0,
      dense(14 * 14 * 32, 96),
      dense(96, 3),
    ]);
    expect(s.rows.map((r) => r.outputShape)).toEqual([[62, 62, 16], [31, 31, 16], [29, 29, 32], [14, 14, 32], [6272], [96], [3]]);
    expect(s.rows.map((r) => r.name)).toEqual(['conv2d', 'max_pooling2d', 'conv2d_1', 'max_pooling2d_1', 'flatten', 'dense', 'dense_1']);
    expect(s.nonTrainableParams).toBe(0);
  });

  it('Deeper CNN at 64x64x3: four blocks with BatchNormalization (half of its weights frozen)', () => {
    const s = summarize(preset('deeper-cnn').build(rgb64), 5);
    const filters = [32, 64, 128, 256];
    const expected = filters.flatMap((f, b) => [conv2d(3, 3, b === 0 ? 3 : filters[b - 1]!, f), batchNorm(f), 0, 0]);
    expected.push(0, dense(256, 128), 0, dense(128, 5));
    expect(s.rows.map((r) => r.params)).toEqual(expected);
    expect(s.totalParams).toBe(expected.reduce((a, b) => a + b));
    expect(s.nonTrainableParams).toBe(filters.reduce((sum, f) => sum + 2 * f, 0));
    expect(s.trainableParams).toBe(s.totalParams - s.nonTrainableParams);
    expect(s.rows[15]!.outputShape).toEqual([4, 4, 256]); // 64 halved four times
  });

  it('MLP at 28x28x1', () => {
    const s = summarize(preset('mlp').build({ width: 28, height: 28, channels: 1, resize: 'squash' }), 10);
    expect(s.totalParams).toBe(dense(784, 128) + dense(128, 64) + dense(64, 10));
  });

  it('every preset fits every input from 1x1 to 256x256 without an issue', () => {
    for (const p of PRESETS.filter((p) => p.id !== 'transfer')) {
      for (const size of [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 33, 100, 256]) {
        for (const [width, height] of [
          [size, size],
          [size, Math.max(1, Math.round(size / 2))],
        ] as const) {
          const spec = p.build({ width, height, channels: 3, resize: 'squash' });
          expect(summarize(spec, 2).issues, `${p.id} ${width}x${height}`).toEqual([]);
        }
      }
    }
  });
});

describe('every layer kind against Keras formulas', () => {
  it('counts the spec that uses every layer kind', () => {
    const spec: ModelSpec = everyFieldSpec();
    const s = summarize(spec, 3);
    expect(s.issues).toEqual([]);
    // 32x40x1 -rescale-> -pad(2,1)-> 36x42x1 -conv 5x3 s(1,2) same-> 36x21x8 -bn- -act-
    // -sepconv 3 valid dm2-> 34x19x12 -maxpool (2,3) s(2,1) same-> 17x19x12
    // -depthwise 3 s2 same dm3-> 9x10x36 -spatialdropout- -avgpool 2 s1 valid-> 8x9x36 -layernorm-
    // (GlobalMaxPooling2D disabled) -gap-> 36 -flatten-> 36 -dense-> 24 -dropout- -output-> 3
    expect(s.rows.map((r) => [r.type, r.outputShape, r.params])).toEqual([
      ['Rescaling', [32, 40, 1], 0],
      ['ZeroPadding2D', [36, 42, 1], 0],
      ['Conv2D', [36, 21, 8], conv2d(5, 3, 1, 8)],
      ['BatchNormalization', [36, 21, 8], batchNorm(8)],
      ['Activation', [36, 21, 8], 0],
      ['SeparableConv2D', [34, 19, 12], separable(3, 3, 8, 12, 2)],
      ['MaxPooling2D', [17, 19, 12], 0],
      ['DepthwiseConv2D', [9, 10, 36], depthwise(3, 3, 12, 3)],
      ['SpatialDropout2D', [9, 10, 36], 0],
      ['AveragePooling2D', [8, 9, 36], 0],
      ['LayerNormalization', [8, 9, 36], layerNorm(36)],
      ['GlobalAveragePooling2D', [36], 0],
      ['Flatten', [36], 0],
      ['Dense', [24], dense(36, 24)],
      ['Dropout', [24], 0],
      ['Dense', [3], dense(24, 3)],
    ]);
    expect(s.nonTrainableParams).toBe(2 * 8);
  });

  it("counts GlobalMaxPooling2D and the brief's separable formula with depth multiplier 1", () => {
    const spec = { ...everyFieldSpec(), input: { width: 10, height: 10, channels: 3 as const, resize: 'squash' as const } };
    spec.layers = [layer({ type: 'SeparableConv2D', filters: 7, kernel_size: 3 }), layer({ type: 'GlobalMaxPooling2D' })];
    const s = summarize(spec, 2);
    expect(s.rows.map((r) => r.params)).toEqual([3 * 3 * 3 + 3 * 7 + 7, 0, dense(7, 2)]);
  });

  it('estimates multiply-adds per image and memory', () => {
    const spec = { ...everyFieldSpec(), input: { width: 8, height: 8, channels: 1 as const, resize: 'squash' as const } };
    spec.layers = [layer({ type: 'Conv2D', filters: 4, kernel_size: 3 }), layer({ type: 'Flatten' })];
    const s = summarize(spec, 2);
    // Conv2D: 6x6 outputs x 3x3 taps x 1 channel x 4 filters; Dense: 144 inputs x 2 units.
    expect(s.multiplyAdds).toBe(6 * 6 * 3 * 3 * 1 * 4 + 144 * 2);
    expect(s.weightBytes).toBe(4 * (conv2d(3, 3, 1, 4) + dense(144, 2)));
    // input 64 values, conv 144, flatten 144, output 2
    expect(s.activationBytesPerImage).toBe(4 * (64 + 144 + 144 + 2));
  });
});
