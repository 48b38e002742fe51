// Exports a run's saved model in one format: checks the format can express every layer, writes
// into a temporary folder beside the destination, and renames it into place only when complete,
// so a failed or cancelled export leaves nothing under its final name.
import { existsSync } from 'node:fs';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  ExportChoices,
  ExportFormat,
  ExportFormatInfo,
  ExportQuantization,
  ExportWeights,
  ModelExportResult,
  RunInfo,
  Said,
} from '../../../preload/contract';
import { kerasApplicationOf } from '../../../common/backbones/catalogue';
import { CapaError } from '../../../common/messages/errors';
import { nested, said } from '../../../common/messages/said';
import type { BackboneSpec, ModelSpec } from '../../../common/model/spec';
import { writeBundle, type BundleImage } from './bundle';
import { KERAS_LAYERS } from './keras-config';
import { writeH5, writeKeras } from './keras';
import { exportMetadata } from './metadata';
import { onnxCannotExpress, writeOnnx } from './onnx';
import { readSavedModel, type SavedLayer, type SavedModel, type Why } from './saved-model';
import { usageSnippets } from './snippets';
import { writeTfjs } from './tfjs';
import { writeFolderAtomically } from '../files/atomic';
import { runFolderPaths } from '../projects/project-paths';
import { TFLITE_FILE, tfliteCannotExpress, writeTflite } from './tflite';

type Catalogue = Omit<ExportFormatInfo, 'available' | 'reason'>;

/** The formats, in the order the dialog lists them. */
export const FORMAT_CATALOGUE: readonly Catalogue[] = [
  {
    format: 'tfjs',
    title: said('model.export.formats.tfjs.title'),
    purpose: said('model.export.formats.tfjs.purpose'),
    files: ['model.json', 'group1-shard1of1.bin'],
    quantizable: true,
  },
  {
    format: 'keras',
    title: said('model.export.formats.keras.title'),
    purpose: said('model.export.formats.keras.purpose'),
    files: ['model.keras'],
    quantizable: false,
  },
  {
    format: 'h5',
    title: said('model.export.formats.h5.title'),
    purpose: said('model.export.formats.h5.purpose'),
    files: ['model.h5'],
    quantizable: false,
  },
  {
    format: 'onnx',
    title: said('model.export.formats.onnx.title'),
    purpose: said('model.export.formats.onnx.purpose'),
    files: ['model.onnx'],
    quantizable: false,
  },
  {
    format: 'tflite',
    title: said('model.export.formats.tflite.title'),
    purpose: said('model.export.formats.tflite.purpose'),
    files: ['model.tflite'],
    quantizable: false,
  },
  {
    format: 'tflite-int8',
    title: said('model.export.formats.tfliteInt8.title'),
    purpose: said('model.export.formats.tfliteInt8.purpose'),
    files: ['model.tflite'],
    quantizable: false,
  },
  {
    format: 'bundle',
    title: said('model.export.formats.bundle.title'),
    purpose: said('model.export.formats.bundle.purpose'),
    files: ['data/', 'spec.json', 'train.py'],
    quantizable: false,
  },
];

/** Why `format` cannot write `layer`, or null when it can. */
function cannotExpress(format: ExportFormat, layer: SavedLayer): Why | null {
  // Nested Sequential models are inlined on reading; one left whole has branches (residual connections).
  if (Array.isArray(layer.config['layers']) && (format === 'keras' || format === 'h5')) {
    return said('model.export.branches');
  }
  switch (format) {
    case 'tfjs':
    case 'bundle':
      return null; // the saved model is a TensorFlow.js model; the bundle retrains from the spec
    case 'keras':
    case 'h5':
      return KERAS_LAYERS.has(layer.className) ? null : said('model.export.noKeras', { className: layer.className });
    case 'onnx':
      return onnxCannotExpress(layer);
    case 'tflite':
    case 'tflite-int8':
      return tfliteCannotExpress(layer);
  }
}

/** Why `format` cannot write a run whose spec has a pretrained backbone, or null. */
function backboneBlocks(format: ExportFormat, backbone: BackboneSpec): Said | null {
  if (format === 'bundle') {
    return kerasApplicationOf(backbone.id) ? null : said('model.export.bundleBackbone', { id: backbone.id });
  }
  // Capa keeps the pretrained network apart (often a TensorFlow.js graph model) and saves only the head.
  return said('model.export.backboneApart', { id: backbone.id });
}

/** Every format with whether this model can be written in it, and why not. */
export function formatChoices(model: SavedModel, spec: ModelSpec): ExportFormatInfo[] {
  return FORMAT_CATALOGUE.map((entry) => {
    // A fine-tuned run saves the whole model (pretrained network included): its layers decide, except for the bundle.
    const wholeModel = (spec.backbone?.trainable_blocks ?? 0) > 0 && entry.format !== 'bundle';
    if (spec.backbone && !wholeModel) {
      const why = backboneBlocks(entry.format, spec.backbone);
      return { ...entry, available: why === null, reason: why };
    }
    const blocked = model.layers
      .map((layer) => ({ layer, why: cannotExpress(entry.format, layer) }))
      .find((b): b is { layer: SavedLayer; why: Why } => b.why !== null);
    // The sentence names the layer and says the reason inside itself ($t of the reason's key, with its values).
    const reason = blocked
      ? said('model.export.layerCannot', { layer: blocked.layer.name, layerClass: blocked.layer.className, why: nested(blocked.why) })
      : null;
    return { ...entry, available: !blocked, reason };
  });
}

/** The run folder's saved weights for `weights` ("best" or "last"). */
export const weightsDir = (runFolder: string, weights: ExportWeights): string => runFolderPaths(runFolder).weights(weights);

/** The formats and weights a run offers. */
export async function exportChoices(run: RunInfo, runFolder: string): Promise<ExportChoices> {
  const weights = (['best', 'last'] as const).filter((w) => existsSync(join(weightsDir(runFolder, w), 'model.json')));
  if (weights.length === 0) throw new CapaError('not-found', said('model.export.noWeights'));
  return { formats: formatChoices(await readSavedModel(weightsDir(runFolder, weights[0]!)), run.spec), weights };
}

/** What an export needs besides the run. */
export interface ExportJob {
  /** The finished run to export. */
  run: RunInfo;
  /** The run's folder (holding best/ and last/). */
  runFolder: string;
  /** The format to write. */
  format: ExportFormat;
  /** Which of the run's saved weights. */
  weights: ExportWeights;
  /** TensorFlow.js only: how its weights are stored. */
  quantization: ExportQuantization;
  /** Folder in which the export's own folder is created. */
  parent: string;
  /** The project's labelled images (the training bundle copies them). */
  images: () => BundleImage[];
  /** Accuracy on held-out images of a TensorFlow.js model folder or a .tflite file, or null when there are none. */
  evaluate: (model: string) => Promise<{ images: number; accuracy: number } | null>;
  /** Aborting stops the export and removes what it wrote. */
  signal?: AbortSignal;
}

/** Name of the export's folder: run, format, and the options that change its content. */
export function exportFolderName(job: Pick<ExportJob, 'run' | 'format' | 'weights' | 'quantization'>): string {
  const parts = ['capa', job.run.id.slice(0, 8), job.format];
  if (job.weights === 'last') parts.push('last');
  if (job.quantization !== 'none') parts.push(job.quantization);
  return parts.join('-');
}

/** Held-out accuracy of the run's own weights and of the quantised export at `exported`. */
async function accuracyChange(job: ExportJob, exported: string): Promise<ModelExportResult['accuracy']> {
  const before = await job.evaluate(weightsDir(job.runFolder, job.weights));
  job.signal?.throwIfAborted();
  const after = await job.evaluate(exported);
  return before && after ? { images: before.images, original: before.accuracy, exported: after.accuracy } : null;
}

async function writeFormat(job: ExportJob, model: SavedModel, dir: string): Promise<ModelExportResult['accuracy']> {
  switch (job.format) {
    case 'tfjs':
      await writeTfjs(model, dir, job.quantization);
      return job.quantization === 'none' ? null : accuracyChange(job, dir);
    case 'tflite':
      await writeTflite(model, dir, 'float32');
      return null;
    case 'tflite-int8':
      await writeTflite(model, dir, 'int8');
      return accuracyChange(job, join(dir, TFLITE_FILE));
    case 'keras':
      await writeKeras(model, dir);
      return null;
    case 'h5':
      await writeH5(model, dir);
      return null;
    case 'onnx':
      await writeOnnx(model, dir, job.run.classNames.length);
      return null;
    case 'bundle':
      await writeBundle(job.run.spec, job.run.classNames, job.images(), dir, job.signal);
      return null;
  }
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

/** Writes one export and returns where it went. */
export async function exportModel(job: ExportJob): Promise<ModelExportResult> {
  const started = performance.now();
  if (job.quantization !== 'none' && job.format !== 'tfjs') {
    throw new CapaError('invalid-argument', said('model.export.quantizeTfjsOnly'));
  }
  const source = weightsDir(job.runFolder, job.weights);
  if (!existsSync(join(source, 'model.json'))) {
    throw new CapaError(
      'not-found',
      said(job.weights === 'best' ? 'model.export.noBestWeights' : 'model.export.noLastWeights', {
        run: job.run.id,
        status: job.run.status,
      }),
    );
  }
  const model = await readSavedModel(source);
  const info = formatChoices(model, job.run.spec).find((f) => f.format === job.format)!;
  // The format's name and the reason are said inside this sentence, from their keys and values.
  if (!info.available)
    throw new CapaError('invalid-argument', said('model.export.cannotHold', { format: nested(info.title), reason: nested(info.reason!) }));

  const destination = join(job.parent, exportFolderName(job));
  const metadata = exportMetadata(job.run, job.format, job.weights);
  const snippets = usageSnippets(job.format, metadata);
  let accuracy: ModelExportResult['accuracy'] = null;
  try {
    // An earlier export of the same name is replaced only once the new one is whole.
    accuracy = await writeFolderAtomically(destination, async (temporary) => {
      const change = await writeFormat(job, model, temporary);
      job.signal?.throwIfAborted();
      await writeFile(join(temporary, 'metadata.json'), JSON.stringify(metadata, null, 2));
      for (const snippet of snippets) await writeFile(join(temporary, snippet.fileName), `${snippet.code}\n`);
      job.signal?.throwIfAborted();
      return change;
    });
  } catch (error) {
    if (job.signal?.aborted) throw new CapaError('cancelled', said('model.export.cancelled'));
    throw error;
  }
  return {
    format: job.format,
    directory: destination,
    files: (await readdir(destination)).sort(),
    bytes: await folderBytes(destination),
    snippets,
    accuracy,
    milliseconds: performance.now() - started,
  };
}
