// The backbone cache: one folder per backbone under `<data folder>/.backbones`, each holding the
// model's files and a backbone.json manifest (what it is, where it came from, the SHA-256 of every
// file). A folder appears only once complete (staged, then renamed), so a crash never leaves a
// half-downloaded backbone that looks usable. Downloads, imports from a folder, and the lookups
// training and the model summary need all live here.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { BackboneEvent, BackboneInfo, Said } from '../../../preload/contract';
import { CapaError, toErrorValue } from '../../../common/messages/errors';
import type { BackboneShape } from '../../../common/model/summary';
import type { TrainerBackbone } from '../../trainer/protocol';
import { said } from '../../../common/messages/said';
import {
  BACKBONES,
  descriptionSchema,
  fineTunable,
  shapeOf,
  type BackboneEntry,
  type BackboneNormalization,
} from '../../../common/backbones/catalogue';
import { downloadModel, paramsOf, safeRelative, sha256File, type Fetch } from './download';
import { describeFolderModel, type FolderModel } from './inspect';

/** Name of the cache folder inside the data folder; its dot keeps it out of the project list. */
export const CACHE_FOLDER = '.backbones';
const MANIFEST = 'backbone.json';
/** Feature vectors of images, cached between runs (see main/trainer/transfer.ts). */
const EMBEDDINGS = 'embeddings';

const normalizationSchema = z.object({ scale: z.number(), offset: z.number() });
const entrySchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,99}$/),
  title: z.string().min(1).max(200),
  description: descriptionSchema,
  url: z.string().url(),
  query: z.string().default(''),
  format: z.enum(['graph', 'layers']),
  inputSize: z.number().int().positive().max(1024),
  normalization: normalizationSchema,
  features: z.number().int().positive(),
  params: z.number().int().nonnegative(),
  sizeBytes: z.number().int().nonnegative(),
  sha256: z.record(z.string(), z.string().regex(/^[0-9a-fA-F]{64}$/)).optional(),
});

const manifestSchema = z.object({
  entry: entrySchema,
  /** "download" or "import". */
  source: z.enum(['download', 'import']),
  /** SHA-256 of every file, checked before each use. */
  files: z.record(z.string(), z.string()),
  /** True when the files matched checksums published in a catalogue, not just pinned on arrival. */
  verified: z.boolean(),
  /** Exact weight count, from the manifest of the files. */
  params: z.number().int().nonnegative(),
});
type Manifest = z.infer<typeof manifestSchema>;

/** A JSON file's value, or undefined when it is not JSON (the schemas then say what is wrong). */
function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

export class BackboneCache {
  private readonly downloads = new Map<string, Promise<BackboneInfo>>();
  private readonly listeners = new Set<(event: BackboneEvent) => void>();

  constructor(
    /** The cache folder (`<data folder>/.backbones`). */
    readonly dir: string,
    private readonly fetchImpl: Fetch = fetch,
  ) {}

  onEvent(listener: (event: BackboneEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: BackboneEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** Built-in entries, then those of an optional `catalogue.json` in the cache folder (a mirror), then imported ones. */
  // Reads are synchronous: a handful of small JSON files, and the model summary needs them synchronously.
  entries(): BackboneEntry[] {
    const entries = new Map(BACKBONES.map((entry) => [entry.id, entry]));
    const extra = join(this.dir, 'catalogue.json');
    if (existsSync(extra)) {
      const parsed = z.array(entrySchema).safeParse(readJson(extra));
      if (!parsed.success)
        throw new CapaError(
          'invalid-argument',
          said('errors.backboneCache.badCatalogue', { file: extra, detail: parsed.error.issues[0]!.message }),
        );
      for (const entry of parsed.data) entries.set(entry.id, entry);
    }
    // An imported folder describes what is really there (it may be a layers model standing in for a graph one).
    for (const manifest of this.manifests())
      if (!entries.has(manifest.entry.id) || manifest.source === 'import') entries.set(manifest.entry.id, manifest.entry);
    return [...entries.values()];
  }

  private manifests(): Manifest[] {
    if (!existsSync(this.dir)) return [];
    const found: Manifest[] = [];
    for (const name of readdirSync(this.dir)) {
      const manifest = this.manifest(name);
      if (manifest) found.push(manifest);
    }
    return found;
  }

  private manifest(id: string): Manifest | null {
    const file = join(this.dir, id, MANIFEST);
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(id) || !existsSync(file)) return null;
    // A damaged manifest makes the backbone absent (download or import it again), not the list fail.
    const parsed = manifestSchema.safeParse(readJson(file));
    return parsed.success ? parsed.data : null;
  }

  private info(entry: BackboneEntry, manifest: Manifest | null): BackboneInfo {
    return {
      id: entry.id,
      title: entry.title,
      description: entry.description,
      url: entry.url,
      inputSize: entry.inputSize,
      format: entry.format,
      features: entry.features,
      params: manifest?.params ?? entry.params,
      sizeBytes: entry.sizeBytes,
      state: manifest ? 'ready' : this.downloads.has(entry.id) ? 'downloading' : 'absent',
      source: manifest?.source ?? null,
      verified: manifest?.verified ?? false,
    };
  }

  /** Every backbone with its download state. */
  list(): BackboneInfo[] {
    const manifests = new Map(this.manifests().map((m) => [m.entry.id, m]));
    return this.entries().map((entry) => this.info(entry, manifests.get(entry.id) ?? null));
  }

  private entry(id: string): BackboneEntry {
    const entry = this.entries().find((e) => e.id === id);
    if (!entry) throw new CapaError('not-found', said('errors.backboneCache.unknown', { id }));
    return entry;
  }

  /** Whether a backbone's files are in the cache (not checked: see resolve). */
  isReady(id: string): boolean {
    return this.manifest(id) !== null;
  }

  /** Whether a backbone's last blocks can be trained (layers models only). */
  canFineTune(id: string): boolean {
    const entry = this.entries().find((e) => e.id === id);
    return entry !== undefined && fineTunable(entry.format);
  }

  /** The summary's view of a backbone, or null when unknown. */
  shape(id: string): BackboneShape | null {
    const entry = this.entries().find((e) => e.id === id);
    if (!entry) return null;
    const manifest = this.manifest(id);
    return shapeOf({ ...entry, params: manifest?.params ?? entry.params });
  }

  /**
   * Downloads a backbone unless it is cached; resolves when it is ready. Concurrent calls for
   * the same backbone share one download. Progress, completion and failure are also events.
   */
  download(id: string): Promise<BackboneInfo> {
    const running = this.downloads.get(id);
    if (running) return running;
    // Started on the next tick, so it is registered before it can end; no longer listed as
    // downloading by the time a caller's await resumes.
    const work = Promise.resolve()
      .then(async () => {
        const entry = this.entry(id);
        const existing = this.manifest(id);
        if (existing) return this.info(entry, existing);
        const staging = join(this.dir, `${id}.partial`);
        const files = await downloadModel(entry, staging, (progress) => this.emit({ id, kind: 'progress', ...progress }), this.fetchImpl);
        const modelJson: unknown = JSON.parse(await readFile(join(staging, 'model.json'), 'utf8'));
        return this.install(entry, staging, {
          entry,
          source: 'download',
          files,
          verified: entry.sha256 !== undefined,
          params: paramsOf(modelJson),
        });
      })
      .finally(() => this.downloads.delete(id));
    this.downloads.set(id, work);
    work.then(
      (backbone) => this.emit({ id, kind: 'done', backbone }),
      (error: unknown) => {
        // The sentence only (its key and values, so the screen says it in the person's language).
        const { code: _code, issues: _issues, ...sentence } = toErrorValue(error);
        this.emit({ id, kind: 'error', ...sentence });
      },
    );
    return work;
  }

  /** Copies a TensorFlow.js model folder (graph or layers) into the cache, for offline machines. */
  async importFolder(
    path: string,
    options: { id?: string; title?: string; normalization?: BackboneNormalization } = {},
  ): Promise<BackboneInfo> {
    const described = await describeFolderModel(path);
    const known = options.id ? this.entries().find((e) => e.id === options.id) : undefined;
    const id = options.id ?? `imported-${described.hash.slice(0, 12)}`;
    if (known && known.inputSize !== described.inputSize) {
      throw new CapaError(
        'invalid-argument',
        said('errors.backboneCache.wrongSize', { folder: path, size: described.inputSize, name: known.title, expected: known.inputSize }),
      );
    }
    // A layers model imported in place of a graph one (Keras's MobileNet converted, say) is loaded,
    // scaled and fine-tuned as what it is: its format decides how it loads and, as for any
    // imported model, its normalisation ([-1, 1] for Keras's layers models).
    const entry: BackboneEntry = known
      ? {
          ...known,
          ...(known.format === described.format
            ? {}
            : { format: described.format, normalization: options.normalization ?? described.normalization }),
        }
      : {
          id,
          title: options.title ?? `Imported model (${described.inputSize} px)`,
          description: options.normalization ? said('model.catalogue.importedFrom', { path }) : importSummary(path, described),
          url: `file://${path}`,
          query: '',
          format: described.format,
          inputSize: described.inputSize,
          normalization: options.normalization ?? described.normalization,
          features: described.features,
          params: described.params,
          sizeBytes: described.bytes,
        };
    const staging = join(this.dir, `${id}.partial`);
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    const files: Record<string, string> = {};
    for (const relative of ['model.json', ...described.weightPaths]) {
      await cp(join(path, relative), join(staging, relative));
      files[relative] = await sha256File(join(staging, relative));
    }
    // A folder for a catalogue entry with published checksums must match them, as a download would.
    const mismatch = Object.entries(entry.sha256 ?? {}).find(([relative, expected]) => files[relative] !== expected.toLowerCase());
    if (mismatch) {
      await rm(staging, { recursive: true, force: true });
      throw new CapaError('io', said('errors.backboneCache.checksumMismatch', { file: mismatch[0], folder: path, name: entry.title }));
    }
    return this.install(entry, staging, { entry, source: 'import', files, verified: entry.sha256 !== undefined, params: described.params });
  }

  private async install(entry: BackboneEntry, staging: string, manifest: Manifest): Promise<BackboneInfo> {
    await writeFile(join(staging, MANIFEST), JSON.stringify(manifest, null, 2));
    // What was there is not usable (no valid manifest, or replaced by an import).
    await rm(join(this.dir, entry.id), { recursive: true, force: true });
    await rename(staging, join(this.dir, entry.id));
    return this.info(entry, manifest);
  }

  /** The cached files of a backbone for training or prediction, checked against their recorded hashes. */
  async resolve(id: string): Promise<TrainerBackbone> {
    const manifest = this.manifest(id);
    if (!manifest) {
      const entry = this.entry(id);
      throw new CapaError('not-found', said('errors.backboneCache.notDownloaded', { name: entry.title }));
    }
    const dir = join(this.dir, id);
    for (const [relative, expected] of Object.entries(manifest.files)) {
      const file = join(dir, safeRelative(relative));
      if (!existsSync(file) || (await sha256File(file)) !== expected) {
        await rm(dir, { recursive: true, force: true });
        throw new CapaError('io', said('errors.backboneCache.damaged', { name: manifest.entry.title, file: relative }));
      }
    }
    return {
      id,
      dir,
      format: manifest.entry.format,
      inputSize: manifest.entry.inputSize,
      normalization: manifest.entry.normalization,
      features: manifest.entry.features,
      embeddingsDir: join(this.dir, EMBEDDINGS),
      fingerprint: createHash('sha256').update(JSON.stringify(manifest.files)).digest('hex'),
    };
  }
}

/** The imported model's description: where it came from and how its pixels are scaled, and why. */
function importSummary(path: string, described: FolderModel): Said {
  const { scale, offset } = described.normalization;
  const range = `[${offset}, ${Math.round((255 * scale + offset) * 1000) / 1000}]`;
  if (described.normalizationSource === 'rescaling') return said('model.catalogue.importedRescaling', { path });
  if (described.normalizationSource === 'family')
    return said('model.catalogue.importedFamily', { path, range, family: described.modelName });
  return said('model.catalogue.importedFormat', { path, range });
}
