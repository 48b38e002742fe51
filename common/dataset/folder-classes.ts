// Which class a file belongs to by its folders, following Keras `image_dataset_from_directory`.
// Pure (no Node imports), so the importer, batch prediction and the renderer share one rule.

/** The parts of a relative path, without empty or "." segments ("a//./b" is a/b). */
const partsOf = (relativePath: string): string[] => relativePath.split('/').filter((part) => part !== '' && part !== '.');

/**
 * The class name each relative path ("shapes/circle/a.png") gets by its folders: a dropped folder
 * whose files sit in sub-folders gives the sub-folder's name; a flat folder gives its own name;
 * loose files (and files directly in a folder of folders) get null.
 */
export function folderClassNames(relativePaths: readonly string[]): (string | null)[] {
  const split = relativePaths.map(partsOf);
  const nested = new Set<string>();
  for (const parts of split) if (parts.length > 2) nested.add(parts[0]!);
  return split.map((parts) => {
    if (parts.length < 2) return null;
    if (nested.has(parts[0]!)) return parts.length > 2 ? parts[1]! : null;
    return parts[0]!;
  });
}

/** The folder's name when what was picked is one folder of files with no sub-folders ("cats/a.png", "cats/b.png"); else null. */
export function flatFolderName(relativePaths: readonly string[]): string | null {
  const split = relativePaths.map(partsOf);
  const root = split[0]?.[0];
  if (root === undefined || split.some((parts) => parts.length !== 2 || parts[0] !== root)) return null;
  return root;
}

/** Folder names that mean "not sorted yet", lower case, without accents, spaces or punctuation. */
const UNLABELLED_NAMES = new Set([
  'unlabelled',
  'unlabeled',
  'unsorted',
  'nolabel',
  'sinclase',
  'sinetiqueta',
  'sinetiquetar',
  'sinclasificar',
]);

/** Whether a folder's name says its pictures have no class yet ("Unlabelled", "unlabeled", "sin clase"). */
export function meansUnlabelled(name: string): boolean {
  return UNLABELLED_NAMES.has(
    name
      .normalize('NFD')
      .replace(/[^a-zA-Z]/g, '')
      .toLowerCase(),
  );
}
