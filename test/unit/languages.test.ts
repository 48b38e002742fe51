// Languages and themes are written once: the languages are the catalogue folders named in
// common/messages/all-languages.ts, the themes and guide states common/settings/choices.ts. This
// derives the lists from the files and fails when a second copy of either appears in the code.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CORE_CATALOGUES } from '../../common/messages/catalogue';
import { LANGUAGE_CHOICES, LANGUAGE_NAMES, LANGUAGES } from '../../common/messages/languages';
import { THEMES } from '../../common/settings/choices';
import { readSettings } from '../../main/core/settings/settings';
import { removeTempDirs, tempDir } from '../helpers/temp';

afterAll(removeTempDirs);

const ROOT = join(__dirname, '..', '..');
const MESSAGES = join(ROOT, 'common', 'messages');
/** Where the application's code lives (tests may name languages to test them). */
const SCANNED = ['common', 'main', 'preload', 'renderer/src'];
/** The one home of each list. */
const HOMES = new Set(['common/messages/all-languages.ts', 'common/settings/choices.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|svelte|mts)$/.test(entry.name) ? [path] : [];
  });
}

const quoted = (words: readonly string[]) => `['"](?:${words.join('|')})['"]`;
/** Two or more of `words`, quoted and joined by commas or bars: a list or a union of them. */
const listOf = (words: readonly string[]) => new RegExp(`${quoted(words)}\\s*[,|]\\s*${quoted(words)}`);

/** Lines of `text` that write out a list of languages or of themes. */
export function secondCopies(text: string): string[] {
  const patterns = [listOf(LANGUAGES), listOf(THEMES.filter((theme) => theme !== 'system'))];
  return text.split('\n').filter((line) => patterns.some((pattern) => pattern.test(line)));
}

describe('languages and themes, written once', () => {
  it('the languages are the catalogue folders, each with the core areas, the screens words and its name', () => {
    const folders = readdirSync(MESSAGES, { withFileTypes: true })
      .filter((e) => e.isDirectory() && existsSync(join(MESSAGES, e.name, 'index.ts')))
      .map((e) => e.name);
    expect([...LANGUAGES].sort()).toEqual(folders.sort());
    expect(LANGUAGES[0]).toBe('en');
    // The screens' words live in the folder too, not in a second list of files elsewhere.
    expect(readdirSync(join(ROOT, 'renderer', 'src', 'lib', 'i18n')).filter((f) => f.endsWith('.json'))).toEqual([]);
    for (const code of LANGUAGES) {
      const files = readdirSync(join(MESSAGES, code))
        .filter((f) => f.endsWith('.json'))
        .map((f) => f.replace('.json', ''));
      expect(files, code).toContain('screens');
      expect(Object.keys(CORE_CATALOGUES[code]).sort(), code).toEqual(files.filter((f) => f !== 'screens').sort());
      expect(LANGUAGE_NAMES[code], code).toMatch(/\p{L}/u);
    }
    expect(LANGUAGE_CHOICES).toEqual(['system', ...LANGUAGES]);
  });

  it('the settings file takes every language and theme of the lists, and nothing else', () => {
    const file = join(tempDir(), 'settings.json');
    for (const language of LANGUAGE_CHOICES) {
      for (const theme of THEMES) {
        writeFileSync(file, JSON.stringify({ theme, language }));
        expect(readSettings(file)).toMatchObject({ theme, language });
      }
    }
    writeFileSync(file, JSON.stringify({ theme: 'sepia', language: 'tlh' }));
    expect(readSettings(file)).toMatchObject({ theme: 'system', language: 'system' });
  });

  it('finds a planted second copy, so the check below can fail', () => {
    expect(secondCopies("export type LanguageChoice = 'system' | 'en' | 'es';")).toHaveLength(1);
    expect(secondCopies("const THEMES = ['system', 'light', 'dark'];")).toHaveLength(1);
    expect(secondCopies("language === 'en' ? 'light' : x")).toEqual([]);
  });

  it('no module of the application writes the lists a second time', () => {
    const found = SCANNED.flatMap((dir) =>
      sourceFiles(join(ROOT, dir))
        .filter((path) => !HOMES.has(relative(ROOT, path)))
        .flatMap((path) => secondCopies(readFileSync(path, 'utf8')).map((line) => `${relative(ROOT, path)}: ${line.trim()}`)),
    );
    expect(found).toEqual([]);
  });
});
