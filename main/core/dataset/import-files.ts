// Imports pictures into a project following Keras `image_dataset_from_directory`: a dropped
// folder whose sub-folders hold images gives one class per sub-folder; a flat folder gives one
// class named after it; loose files go to the target class or to Unlabelled. Every file that
// cannot be used gets a reason, and the rest imports.
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import sharp from 'sharp';
import type { ImportReport, RejectReason, Said, Split, UploadedFile } from '../../../preload/contract';
import { bmpToPng, cutShort, isBmp, tooManyPixels, type Rejection } from './bmp';
import { removeUncommitted } from '../projects/cleanup';
import { CapaError } from '../../../common/messages/errors';
import { folderClassNames } from '../../../common/dataset/folder-classes';
import { said } from '../../../common/messages/said';
import type { NewImage, Project } from '../projects/project';
import { splitsFromManifest, type ImportEntry } from './manifest';

export type { ImportEntry } from './manifest';
import { hashBytes, ImageStore, THUMBNAIL_SIZE } from './image-store';
import { fileKind, notRegularFile, readRegularFile } from '../files/contained';

/**
 * Images above this many pixels (width x height, 100 megapixels, e.g. 10,000 x 10,000) are
 * refused as likely decompression bombs: decoding one would take gigabytes of memory.
 */
export const MAX_PIXELS = 100_000_000;

/** Decoded formats Capa accepts, with the extension they are stored under. */
const ACCEPTED_FORMATS: Record<string, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', gif: 'gif', tiff: 'tif' };
const ACCEPTED_EXTENSIONS = new Set(['.jpg', '.jpeg', '.jpe', '.png', '.webp', '.gif', '.tif', '.tiff', '.bmp', '.dib']);
/** Image types a person may drop that Capa cannot decode yet. */
const OTHER_IMAGE_EXTENSIONS = new Set(['.heic', '.heif', '.avif', '.svg', '.ico', '.psd', '.raw', '.cr2', '.nef', '.jp2']);
/** Files a file manager leaves in folders; skipped silently. */
const IGNORED = new Set(['thumbs.db', 'desktop.ini']);

/** Live progress of an import. */
export interface ImportProgress {
  done: number;
  total: number;
}

export interface ImportOptions {
  /** Class for loose files; null or undefined for Unlabelled. */
  classId?: number | null;
  /** Every file goes to classId, whatever its folders (a flat folder sent to Unlabelled). */
  ignoreFolders?: boolean;
  onProgress?: (progress: ImportProgress) => void;
  /** Stops after the file being handled; what was imported stays. */
  signal?: AbortSignal;
  /** Adds to this import batch (the chunks of one browser drop) instead of starting one. */
  batchId?: number;
  /** Pins every image of a new batch to this split. */
  split?: Split;
  /** Name of a new batch; defaults to what was dropped. */
  label?: Said;
}

/** Files read and decoded at once (sharp decodes on its own threads); bounds memory too. */
const WINDOW = 16;
/** Rows committed per transaction; their files are written before the commit. */
const COMMIT_EVERY = 64;

/** An entry that cannot be read, listed so the person sees it with its reason. */
const refusedEntry = (relativePath: string, path: string, reason: Said): ImportEntry => ({
  relativePath,
  path,
  read: () => Promise.reject(new CapaError('invalid-argument', reason)),
});

/**
 * Walks dropped paths into entries; folders are read recursively, hidden files skipped. Symbolic
 * links are followed, but each folder is entered once (by device and inode), so a link back up
 * the tree is listed as "a link loop" instead of being walked forever; anything that is neither a
 * folder nor a regular file (a FIFO, a socket, a device) is listed with its reason, never opened.
 */
export async function entriesFromPaths(paths: readonly string[]): Promise<ImportEntry[]> {
  const entries: ImportEntry[] = [];
  const visited = new Set<string>();
  const walk = async (path: string, relative: string): Promise<void> => {
    let info: Awaited<ReturnType<typeof stat>> | null = null;
    try {
      info = await stat(path);
    } catch (error) {
      if ((error as { code?: string }).code === 'ELOOP')
        return void entries.push(refusedEntry(relative, path, said('errors.hostile.linkLoop')));
      // Missing or unreadable files are still listed, so the person sees them with a reason.
      return void entries.push({ relativePath: relative, path, read: () => readRegularFile(path) });
    }
    if (info.isDirectory()) {
      const key = `${info.dev}:${info.ino}`;
      if (visited.has(key)) return void entries.push(refusedEntry(relative, path, said('errors.hostile.linkLoop')));
      visited.add(key);
      const children = await readdir(path, { withFileTypes: true });
      children.sort((a, b) => a.name.localeCompare(b.name));
      for (const child of children) {
        if (child.name.startsWith('.') || IGNORED.has(child.name.toLowerCase())) continue;
        await walk(join(path, child.name), `${relative}/${child.name}`);
      }
    } else if (info.isFile()) {
      entries.push({ relativePath: relative, path, read: () => readRegularFile(path) });
    } else {
      entries.push(refusedEntry(relative, path, notRegularFile(fileKind(info))));
    }
  };
  for (const path of paths) await walk(path, basename(path));
  return entries;
}

export function entriesFromUploads(files: readonly UploadedFile[]): ImportEntry[] {
  return files
    .filter((file) => !file.relativePath.split('/').some((part) => part.startsWith('.') || IGNORED.has(part.toLowerCase())))
    .map((file) => ({ relativePath: file.relativePath, read: async () => file.bytes }));
}

/** Which class name (or the target) each entry goes to, by the folder conventions. */
export function planClasses(entries: readonly ImportEntry[]): Map<ImportEntry, string | null> {
  const names = folderClassNames(entries.map((entry) => entry.relativePath));
  return new Map(entries.map((entry, i) => [entry, names[i]!]));
}

/** Whether a file misses the end its format requires: JPEG's EOI marker, PNG's IEND, GIF's trailer, WebP's RIFF length. */
export function lacksEnd(bytes: Uint8Array, format: string): boolean {
  const n = bytes.length;
  const tail = Buffer.from(bytes.subarray(Math.max(0, n - 16)));
  switch (format) {
    case 'jpeg':
      return !tail.includes(Buffer.from([0xff, 0xd9]));
    case 'png':
      return !tail.includes(Buffer.from('IEND'));
    case 'gif':
      return !tail.includes(0x3b);
    case 'webp':
      return n < 12 || Buffer.from(bytes.subarray(4, 8)).readUInt32LE(0) + 8 > n;
    default:
      return false;
  }
}

type Checked =
  | { ok: true; hash: string; ext: string; bytes: Uint8Array; thumbnail: Buffer; width: number; height: number }
  | ({ ok: false } & Rejection);

const reject = (reason: RejectReason, sentence: Said): Checked => ({ ok: false, reason, ...sentence });

/** Reads and fully decodes one file; every failure becomes a reason a person understands. */
async function check(entry: ImportEntry): Promise<Checked> {
  const ext = extname(entry.relativePath).toLowerCase();
  let bytes: Uint8Array;
  try {
    bytes = await entry.read();
  } catch (error) {
    // A refusal with its own sentence (not a regular file, a link loop) keeps it.
    if (error instanceof CapaError) return reject('unreadable', error.said);
    const code = (error as { code?: string }).code;
    if (code === 'ELOOP') return reject('unreadable', said('errors.hostile.linkLoop'));
    return reject(
      'unreadable',
      code === 'ENOENT' ? said('data.importer.gone') : said('data.importer.unreadable', { code: code ?? 'error' }),
    );
  }
  if (bytes.length === 0) return reject('empty', said('data.importer.empty'));
  const original = bytes;
  if (isBmp(bytes)) {
    // libvips has no BMP loader: decode it here and carry on with a lossless PNG of it.
    const converted = await bmpToPng(bytes, MAX_PIXELS);
    if (!converted.ok) return converted;
    bytes = converted.png;
  }
  let metadata: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    if (OTHER_IMAGE_EXTENSIONS.has(ext))
      return reject('unsupported-format', said('data.importer.convert', { format: ext.slice(1).toUpperCase() }));
    if (ACCEPTED_EXTENSIONS.has(ext)) return reject('corrupt', said('data.importer.notReadable'));
    return reject('not-an-image', said('data.importer.notAnImage'));
  }
  const format = metadata.format as string | undefined;
  const storedExt = format ? ACCEPTED_FORMATS[format] : undefined;
  if (!storedExt)
    return reject('unsupported-format', said('data.importer.unsupported', { format: (format ?? ext.slice(1)).toUpperCase() }));
  const width = metadata.width ?? 0;
  const height = metadata.height ?? 0;
  if (width * height > MAX_PIXELS) {
    return reject('too-many-pixels', tooManyPixels(width, height, MAX_PIXELS));
  }
  let thumbnail: Buffer;
  try {
    // Decoding the whole image for the thumbnail is what finds truncated and corrupt files.
    thumbnail = await sharp(bytes, { failOn: 'truncated', limitInputPixels: MAX_PIXELS })
      .rotate()
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
      // Effort 0: a 160 px thumbnail gains little from a slower encoder, and import time is what a person waits for.
      .webp({ quality: 80, effort: 0 })
      .toBuffer();
  } catch (error) {
    // libvips's error text is shared between threads and can read "Unknown error" under load,
    // so truncation is told from the file's structure, not from the message.
    if (lacksEnd(bytes, format!)) return reject('truncated', cutShort());
    const detail = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    return reject('corrupt', said('data.importer.corrupt', { detail }));
  }
  // EXIF orientations 5 to 8 swap width and height once the image is upright.
  const upright = (metadata.orientation ?? 1) >= 5 ? { width: height, height: width } : { width, height };
  // The hash is of the file as dropped, so dropping the same BMP again is found as a duplicate.
  return { ok: true, hash: hashBytes(original), ext: storedExt, bytes, thumbnail, ...upright };
}

/** Why a file cannot be used as an image, as a sentence, or null when it can (decodes it fully). */
export async function unusableReason(entry: ImportEntry): Promise<Said | null> {
  const checked = await check(entry);
  if (checked.ok) return null;
  const { ok: _ok, reason: _reason, ...sentence } = checked;
  return sentence;
}

/** What an import did, and whether it was cancelled before the end. */
export interface ImportOutcome {
  /** What was imported, skipped as duplicate, and rejected with reasons. */
  report: ImportReport;
  /** Whether the import stopped before the last file. */
  cancelled: boolean;
  /** The batch the images joined. */
  batchId: number;
}

/** What a batch is called: the one item dropped (its own name, not a sentence), or how many items were. */
export function batchLabel(names: readonly string[]): Said {
  const distinct = new Set(names);
  return distinct.size === 1 ? { message: [...distinct][0]! } : said('data.importer.items', { count: distinct.size });
}

/** Imports entries into `project` and waits; a cancelled import throws `cancelled` (what was imported stays). */
export async function importEntries(project: Project, entries: readonly ImportEntry[], options: ImportOptions = {}): Promise<ImportReport> {
  const { report, cancelled } = await runImport(project, entries, options);
  if (cancelled) throw new CapaError('cancelled', said('data.importer.cancelled', { count: report.imported }));
  return report;
}

/**
 * Imports entries into `project` as one batch. Rows are committed in transactions of up to
 * COMMIT_EVERY images, each after its files are written, so a cancel or crash leaves a
 * consistent project. Progress counts files looked at (imported, duplicate or rejected).
 */
export async function runImport(project: Project, allEntries: readonly ImportEntry[], options: ImportOptions = {}): Promise<ImportOutcome> {
  const store = new ImageStore(project.dir);
  const report: ImportReport = { imported: 0, duplicates: [], rejected: [], classesCreated: [] };
  const target = options.classId ?? null;
  if (target !== null) project.classes.get(target);
  const { entries, splits } = await splitsFromManifest(allEntries);
  if (options.batchId !== undefined) project.batches.pinnedSplit(options.batchId);
  const batchId =
    options.batchId ??
    project.batches.create(options.label ?? batchLabel(allEntries.map((e) => e.relativePath.split('/')[0]!)), options.split ?? null);
  const plan = planClasses(entries);
  const classIds = new Map<string, number>();
  const classFor = (name: string | null): number | null => {
    if (name === null) return target;
    const known = classIds.get(name.toLowerCase());
    if (known !== undefined) return known;
    const existing = project.classes.byName(name);
    const id = existing ? existing.id : project.classes.create(name).id;
    if (!existing) report.classesCreated.push(name);
    classIds.set(name.toLowerCase(), id);
    return id;
  };
  const seen = new Map<string, string | null>();
  let rows: NewImage[] = [];
  let writes: Promise<void>[] = [];
  // Files first, rows second: a crash or cancel in between leaves unreferenced files, never rows without files.
  // Every write is waited for (a failed one must not leave others running), then the rows go in;
  // when a write or the insert fails, the chunk's files are removed so a full disk gets its space back.
  const commit = async () => {
    try {
      const failed = (await Promise.allSettled(writes)).find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
      project.images.add(rows, batchId);
    } catch (error) {
      await removeUncommitted(project.dir, project.db, rows);
      throw error;
    }
    report.imported += rows.length;
    rows = [];
    writes = [];
  };
  // A sliding window of reads and decodes, taken in order so duplicates and new classes are decided
  // the same way every time; nothing is written for a file until its turn.
  const inFlight: Promise<Checked>[] = [];
  let next = 0;
  const fill = () => {
    while (inFlight.length < WINDOW && next < entries.length) inFlight.push(check(entries[next++]!));
  };
  fill();
  for (let done = 0; done < entries.length; done++) {
    if (options.signal?.aborted) {
      await commit();
      return { report, cancelled: true, batchId };
    }
    const entry = entries[done]!;
    const result = await inFlight.shift()!;
    fill();
    const file = entry.relativePath;
    if (!result.ok) {
      const { ok: _ok, ...rejection } = result;
      report.rejected.push({ file, ...rejection });
    } else {
      const className = options.ignoreFolders ? null : (plan.get(entry) ?? null);
      const existing = project.images.findByHash(result.hash);
      if (existing || seen.has(result.hash)) {
        report.duplicates.push({ file, className: existing ? existing.className : (seen.get(result.hash) ?? null) });
      } else {
        seen.set(result.hash, className);
        const write = store.put(result.hash, result.ext, result.bytes, result.thumbnail);
        write.catch(() => undefined); // handled in commit(); until then a rejection must not count as unhandled (it would end the process)
        writes.push(write);
        const split = splits.get(entry);
        rows.push({
          hash: result.hash,
          ext: result.ext,
          classId: classFor(className),
          fileName: basename(file),
          width: result.width,
          height: result.height,
          bytes: result.bytes.length,
          ...(split ? { split } : {}),
        });
        if (rows.length >= COMMIT_EVERY) await commit();
      }
    }
    options.onProgress?.({ done: done + 1, total: entries.length });
  }
  await commit();
  return { report, cancelled: false, batchId };
}
