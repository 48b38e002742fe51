// Warnings the dataset screen shows before training: classes too small to learn, classes no
// validation image can check, and strong imbalance. Each is a sentence saying what to do.
import type { ClassInfo } from '../../preload/contract';

/** Fewer labelled images than this in a class draws a warning. */
export const MIN_IMAGES_PER_CLASS = 10;
/** Largest class over smallest above this ratio draws a warning. */
export const MAX_IMBALANCE = 3;

export const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

export function datasetWarnings(classes: readonly ClassInfo[]): string[] {
  const warnings: string[] = [];
  for (const c of classes) {
    if (c.imageCount < MIN_IMAGES_PER_CLASS) {
      warnings.push(`"${c.name}" has only ${plural(c.imageCount, 'picture')}; add at least ${MIN_IMAGES_PER_CLASS - c.imageCount} more so the model can learn it.`);
    } else if (c.splitCounts.validation === 0) {
      warnings.push(`"${c.name}" has no picture in validation, so its accuracy cannot be checked; add pictures or lower the train share.`);
    }
  }
  const sized = classes.filter((c) => c.imageCount > 0);
  if (sized.length >= 2) {
    const largest = sized.reduce((a, b) => (b.imageCount > a.imageCount ? b : a));
    const smallest = sized.reduce((a, b) => (b.imageCount < a.imageCount ? b : a));
    if (largest.imageCount > MAX_IMBALANCE * smallest.imageCount) {
      warnings.push(
        `The classes are unbalanced: "${largest.name}" has ${plural(largest.imageCount, 'picture')} but "${smallest.name}" only ${smallest.imageCount}; add pictures to the smaller classes so the model does not just guess the largest.`,
      );
    }
  }
  return warnings;
}
