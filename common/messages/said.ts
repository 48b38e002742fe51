// Sentences the main side makes for a person: a key of the core catalogue with its values, and the
// English text for logs, the CLI and anything that cannot translate. The renderer says them again
// in the person's language from the same key (renderer/src/lib/i18n: say()); the desktop shell's
// own words (menu, notifications, dialogs) are said here with sayIn().
import i18next from 'i18next';
import { CORE_CATALOGUES, CORE_EN } from './catalogue';
import { LANGUAGES, type Language } from './languages';

/** Values a sentence names (a file, a count...), put into its words in each language. */
export type MessageParams = Record<string, string | number>;

/**
 * A sentence the main side made for a person. `message` is its English text (logs, the CLI); `key`
 * and `params` name it in the core catalogue (common/messages) so the screen says it in the
 * person's language. Text no catalogue holds (a library's own error) has no key and is shown as it is.
 */
export interface Said {
  message: string;
  key?: string;
  params?: MessageParams;
}

/** Dotted paths to every message of a catalogue tree, plural forms ("x_one", "x_other") named by their base key. */
type Paths<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${PluralBase<K>}` : Paths<T[K], `${P}${K}.`>;
}[keyof T & string];
type PluralBase<K extends string> = K extends `${infer B}_${'zero' | 'one' | 'two' | 'few' | 'many' | 'other'}` ? B : K;

/** Every key of the core catalogue; a misspelt key fails the type check. */
export type CoreKey = Paths<typeof CORE_EN>;

const core = i18next.createInstance();
void core.init({
  resources: Object.fromEntries(LANGUAGES.map((code) => [code, { core: CORE_CATALOGUES[code] }])),
  lng: 'en',
  ns: ['core'],
  defaultNS: 'core',
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});
const english = core.getFixedT('en') as (key: string, options?: object) => string;

// "{{reason, said}}": a value that is itself a sentence (nested()), said in the same language.
core.services.formatter?.add('said', (value, lng) => sayIn(LANGUAGES.find((code) => code === lng) ?? 'en', readSaid(String(value))));

/** Whether `language`'s catalogue holds the sentence's key (a plural key is found through its count). */
export function catalogued(language: Language, sentence: Said): boolean {
  return sentence.key !== undefined && core.exists(sentence.key, { lng: language, ...sentence.params });
}

/** `sentence` in `language`, from its key; its English text when it has none (a library's own message). */
export function sayIn(language: Language, sentence: Said): string {
  if (!catalogued(language, sentence)) return sentence.message;
  return (core.getFixedT(language) as (key: string, options?: object) => string)(sentence.key!, sentence.params);
}

/** A sentence as the value of another one ("{{reason, said}}" in the catalogue), so each language says both. */
export function nested({ message, key, params }: Said): string {
  return storeSaid({ message, ...(key ? { key } : {}), ...(params ? { params } : {}) });
}

/** A sentence for a person: the catalogue key, its values, and its English text. */
export function said(key: CoreKey, params?: MessageParams): Said {
  const message = english(key, params);
  return params ? { message, key, params } : { message, key };
}

/**
 * A sentence where a library takes only text (a zod schema's message): stored as JSON, read back
 * with readSaid where the problem is reported (parseSpec, requestIssue).
 */
export const zodSays = (key: CoreKey, params?: MessageParams): string => storeSaid(said(key, params));

/** A sentence as stored in a text column (JSON of key and values); old rows hold plain text. */
export function storeSaid(value: Said): string {
  return JSON.stringify(value);
}

/** Reads a stored sentence back; plain text from before sentences had keys comes back as it is. */
export function readSaid(stored: string): Said {
  if (stored.startsWith('{')) {
    try {
      const value = JSON.parse(stored) as Partial<Said>;
      if (typeof value.message === 'string') return value as Said;
    } catch {
      // Not JSON after all: a plain sentence that begins with a brace.
    }
  }
  return { message: stored };
}
