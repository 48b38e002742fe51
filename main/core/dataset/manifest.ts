// dataset.csv: the manifest of an exported data set (columns file, class, split; file relative
// to the exported folder). Written by the dataset export; read back when such a folder is
// imported, so the images return to their splits.
import type { Split } from '../../../preload/contract';

/** A file to import, wherever its bytes come from. */
export interface ImportEntry {
  /** Path relative to what was dropped, starting with the dropped item's own name ("shapes/circle/a.png"). */
  relativePath: string;
  /** The file on disk, when it came from a path (not an upload). */
  path?: string;
  read(): Promise<Uint8Array>;
}

export const MANIFEST_NAME = 'dataset.csv';
const SPLIT_NAMES = new Set<string>(['train', 'validation', 'test']);

/** One CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180). */
export const csvField = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** Parses RFC 4180 CSV text into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') ((field += '"'), i++);
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') (row.push(field), (field = ''));
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      (row.push(field), rows.push(row), (row = []), (field = ''));
    } else field += ch;
  }
  if (field !== '' || row.length) (row.push(field), rows.push(row));
  return rows.filter((r) => r.some((f) => f !== ''));
}

/**
 * Takes the dataset.csv at the top of each dropped folder out of the entries and returns the
 * split it gives each remaining entry. A manifest that cannot be read is ignored (splits are
 * then assigned as for any import); it is never imported as a picture.
 */
export async function splitsFromManifest(
  entries: readonly ImportEntry[],
): Promise<{ entries: ImportEntry[]; splits: Map<ImportEntry, Split> }> {
  const isManifest = (e: ImportEntry) => {
    const parts = e.relativePath.split('/');
    return parts.length === 2 && parts[1]!.toLowerCase() === MANIFEST_NAME;
  };
  const manifests = entries.filter(isManifest);
  const splits = new Map<ImportEntry, Split>();
  const rest = entries.filter((e) => !isManifest(e));
  if (!manifests.length) return { entries: rest, splits };
  const byPath = new Map<string, Split>();
  for (const manifest of manifests) {
    const root = manifest.relativePath.split('/')[0]!;
    const text = await manifest
      .read()
      .then((bytes) => Buffer.from(bytes).toString('utf8'))
      .catch(() => '');
    const [header, ...rows] = parseCsv(text);
    const fileAt = header?.indexOf('file') ?? -1;
    const splitAt = header?.indexOf('split') ?? -1;
    if (fileAt < 0 || splitAt < 0) continue;
    for (const row of rows) {
      const split = row[splitAt];
      if (row[fileAt] && split && SPLIT_NAMES.has(split)) byPath.set(`${root}/${row[fileAt]}`, split as Split);
    }
  }
  for (const entry of rest) {
    const split = byPath.get(entry.relativePath);
    if (split) splits.set(entry, split);
  }
  return { entries: rest, splits };
}
