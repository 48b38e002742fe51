// A core sentence as a screen in a given language says it (common/messages/said.ts, the same
// catalogues and i18next call as the renderer's say()), strict: a sentence without a key, or one
// whose key the language lacks, throws, so a test sees it instead of reading the English fallback.
import type { Said } from '../../preload/contract';
import type { Language } from '../../common/messages/languages';
import { catalogued, sayIn as coreSayIn } from '../../common/messages/said';

/** `sentence` in `language`, from its key; throws when it has no key or the key is missing there. */
export function sayIn(language: Language, sentence: Said): string {
  if (!sentence.key) throw new Error(`No key: "${sentence.message}"`);
  if (!catalogued(language, sentence)) throw new Error(`${sentence.key} is not in the ${language} catalogue`);
  return coreSayIn(language, sentence);
}
