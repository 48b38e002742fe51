// Which languages Capa speaks and which one a system's preferences mean, derived from the one
// list in all-languages.ts. Plain functions (no runes), shared by the renderer's i18n module, the
// settings schema, the contract's types, the desktop shell's menu and the tests.
import * as ALL from './all-languages';

/** One of the languages Capa is written in. */
export type Language = keyof typeof ALL;

/** The languages Capa is written in, English (the fallback) first; each has its catalogue folder <code>/ next to this file (the core's sentences and the screens' screens.json). */
export const LANGUAGES = (Object.keys(ALL) as Language[]).sort((a, b) => Number(b === 'en') - Number(a === 'en')) as [
  Language,
  ...Language[],
];

/** Each language's name, in that language (a person looks for their own). */
export const LANGUAGE_NAMES = Object.fromEntries(LANGUAGES.map((code) => [code, ALL[code].name])) as Record<Language, string>;

/** The interface language a person chooses: following the operating system, or always one language. */
export const LANGUAGE_CHOICES = ['system', ...LANGUAGES] as const satisfies readonly string[];
/** A choice of LANGUAGE_CHOICES. */
export type LanguageChoice = 'system' | Language;

/** The language to use when following the system: the first preferred one Capa speaks (any es-* is Spanish), else English. */
export function systemLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    const known = LANGUAGES.find((code) => code === base);
    if (known) return known;
  }
  return 'en';
}

/** The system's preferred languages: the desktop shell's list when it gave one, else the page's own (a browser's). */
export function preferredLanguages(desktop: readonly string[] | undefined, page: readonly string[]): readonly string[] {
  return desktop && desktop.length > 0 ? desktop : page;
}

/** The language a choice means on this system. */
export function resolveLanguage(choice: LanguageChoice, preferred: readonly string[]): Language {
  return choice === 'system' ? systemLanguage(preferred) : choice;
}
