// The folder rules the importer and the Data screen share: which class a path gets, whether what
// was picked is one flat folder, and which folder names mean "no class yet".
import { describe, expect, it } from 'vitest';
import { flatFolderName, folderClassNames, meansUnlabelled } from '../../common/dataset/folder-classes';

describe('folder classes', () => {
  it('names a class per sub-folder, a flat folder by its own name, loose files not at all', () => {
    expect(folderClassNames(['shapes/circle/a.png', 'shapes/square/b.png', 'shapes/c.png'])).toEqual(['circle', 'square', null]);
    expect(folderClassNames(['cats/a.png', 'b.png'])).toEqual(['cats', null]);
  });

  it('recognises one flat folder, and nothing else', () => {
    expect(flatFolderName(['cats/a.png', 'cats/b.png'])).toBe('cats');
    expect(flatFolderName(['cats/a.png', 'dogs/b.png'])).toBeNull();
    expect(flatFolderName(['shapes/circle/a.png'])).toBeNull();
    expect(flatFolderName(['cats/a.png', 'cats/sub/b.png'])).toBeNull();
    expect(flatFolderName(['a.png'])).toBeNull();
    expect(flatFolderName([])).toBeNull();
  });

  it('reads "unlabelled" in its spellings and in Spanish', () => {
    for (const name of ['unlabelled', 'Unlabelled', 'UNLABELED', 'sin clase', 'Sin_clase', 'sin-etiqueta', 'Sin clasificar'])
      expect(meansUnlabelled(name)).toBe(true);
    for (const name of ['cats', 'labelled', 'clase', 'unlabelled cats']) expect(meansUnlabelled(name)).toBe(false);
  });
});
