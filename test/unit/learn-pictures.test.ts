// The numbers behind the model diagram and the "Learn more" pictures: block sizes on log scales,
// one block per summary row with its Keras line, activation functions as Keras defines them, a
// 3x3 kernel on an edge, max pooling and the learning-rate curves.
import { describe, expect, it } from 'vitest';
import { presetById } from '../../common/model/presets';
import { summarize } from '../../common/model/summary';
import {
  activation,
  convolve,
  EDGE_KERNEL,
  EDGE_PICTURE,
  lossCurve,
  maxPool2x2,
  POOL_INPUT,
  softmax,
} from '../../renderer/src/lib/learn-pictures';
import { blockSize, diagramBlocks } from '../../renderer/src/lib/network-diagram';

describe('the model diagram', () => {
  it('makes a large picture tall and a vector short, many channels wide and few narrow, within bounds', () => {
    const picture = blockSize([224, 224, 3]);
    const dense = blockSize([10]);
    expect(picture.height).toBeGreaterThan(dense.height);
    expect(blockSize([7, 7, 512]).width).toBeGreaterThan(picture.width);
    expect(picture.height).toBeLessThan(140);
    expect(blockSize([1280]).width).toBeLessThan(100);
  });

  it('has the input, then one block per summary row with its Keras line, the output last', () => {
    const spec = presetById('small-cnn')!.build({ width: 32, height: 32, channels: 3, resize: 'squash' }, {});
    const summary = summarize(spec, 3);
    const blocks = diagramBlocks(spec, summary);
    expect(blocks.map((b) => b.type)).toEqual(['Input', ...summary.rows.map((r) => r.type)]);
    expect(blocks[0]).toMatchObject({ shape: [32, 32, 3], code: 'keras.Input(shape=(32, 32, 3))' });
    expect(blocks[1]!.code).toMatch(/^layers\.Conv2D\(/);
    expect(blocks.at(-1)).toMatchObject({ shape: [3], code: 'layers.Dense(NUM_CLASSES, activation="softmax")' });
  });
});

describe('the Learn more pictures', () => {
  it('compute the activation functions as Keras does', () => {
    expect([activation('relu', -2), activation('relu', 3)]).toEqual([0, 3]);
    expect(activation('leaky_relu', -2)).toBeCloseTo(-0.4);
    expect(activation('sigmoid', 0)).toBe(0.5);
    expect(activation('elu', -50)).toBeCloseTo(-1);
    expect(activation('selu', 1)).toBeCloseTo(1.0507, 4);
    expect(activation('swish', 2)).toBeCloseTo(2 / (1 + Math.exp(-2)));
    expect(activation('gelu', 1)).toBeCloseTo(0.8412, 3);
    const p = softmax([2, 1, 0.1]);
    expect(p.reduce((a, b) => a + b)).toBeCloseTo(1);
    expect(p[0]).toBeCloseTo(0.659, 3);
  });

  it('show the edge kernel answering along the edge only', () => {
    // Columns: dark, dark, bright, bright, bright; a window over the edge sums to 3, one over flat bright to 0.
    expect(convolve(EDGE_PICTURE, EDGE_KERNEL)).toEqual([
      [3, 3, 0],
      [3, 3, 0],
      [3, 3, 0],
    ]);
  });

  it('keep the largest value of each 2x2 window when pooling', () => {
    expect(maxPool2x2(POOL_INPUT)).toEqual([
      [4, 2],
      [2, 5],
    ]);
  });

  it('draw a small rate falling slowly, a good one fast and a big one growing', () => {
    const [small, good, big] = [lossCurve(0.02), lossCurve(0.3), lossCurve(1.05)];
    expect(small.at(-1)!).toBeGreaterThan(0.3);
    expect(good.at(-1)!).toBeLessThan(1e-6);
    expect(big.at(-1)!).toBeGreaterThan(big[0]!);
  });
});
