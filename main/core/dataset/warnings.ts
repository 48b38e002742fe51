// Warnings the dataset screen shows before training: classes too small to learn, classes no
// validation image can check, and strong imbalance. Each is a sentence saying what to do.
import type { ClassInfo, Said } from '../../../preload/contract';
import { said } from '../../../common/messages/said';

/** Fewer labelled images than this in a class draws a warning. */
export const MIN_IMAGES_PER_CLASS = 10;
/** Largest class over smallest above this ratio draws a warning. */
export const MAX_IMBALANCE = 3;

/** The warnings for a project's classes, in class order, the imbalance last. */
export function datasetWarnings(classes: readonly ClassInfo[]): Said[] {
  const warnings: Said[] = [];
  for (const c of classes) {
    if (c.imageCount < MIN_IMAGES_PER_CLASS) {
      warnings.push(said('data.warnings.tooFew', { name: c.name, count: c.imageCount, missing: MIN_IMAGES_PER_CLASS - c.imageCount }));
    } else if (c.splitCounts.validation === 0) {
      warnings.push(said('data.warnings.noValidation', { name: c.name }));
    }
  }
  const sized = classes.filter((c) => c.imageCount > 0);
  if (sized.length >= 2) {
    const largest = sized.reduce((a, b) => (b.imageCount > a.imageCount ? b : a));
    const smallest = sized.reduce((a, b) => (b.imageCount < a.imageCount ? b : a));
    if (largest.imageCount > MAX_IMBALANCE * smallest.imageCount) {
      warnings.push(
        said('data.warnings.unbalanced', {
          largest: largest.name,
          count: largest.imageCount,
          smallest: smallest.name,
          smallestCount: smallest.imageCount,
        }),
      );
    }
  }
  return warnings;
}
