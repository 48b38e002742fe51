// metadata.json, written beside every export: what someone loading the model elsewhere needs
// to feed it the same numbers training did, and to name its outputs.
import type { ExportFormat, ExportWeights, RunInfo } from '../../../preload/contract';
import { PIXEL_NORMALIZATION, type Normalization } from '../dataset/preprocess';
import { CAPA_VERSION } from '../service/version';

/** What metadata.json holds. */
export interface ExportMetadata {
  /** Which Capa export wrote it. */
  format: ExportFormat;
  /** Class names in the order of the model's outputs. */
  classNames: string[];
  /** Image size, colour mode (1 grayscale, 3 RGB), resize mode (squash, crop, pad) and tensor layout. */
  input: { width: number; height: number; channels: number; resize: string; layout: 'NHWC' };
  /** Model input = pixel value (0..255) * scale + offset, as in training. */
  normalization: Normalization;
  /** Version of the Capa that wrote the export. */
  capaVersion: string;
  /** The training run whose weights these are. */
  runId: string;
  /** Which of the run's weights were exported. */
  weights: ExportWeights;
  /** ISO 8601 time of the export. */
  exportedAt: string;
}

export function exportMetadata(run: RunInfo, format: ExportFormat, weights: ExportWeights): ExportMetadata {
  const { width, height, channels, resize } = run.spec.input;
  return {
    format,
    classNames: run.classNames,
    input: { width, height, channels, resize, layout: 'NHWC' },
    normalization: PIXEL_NORMALIZATION,
    capaVersion: CAPA_VERSION,
    runId: run.id,
    weights,
    exportedAt: new Date().toISOString(),
  };
}
