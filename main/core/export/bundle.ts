// The training bundle: the data set in folder-per-class form (data/<split>/<class>/), the spec,
// and train.py, which rebuilds and trains the same network with Keras under tf.distribute, for
// a person who outgrows one machine.
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { ModelSpec } from '../../../common/model/spec';
import { trainScript } from '../../../common/model/keras-code';

/** One image of the bundle: its stored file, class name and split. */
export interface BundleImage {
  /** The stored image file. */
  path: string;
  /** Its class, by name. */
  className: string;
  /** The split it belongs to; the bundle keeps Capa's split. */
  split: 'train' | 'validation' | 'test';
}

/** A folder name a file system accepts on every platform, kept readable. */
export const safeFolderName = (name: string): string => name.replace(/[<>:"/\\|?*\u0000-\u001f]/g, '_').replace(/^\.+$/, '_') || '_';

/** Writes the bundle's files into `dir`; `signal` stops it between images. */
export async function writeBundle(
  spec: ModelSpec,
  classNames: readonly string[],
  images: readonly BundleImage[],
  dir: string,
  signal?: AbortSignal,
): Promise<string[]> {
  const counters = new Map<string, number>();
  for (const image of images) {
    signal?.throwIfAborted();
    const folder = join(dir, 'data', image.split, safeFolderName(image.className));
    const n = (counters.get(folder) ?? 0) + 1;
    if (n === 1) await mkdir(folder, { recursive: true });
    counters.set(folder, n);
    await copyFile(image.path, join(folder, `${String(n).padStart(6, '0')}${extname(image.path)}`));
  }
  await writeFile(join(dir, 'spec.json'), JSON.stringify(spec, null, 2));
  await writeFile(join(dir, 'classes.json'), JSON.stringify(classNames.map(safeFolderName)));
  await writeFile(join(dir, 'train.py'), trainScript(spec, classNames));
  return ['classes.json', 'data', 'spec.json', 'train.py'];
}
