// Finding text of the wrong language on a screen: the catalogue messages of one language that the
// other words differently, searched for in what <main> shows (the sidebar is translated by its owner).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CORE_EN } from '../../common/messages/catalogue';
import { LANGUAGES, type Language } from '../../common/messages/languages';

/** A language of the catalogues. */
export type CatalogueLanguage = Language;

/** Dotted key -> message. */
export function flattenCatalogue(tree: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flattenCatalogue(value as object, path)) out.set(k, v);
  }
  return out;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Read as files: this helper is also compiled by the Node project, which does not take JSON modules.
const readJson = (...path: string[]) => JSON.parse(readFileSync(join(__dirname, '..', '..', ...path), 'utf8')) as object;
const CORE_AREAS = Object.keys(CORE_EN);
const catalogue = (language: CatalogueLanguage) => flattenCatalogue(readJson('common', 'messages', language, 'screens.json'));
/** The core's sentences (common/messages), by "core:<area>.<key>". */
const coreCatalogue = (language: CatalogueLanguage) =>
  flattenCatalogue(
    Object.fromEntries(CORE_AREAS.map((area) => [`core:${area}`, readJson('common', 'messages', language, `${area}.json`)])),
  );
/** One entry per language, derived from the one list of languages. */
const byLanguage = <T>(make: (language: Language) => T): Record<Language, T> =>
  Object.fromEntries(LANGUAGES.map((code) => [code, make(code)])) as Record<Language, T>;
/** The language a catalogue is compared with: English, or for English the next language. */
const otherThan = (language: Language): Language => (language === 'en' ? (LANGUAGES[1] ?? 'en') : 'en');
const CATALOGUES = byLanguage(catalogue);
const CORE = byLanguage(coreCatalogue);

/**
 * Messages of `language` that the other language words differently and that stand alone (no
 * {{variables}}). Single short words ("and", "max", "None") also occur in Keras notation such as
 * "(None, 32, 32, 3)" and are left out.
 */
function standalone(language: CatalogueLanguage): string[] {
  const other = CATALOGUES[otherThan(language)];
  return (
    [...CATALOGUES[language]]
      .filter(([key, text]) => !text.includes('{{') && other.get(key) !== text && (/\s/.test(text.trim()) || text.length >= 5))
      // The English names of spec fields are Keras's argument names, which the Model screen shows as code in every language.
      .filter(([key]) => !key.startsWith('runs.compare.fields.'))
      .map(([, text]) => text)
  );
}
const STANDALONE = byLanguage(standalone);

/**
 * The core's sentences of `language` that the other language words differently, as patterns: each
 * {{value}} matches any text, so "The image is {{width}}x{{height}} pixels…" finds "The image is
 * 9000x9000 pixels…". Only sentences with at least 12 letters of their own, so a bare value never matches.
 */
function corePatterns(language: CatalogueLanguage): RegExp[] {
  const other = CORE[otherThan(language)];
  // A value, or another sentence said inside this one ("…cannot be written: $t({{why}})").
  const placeholder = /\{\{[^}]*\}\}|\$t\([^)]*\)/g;
  return [...CORE[language]]
    .filter(([key, text]) => other.get(key) !== text && text.replace(placeholder, '').replace(/[^\p{L}]/gu, '').length >= 12)
    .map(
      ([, text]) =>
        new RegExp(
          text
            .split(placeholder)
            .map((part) => escape(part))
            .join('.+?'),
          'u',
        ),
    );
}
const CORE_PATTERNS = byLanguage(corePatterns);

/**
 * What reads the same in every language: code (usage snippets, file names) and the values of a run
 * comparison (spec values such as "validation" or "squash", as Keras and the spec file write them).
 */
const VERBATIM = ['pre', 'code', '[data-testid="run-compare"] td'].join(', ');

/** The catalogue messages of `language` visible in the page's <main>, leaving out the elements `skip` (a CSS selector list) selects. */
export async function catalogueTextShown(page: Page, language: CatalogueLanguage, skip = VERBATIM): Promise<string[]> {
  // A detached clone laid out off-screen, so innerText keeps what CSS shows and the folded panels the
  // caller opened. Passed as source: the Node project that also compiles this file has no DOM types.
  const text = (await page.evaluate(`(() => {
    const main = document.querySelector('main').cloneNode(true);
    main.querySelectorAll(${JSON.stringify(skip)}).forEach((node) => node.remove());
    document.body.append(main);
    main.style.position = 'absolute';
    const visible = main.innerText;
    main.remove();
    return visible;
  })()`)) as string;
  return [
    ...STANDALONE[language].filter((message) => new RegExp(`(?<!\\p{L})${escape(message)}(?!\\p{L})`, 'u').test(text)),
    ...CORE_PATTERNS[language].filter((pattern) => pattern.test(text)).map((pattern) => pattern.source),
  ];
}
