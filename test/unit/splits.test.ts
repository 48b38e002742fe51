// The split arithmetic on its own: deficits per class, whole-number shares, and re-balancing
// that moves as few images as it can and never a pinned one.
import { describe, expect, it } from 'vitest';
import { apportion, chooseSplit, emptyCounts, rebalance, type SplitMember } from '../../main/core/dataset/splits';
import type { Split } from '../../preload/contract';

const SHARES = { train: 70, validation: 15, test: 15 };

describe('chooseSplit', () => {
  it('fills a class in the order its deficits dictate: 20 images give exactly 14 / 3 / 3', () => {
    const counts = emptyCounts();
    const order: Split[] = [];
    for (let i = 0; i < 20; i++) {
      const split = chooseSplit(counts, SHARES, 1337, `hash-${i}`);
      counts[split]++;
      order.push(split);
    }
    expect(counts).toEqual({ train: 14, validation: 3, test: 3 });
    expect(order.slice(0, 3)).toEqual(['train', 'train', expect.stringMatching(/validation|test/)]);
  });

  it('breaks a tie by the seeded hash, so another seed can choose otherwise', () => {
    const tied = { train: 7, validation: 1, test: 1 }; // the 10th image: validation and test are both 0.5 short
    const picks = new Set(Array.from({ length: 20 }, (_, seed) => chooseSplit(tied, SHARES, seed, 'same-image')));
    expect([...picks].sort()).toEqual(['test', 'validation']);
  });
});

describe('apportion', () => {
  it('gives whole numbers that add up to the total', () => {
    expect(apportion(10, SHARES)).toEqual({ train: 7, validation: 2, test: 1 });
    expect(apportion(3, { train: 0, validation: 0, test: 0 })).toEqual({ train: 3, validation: 0, test: 0 });
    expect(apportion(0, SHARES)).toEqual({ train: 0, validation: 0, test: 0 });
  });
});

describe('rebalance', () => {
  const members = (splits: Split[], pinned: number[] = []): SplitMember[] =>
    splits.map((split, i) => ({ id: i + 1, hash: `h${i}`, split, pinned: pinned.includes(i + 1) }));

  it('moves only the images needed to reach the new shares', () => {
    const ten = members(['train', 'train', 'train', 'train', 'train', 'train', 'train', 'validation', 'validation', 'test']);
    const moves = rebalance(ten, { train: 50, validation: 50, test: 0 }, 1);
    expect(moves.size).toBe(3);
    expect([...moves.values()].sort()).toEqual(['validation', 'validation', 'validation']);
    expect(moves.has(10)).toBe(true);
  });

  it('never moves a pinned image and counts it towards its split', () => {
    const four = members(['test', 'test', 'train', 'train'], [1, 2]);
    const moves = rebalance(four, { train: 50, validation: 50, test: 0 }, 1);
    expect(moves.has(1) || moves.has(2)).toBe(false);
    expect([...moves.values()]).toEqual(['validation']);
  });
});
