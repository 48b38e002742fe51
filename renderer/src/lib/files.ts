// Reads what a person dropped or chose into files with their relative paths (browser), or into
// file-system paths (Electron), following Keras's folder-per-class convention.

/** A file with its path relative to what was dropped, e.g. "shapes/circle/a.png". */
export interface PickedFile {
  relativePath: string;
  file: File;
}

/** What to import: paths when the host can read the disk, otherwise the files themselves. */
export type Picked = { kind: 'paths'; paths: string[] } | { kind: 'files'; files: PickedFile[] };

/** Drag-and-drop type of thumbnails dragged onto a class card: a JSON list of image ids. */
export const IMAGE_DRAG_TYPE = 'application/x-capa-images';

type PathForFile = ((file: File) => string | undefined) | undefined;

/** Files of a drop; folders are read recursively. */
export async function pickFromDrop(transfer: DataTransfer, pathForFile: PathForFile): Promise<Picked> {
  if (pathForFile) {
    const paths = [...transfer.files].map((file) => pathForFile(file)).filter((path): path is string => !!path);
    if (paths.length > 0) return { kind: 'paths', paths };
  }
  // Entries must be taken synchronously, before the event handler returns.
  const entries = [...transfer.items].map((item) => item.webkitGetAsEntry()).filter((entry): entry is FileSystemEntry => entry !== null);
  const files: PickedFile[] = [];
  if (entries.length === 0) {
    for (const file of transfer.files) files.push({ relativePath: file.name, file });
  }
  for (const entry of entries) await walk(entry, files);
  return { kind: 'files', files };
}

/** Files chosen with an `<input type="file">`, with or without `webkitdirectory`. */
export function pickFromInput(list: FileList, pathForFile: PathForFile): Picked {
  const chosen = [...list];
  if (pathForFile && chosen.length > 0) {
    const roots = new Set<string>();
    for (const file of chosen) {
      const path = pathForFile(file);
      if (!path) continue;
      roots.add(file.webkitRelativePath ? folderOf(path, file.webkitRelativePath) : path);
    }
    if (roots.size > 0) return { kind: 'paths', paths: [...roots] };
  }
  return { kind: 'files', files: chosen.map((file) => ({ relativePath: file.webkitRelativePath || file.name, file })) };
}

/** The chosen folder's own path: the file's path minus its relative path, plus the first segment. */
function folderOf(path: string, relativePath: string): string {
  const base = path.slice(0, path.length - relativePath.length);
  return base + relativePath.split('/')[0];
}

async function walk(entry: FileSystemEntry, into: PickedFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    into.push({ relativePath: entry.fullPath.replace(/^\//, ''), file });
    return;
  }
  if (!entry.isDirectory) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries returns at most ~100 entries per call: read until it returns none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const child of batch) await walk(child, into);
  }
}

/** Splits a list into chunks of `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
