// Classifies pictures with a finished run: one at a time (the Try screen), many at once (a folder,
// many files) and the project's Unlabelled pictures (label suggestions). Files are read here,
// BMPs converted as the importer does, and sent to the training process in batches; a picture
// that cannot be decoded gets the importer's reason and never fails the others.
import { hasUsableWeights } from '../../../common/runs/usable';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BatchImage, BatchPrediction, LabelSuggestions, Prediction, RunInfo, Said } from '../../../preload/contract';
import type { ServiceContext } from '../service/context';
import type { BackboneCache } from '../backbones/cache';
import { bmpToPng, isBmp } from '../dataset/bmp';
import { CapaError } from '../../../common/messages/errors';
import { nested, said } from '../../../common/messages/said';
import { headOnlyBackbone } from '../evaluation/evaluate';
import { MAX_PIXELS, unusableReason, type ImportEntry } from '../dataset/import-files';
import type { Project } from '../projects/project';
import { ImageStore } from '../dataset/image-store';
import { PREDICT_BATCH_SIZE } from '../../../preload/contract-predict';
import type { TrainerBackbone } from '../../trainer/protocol';

/** Why a picture cannot be used, with what to do instead: one sentence for an error. */
export const unusablePicture = (reason: Said): Said => said('runs.use.unusable', { reason: nested(reason) });

/** A finished run's model: where its weights are, and the backbone they sit on when it was kept apart. */
export interface RunModel {
  project: Project;
  run: RunInfo;
  modelDir: string;
  backbone: TrainerBackbone | undefined;
}

/** Backbones checked once (resolve hashes every file), per cache and id, while their files keep their size and time. */
const verified = new WeakMap<BackboneCache, Map<string, { stamp: string; backbone: TrainerBackbone }>>();

async function filesStamp(dir: string): Promise<string> {
  const names = (await readdir(dir, { recursive: true })).sort();
  const stats = await Promise.all(
    names.map(async (name) =>
      stat(join(dir, name)).then(
        (s) => `${name}:${s.size}:${s.mtimeMs}`,
        () => name,
      ),
    ),
  );
  return stats.join('|');
}

/** A frozen backbone ready for the trainer; live predictions call this several times a second, so its hash check runs once per change of its files. */
async function resolveBackbone({ backbones }: ServiceContext, id: string): Promise<TrainerBackbone> {
  const checked = verified.get(backbones) ?? new Map<string, { stamp: string; backbone: TrainerBackbone }>();
  verified.set(backbones, checked);
  const known = checked.get(id);
  if (known && (await filesStamp(known.backbone.dir).catch(() => '')) === known.stamp) return known.backbone;
  const backbone = await backbones.resolve(id);
  checked.set(id, { stamp: await filesStamp(backbone.dir), backbone });
  return backbone;
}

export async function runModel(context: ServiceContext, projectId: string, runId: string): Promise<RunModel> {
  const { library } = context;
  const project = library.get(projectId);
  const run = project.runs.get(runId);
  if (!hasUsableWeights(run)) {
    throw new CapaError(
      'conflict',
      said(`runs.use.notUsable.${run.status as 'queued' | 'running' | 'failed' | 'interrupted'}`, { id: runId }),
    );
  }
  const backbone = await headOnlyBackbone(run, { resolve: (id) => resolveBackbone(context, id) });
  return { project, run, modelDir: project.paths.weights(runId, 'best'), backbone };
}

/** The bytes of an entry as the model's decoder takes them (BMP becomes PNG), or why they cannot be read. */
export async function readEntry(entry: ImportEntry): Promise<Uint8Array | { error: Said }> {
  try {
    const bytes = await entry.read();
    if (!isBmp(bytes)) return bytes;
    const converted = await bmpToPng(bytes, MAX_PIXELS);
    if (converted.ok) return converted.png;
    const { ok: _ok, reason: _reason, ...sentence } = converted;
    return { error: sentence };
  } catch {
    const reason = await unusableReason(entry);
    return { error: reason ?? said('runs.use.cannotRead') };
  }
}

/** Probabilities of each entry, in the run's class order, or the reason it cannot be classified. */
async function classify(context: ServiceContext, model: RunModel, entries: readonly ImportEntry[]): Promise<BatchPrediction[]> {
  const results: BatchPrediction[] = [];
  for (let start = 0; start < entries.length; start += PREDICT_BATCH_SIZE) {
    const slice = entries.slice(start, start + PREDICT_BATCH_SIZE);
    const read = await Promise.all(slice.map(readEntry));
    const readable = read.flatMap((r) => (r instanceof Uint8Array ? [{ bytes: r }] : []));
    const outcomes =
      readable.length > 0 ? await context.trainer.predictBatch(model.modelDir, model.run.spec.input, readable, model.backbone) : [];
    let next = 0;
    for (const [i, entry] of slice.entries()) {
      const bytes = read[i]!;
      if (!(bytes instanceof Uint8Array)) {
        results.push({ file: entry.relativePath, probabilities: null, error: bytes.error });
        continue;
      }
      const outcome = outcomes[next++]!;
      if ('probabilities' in outcome) {
        results.push({ file: entry.relativePath, probabilities: outcome.probabilities, error: null });
      } else {
        // The importer's checks name the problem (empty, truncated, corrupt, not an image); the decoder's text is the fallback.
        const reason = await unusableReason(entry);
        results.push({
          file: entry.relativePath,
          probabilities: null,
          error: reason ?? said('runs.use.notDecoded', { detail: outcome.error }),
        });
      }
    }
  }
  return results;
}

const fileBytes = async (path: string): Promise<Uint8Array> => new Uint8Array(await readFile(path));

const entryOf = (image: BatchImage): ImportEntry =>
  'path' in image
    ? { relativePath: image.file, path: image.path, read: () => fileBytes(image.path) }
    : { relativePath: image.file, read: async () => image.bytes };

/** Classifies a batch of pictures sent by the renderer (paths or bytes). */
export async function predictBatch(
  context: ServiceContext,
  projectId: string,
  runId: string,
  images: readonly BatchImage[],
): Promise<BatchPrediction[]> {
  return classify(context, await runModel(context, projectId, runId), images.map(entryOf));
}

/** Classifies one picture; one that cannot be read is an error saying why and what to do. */
export async function predictOne(context: ServiceContext, projectId: string, runId: string, bytes: Uint8Array): Promise<Prediction> {
  const started = performance.now();
  const model = await runModel(context, projectId, runId);
  const [result] = await classify(context, model, [{ relativePath: 'picture', read: async () => bytes }]);
  if (!result?.probabilities) throw new CapaError('invalid-argument', unusablePicture(result?.error ?? said('runs.use.notRead')));
  const ranked = model.run.classNames.map((className, i) => ({ className, probability: result.probabilities![i] ?? 0 }));
  const best = ranked.reduce((a, b) => (b.probability > a.probability ? b : a));
  return { probabilities: ranked, best: best.className, milliseconds: performance.now() - started };
}

/** Runs the model on a page of the Unlabelled pictures and proposes the project's class of the predicted name; most confident first. */
export async function suggestLabels(
  context: ServiceContext,
  projectId: string,
  runId: string,
  offset: number,
  limit: number,
): Promise<LabelSuggestions> {
  const model = await runModel(context, projectId, runId);
  const { project, run } = model;
  const store = new ImageStore(project.dir);
  const { images, total } = project.images.list({ classId: null }, offset, limit);
  const entries = images.map((image): ImportEntry => {
    const file = project.images.file(image.id)!;
    const path = store.imagePath(file.hash, file.ext);
    return { relativePath: String(image.id), path, read: () => fileBytes(path) };
  });
  const results = await classify(context, model, entries);
  const classes = new Map(project.classes.list().map((c) => [c.name.toLowerCase(), c]));
  const out: LabelSuggestions = { suggestions: [], total, skipped: [] };
  for (const [i, image] of images.entries()) {
    const probabilities = results[i]!.probabilities;
    if (!probabilities) {
      out.skipped.push({ imageId: image.id, fileName: image.fileName, reason: results[i]!.error ?? said('runs.use.notRead') });
      continue;
    }
    const best = probabilities.indexOf(Math.max(...probabilities));
    const className = run.classNames[best]!;
    const target = classes.get(className.toLowerCase());
    if (!target) {
      out.skipped.push({ imageId: image.id, fileName: image.fileName, reason: said('runs.use.classGone', { name: className }) });
      continue;
    }
    out.suggestions.push({
      imageId: image.id,
      fileName: image.fileName,
      classId: target.id,
      className: target.name,
      confidence: probabilities[best]!,
    });
  }
  out.suggestions.sort((a, b) => b.confidence - a.confidence);
  return out;
}
