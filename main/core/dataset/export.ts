// Exports a project's data set as a folder per class plus dataset.csv (file, class, split), as
// a folder or a zip, written atomically into the project's exports folder. Unlabelled images
// sit at the top of the tree, so importing the tree back (Keras folder convention) leaves them
// unlabelled, and dataset.csv puts every image back in its split.
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import type { ExportResult } from '../../../preload/contract';
import { csvField, MANIFEST_NAME } from './manifest';
import type { Project } from '../projects/project';
import { ImageStore } from './image-store';
import { writeFileAtomically, writeFolderAtomically } from '../files/atomic';

/** A name that is safe as one file or folder name on Windows, macOS and Linux. */
export function safeName(name: string): string {
  const cleaned = name.replace(/[\\/:*?"<>|\x00-\x1f]/g, '_').replace(/[. ]+$/, '').trim();
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? '_' : cleaned;
}

/** `name-YYYYMMDD-HHMMSS`, so exports sort by time and never overwrite one another. */
export function stampedName(prefix: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${safeName(prefix)}-${stamp}`;
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
  const name = stampedName(`${project.summary().name}-dataset`);
  const { files, manifest } = layout(project);
  if (format === 'folder') {
    await writeFolderAtomically(join(directory, name), async (partial) => {
      for (const file of files) {
        await mkdir(join(partial, file.path, '..'), { recursive: true });
        await copyFile(file.source, join(partial, file.path));
      }
      await writeFile(join(partial, MANIFEST_NAME), manifest);
    });
    return { directory, files: [name] };
  }
  const zipName = `${name}.zip`;
  // Entries sit under one top folder, so unzipping gives a folder that imports back as it was.
  await writeZip(join(directory, zipName), [
    ...files.map((f) => ({ path: `${name}/${f.path}`, source: f.source, compress: false })),
    { path: `${name}/${MANIFEST_NAME}`, bytes: Buffer.from(manifest), compress: true },
  ]);
  return { directory, files: [zipName] };
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
