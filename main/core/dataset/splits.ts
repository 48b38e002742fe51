// Train / validation / test splits: stratified by class, seeded, and stable. A new image goes
// to the split furthest below its target share within its class, so existing images never
// move when images are added; only changing the shares re-balances (unpinned images only).
import { createHash } from 'node:crypto';
import type { Split } from '../../../preload/contract';

export const SPLITS: readonly Split[] = ['train', 'validation', 'test'];

/** Percentages a new project starts with. */
export const DEFAULT_SHARES: Readonly<Record<Split, number>> = { train: 70, validation: 15, test: 15 };

/** A number in [0, 1) from the seed and the image hash: the order images are taken in, and ties. */
export function seededRank(seed: number, hash: string, salt = ''): number {
  return createHash('sha256').update(`${seed}:${hash}:${salt}`).digest().readUInt32BE(0) / 2 ** 32;
}

export const emptyCounts = (): Record<Split, number> => ({ train: 0, validation: 0, test: 0 });

/** The split for one more image of a class that already has `counts`. */
export function chooseSplit(
  counts: Readonly<Record<Split, number>>,
  shares: Readonly<Record<Split, number>>,
  seed: number,
  hash: string,
): Split {
  const total = counts.train + counts.validation + counts.test + 1;
  let best: Split = 'train';
  let bestDeficit = -Infinity;
  let bestTie = -1;
  for (const split of SPLITS) {
    const deficit = (shares[split] / 100) * total - counts[split];
    const tie = seededRank(seed, hash, split);
    if (deficit > bestDeficit + 1e-9 || (Math.abs(deficit - bestDeficit) <= 1e-9 && tie > bestTie)) {
      best = split;
      bestDeficit = deficit;
      bestTie = tie;
    }
  }
  return best;
}

/** Splits `total` into whole numbers proportional to `weights` (largest remainder, ties in split order). */
export function apportion(total: number, weights: Readonly<Record<Split, number>>): Record<Split, number> {
  const sum = SPLITS.reduce((s, k) => s + weights[k], 0);
  const result = emptyCounts();
  if (total <= 0) return result;
  const exact = SPLITS.map((k) => (sum > 0 ? (weights[k] / sum) * total : k === 'train' ? total : 0));
  SPLITS.forEach((k, i) => (result[k] = Math.floor(exact[i]!)));
  let left = total - SPLITS.reduce((s, k) => s + result[k], 0);
  const order = SPLITS.map((k, i) => ({ k, r: exact[i]! - result[k] })).sort((a, b) => b.r - a.r);
  for (const { k } of order) {
    if (left-- <= 0) break;
    result[k] += 1;
  }
  return result;
}

/** One image of a class as re-balancing sees it. */
export interface SplitMember {
  /** Image id. */
  id: number;
  /** Content hash: with the seed, the order images are taken in. */
  hash: string;
  /** Where it is now. */
  split: Split;
  /** Pinned images never move. */
  pinned: boolean;
}

/**
 * New splits for the unpinned images of one class so that the class matches `shares` as closely
 * as pinned images allow, moving as few images as possible. Returns only the images that move.
 */
export function rebalance(members: readonly SplitMember[], shares: Readonly<Record<Split, number>>, seed: number): Map<number, Split> {
  const targets = apportion(members.length, shares);
  const pinned = emptyCounts();
  const free = members.filter((m) => !m.pinned || (pinned[m.split]++, false));
  const wanted = emptyCounts();
  for (const k of SPLITS) wanted[k] = Math.max(0, targets[k] - pinned[k]);
  const quotas = apportion(free.length, SPLITS.some((k) => wanted[k] > 0) ? wanted : shares);
  const ranked = [...free].sort((a, b) => seededRank(seed, a.hash) - seededRank(seed, b.hash));
  const kept = emptyCounts();
  const overflow: SplitMember[] = [];
  for (const member of ranked) {
    if (kept[member.split] < quotas[member.split]) kept[member.split]++;
    else overflow.push(member);
  }
  const moves = new Map<number, Split>();
  for (const k of SPLITS) {
    while (kept[k] < quotas[k]) {
      moves.set(overflow.shift()!.id, k);
      kept[k]++;
    }
  }
  return moves;
}
