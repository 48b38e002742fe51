// Exports a project's data set as a folder per class plus dataset.csv (file, class, split), as
// a folder or a zip, written atomically into the project's exports folder. Unlabelled images
// sit at the top of the tree, so importing the tree back (Keras folder convention) leaves them
// unlabelled, and dataset.csv puts every image back in its split.
import { createWriteStream, existsSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import type { ExportResult } from '../../../preload/contract';
import { csvField, MANIFEST_NAME } from './manifest';
import type { Project } from '../projects/project';
import { ImageStore } from './image-store';
import { containedFile } from '../files/contained';
import { NAME_BYTES, safeName } from '../files/names';
import { CapaError } from '../../../common/messages/errors';
import { said } from '../../../common/messages/said';
import { writeFileAtomically, writeFolderAtomically } from '../files/atomic';

export { safeName };

/** `name-YYYYMMDD-HHMMSS`, so exports sort by time (see claimExportName for never overwriting one another). */
export function stampedName(prefix: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${safeName(prefix)}-${stamp}`;
}

/** Export names being written by this process right now (their files do not exist yet). */
const claimed = new Set<string>();

/**
 * A stamped name `<prefix>-<time>[-n]<ext>` that no file in `directory` has and no export of this
 * process is writing: two exports in the same second get `-2`, `-3`... instead of overwriting the
 * first. Call `release` once the export is in place (or failed).
 */
export function claimExportName(directory: string, prefix: string, ext: string, now = new Date()): { name: string; release: () => void } {
  const base = stampedName(prefix, now);
  for (let n = 1; ; n++) {
    const name = `${base}${n === 1 ? '' : `-${n}`}${ext}`;
    const key = join(directory, name);
    if (claimed.has(key) || existsSync(key) || existsSync(`${key}.partial`)) continue;
    claimed.add(key);
    return { name, release: () => claimed.delete(key) };
  }
}

/** One file of the exported tree: where it goes (relative, with "/") and where it comes from. */
interface Placed {
  path: string;
  source: string;
}

/** Lays out the tree: class folders, unique file names, and the manifest's text. */
function layout(project: Project): { files: Placed[]; manifest: string } {
  const store = new ImageStore(project.dir);
  const classes = new Map<number, string>();
  const used = new Set<string>();
  for (const c of project.classes.list()) {
    let folder = safeName(c.name);
    while (used.has(folder.toLowerCase())) folder = `${folder}_${c.id}`;
    used.add(folder.toLowerCase());
    classes.set(c.id, folder);
  }
  const rows = project.images.forExport();
  const taken = new Set<string>();
  const files: Placed[] = [];
  const lines = ['file,class,split'];
  const classNames = new Map(project.classes.list().map((c) => [c.id, c.name]));
  for (const row of rows) {
    const folder = row.class_id === null ? '' : `${classes.get(row.class_id)}/`;
    const stem = safeName(row.file_name.replace(/\.[^.]*$/, ''));
    let path = `${folder}${stem}.${row.ext}`;
    if (taken.has(path.toLowerCase())) path = `${folder}${stem}-${row.hash.slice(0, 10)}.${row.ext}`;
    taken.add(path.toLowerCase());
    files.push({ path, source: store.imagePath(row.hash, row.ext) });
    lines.push([path, row.class_id === null ? '' : (classNames.get(row.class_id) ?? ''), row.split].map(csvField).join(','));
  }
  return { files, manifest: `${lines.join('\n')}\n` };
}

/** Writes the data set into `<project>/exports/`; returns the folder or zip written. */
export async function exportDataset(project: Project, format: 'folder' | 'zip'): Promise<ExportResult> {
  const directory = project.paths.exports;
  await mkdir(directory, { recursive: true });
  const { files, manifest } = layout(project);
  // Every stored file is read through the containment check: a symlink planted in store/ is refused, never copied.
  for (const file of files) {
    const real = await containedFile(file.source, project.dir);
    if (real === null) throw new CapaError('not-found', said('errors.hostile.storedOutside', { file: file.path }));
    file.source = real;
  }
  const claim = claimExportName(directory, `${safeName(project.summary().name, NAME_BYTES - 20)}-dataset`, format === 'zip' ? '.zip' : '');
  try {
    const name = claim.name;
    if (format === 'folder') {
      // The temporary folder is made first, so a project with no images still exports its (empty) dataset.csv.
      await writeFolderAtomically(join(directory, name), async (partial) => {
        for (const file of files) {
          await mkdir(join(partial, file.path, '..'), { recursive: true });
          await copyFile(file.source, join(partial, file.path));
        }
        await writeFile(join(partial, MANIFEST_NAME), manifest);
      });
      return { directory, files: [name] };
    }
    const top = name.slice(0, -'.zip'.length);
    // Entries sit under one top folder, so unzipping gives a folder that imports back as it was.
    await writeZip(join(directory, name), [
      ...files.map((f) => ({ path: `${top}/${f.path}`, source: f.source, compress: false })),
      { path: `${top}/${MANIFEST_NAME}`, bytes: Buffer.from(manifest), compress: true },
    ]);
    return { directory, files: [name] };
  } finally {
    claim.release();
  }
}

/** An entry of a zip to write: a file on disk or bytes. */
export type ZipSource = { path: string; compress: boolean } & ({ source: string } | { bytes: Buffer });

/** Streams a zip to `file` through a temporary sibling, so a failure never leaves half a zip. */
export async function writeZip(file: string, entries: readonly ZipSource[]): Promise<void> {
  await writeFileAtomically(file, async (partial) => {
    const zip = new ZipFile();
    const written = pipeline(zip.outputStream, createWriteStream(partial));
    for (const entry of entries) {
      // Already-compressed images are stored as they are: deflating JPEG or PNG again gains nothing.
      if ('source' in entry) zip.addFile(entry.source, entry.path, { compress: entry.compress });
      else zip.addBuffer(entry.bytes, entry.path, { compress: entry.compress });
    }
    zip.end();
    await written;
  });
}
