// Which languages Capa speaks and which one a system's preferences mean. Plain functions (no
// runes), shared by the renderer's i18n module, the desktop shell's menu and the tests.

/** The languages Capa is written in; each has the screens' catalogue renderer/src/lib/i18n/<code>.json and the core's folder <code>/ next to this file. */
export const LANGUAGES = ['en', 'es'] as const;
/** One of the languages Capa is written in. */
export type Language = (typeof LANGUAGES)[number];
/** The language a person chose: one Capa speaks, or whatever the system prefers. */
export type LanguageChoice = 'system' | Language;

/** Each language's name, in that language (a person looks for their own). */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', es: 'Español' };

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
