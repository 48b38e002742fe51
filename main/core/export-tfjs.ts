// TensorFlow.js layers export: the run's best weights as model.json + weight files, and a
// metadata.json naming the classes and the exact preprocessing. Written under a temporary
// name and renamed when complete, so a failed export leaves nothing half-written.
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExportResult, RunInfo } from '../../preload/contract';
import { CapaError } from './errors';
import { PIXEL_NORMALIZATION } from './preprocess';

/** What metadata.json holds, for anyone loading the model elsewhere. */
export interface ExportMetadata {
  format: 'capa-tfjs-layers';
  /** Class names in the order of the model's outputs. */
  classNames: string[];
  input: { width: number; height: number; channels: number; resize: string; layout: 'NHWC' };
  /** Model input = pixel value (0..255) * scale + offset, as in training. */
  normalization: { scale: number; offset: number };
  capaVersion: string;
  runId: string;
  exportedAt: string;
}

export async function exportTfjs(run: RunInfo, runFolder: string, destination: string, capaVersion: string): Promise<ExportResult> {
  const best = join(runFolder, 'best');
  if (!existsSync(join(best, 'model.json'))) {
    throw new CapaError('not-found', `Run ${run.id} has no saved weights (status: ${run.status}); train it until at least one epoch finishes.`);
  }
  const metadata: ExportMetadata = {
    format: 'capa-tfjs-layers',
    classNames: run.classNames,
    input: { width: run.spec.input.width, height: run.spec.input.height, channels: run.spec.input.channels, resize: run.spec.input.resize, layout: 'NHWC' },
    normalization: PIXEL_NORMALIZATION,
    capaVersion,
    runId: run.id,
    exportedAt: new Date().toISOString(),
  };
  const temporary = `${destination}.partial-${process.pid}`;
  await rm(temporary, { recursive: true, force: true });
  await mkdir(temporary, { recursive: true });
  try {
    await cp(best, temporary, { recursive: true });
    await writeFile(join(temporary, 'metadata.json'), JSON.stringify(metadata, null, 2));
    await rm(destination, { recursive: true, force: true });
    await rename(temporary, destination);
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error;
  }
  return { directory: destination, files: (await readdir(destination)).sort() };
}
