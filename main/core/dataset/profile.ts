// The data-set profile Auto plans from: pictures per class and in all, the pictures' own sizes
// (stored at import, so no file is opened for them) and whether they are grey, decided on an
// even sample of a few dozen pictures shrunk to 16 x 16.
import sharp from 'sharp';
import type { DatasetProfile } from '../../../common/model/auto-plan';
import type { Project } from '../projects/project';
import { ImageStore } from './image-store';

/** Pictures opened to tell grey from colour. */
export const GREY_SAMPLE = 32;
/** Channels that differ by at most this (of 255) count as equal (JPEG noise). */
const GREY_TOLERANCE = 3;

/** Value at fraction `q` of sorted `values` (nearest rank); 0 for none. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
}

const spread = (values: number[]) => {
  const sorted = values.sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5), p10: quantile(sorted, 0.1), p90: quantile(sorted, 0.9) };
};

/** Whether a picture's red, green and blue are equal everywhere (one channel stored counts as grey). */
export async function isGrey(path: string): Promise<boolean> {
  const { data, info } = await sharp(path).resize(16, 16, { fit: 'fill' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.channels < 3) return true;
  for (let i = 0; i + 2 < data.length; i += info.channels) {
    if (Math.abs(data[i]! - data[i + 1]!) > GREY_TOLERANCE || Math.abs(data[i + 1]! - data[i + 2]!) > GREY_TOLERANCE) return false;
  }
  return true;
}

/** The profile of a project's labelled pictures. */
export async function profileDataset(project: Project): Promise<DatasetProfile> {
  const classes = project.classes.list().filter((c) => c.imageCount > 0);
  const rows = project.images.labelledSizes();
  const store = new ImageStore(project.dir);
  const step = Math.max(1, Math.floor(rows.length / GREY_SAMPLE));
  const sample = rows.filter((_, i) => i % step === 0).slice(0, GREY_SAMPLE);
  let grey = sample.length > 0;
  for (const row of sample) {
    // An unreadable file says nothing about colour; the trainer reports it.
    if (!(await isGrey(store.imagePath(row.hash, row.ext)).catch(() => true))) {
      grey = false;
      break;
    }
  }
  return {
    total: rows.length,
    train: rows.filter((r) => r.split === 'train').length,
    perClass: classes.map((c) => ({ name: c.name, count: c.imageCount })),
    shortSide: spread(rows.map((r) => Math.min(r.width, r.height))),
    aspect: spread(rows.map((r) => r.width / Math.max(1, r.height))),
    grey,
    sampled: sample.length,
  };
}
