// The core's message catalogues: every sentence the main side makes for a person (errors, field
// problems, warnings, log lines, undo descriptions, the desktop shell's menu and notifications),
// in each language, one file per area under common/messages/<code>/. The screen says them in the
// person's language; the CLI and logs read the English text.
import * as ALL from './all-languages';

/** The English catalogue; its keys type every message the core makes. */
export const CORE_EN = ALL.en.core;

/** Every language's catalogue, by language code (the languages of all-languages.ts). */
export const CORE_CATALOGUES: { readonly [L in keyof typeof ALL]: (typeof ALL)[L]['core'] } = Object.fromEntries(
  Object.entries(ALL).map(([code, language]) => [code, language.core]),
) as { readonly [L in keyof typeof ALL]: (typeof ALL)[L]['core'] };
