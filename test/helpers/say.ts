// A core sentence as a screen in a given language says it: the same catalogues and the same
// i18next call as the renderer's say() (renderer/src/lib/i18n), without Svelte.
import i18next from 'i18next';
import type { Said } from '../../preload/contract';
import { CORE_CATALOGUES } from '../../main/core/messages/catalogue';
import { readSaid } from '../../main/core/messages/said';

const instance = i18next.createInstance();
void instance.init({
  resources: { en: { core: CORE_CATALOGUES.en }, es: { core: CORE_CATALOGUES.es } },
  lng: 'en',
  fallbackLng: false,
  ns: ['core'],
  defaultNS: 'core',
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

// A sentence inside another one's values, said in the same language (as the renderer does).
instance.services.formatter?.add('said', (value, lng) => {
  const sentence = readSaid(String(value));
  return sentence.key ? sayIn(lng === 'es' ? 'es' : 'en', sentence) : sentence.message;
});

/** `sentence` in `language`, from its key; throws when the key is missing there, so a test sees it. */
export function sayIn(language: 'en' | 'es', sentence: Said): string {
  if (!sentence.key) throw new Error(`No key: "${sentence.message}"`);
  const t = instance.getFixedT(language) as (key: string, options?: object) => string;
  if (!instance.exists(sentence.key, { lng: language, ...sentence.params })) throw new Error(`${sentence.key} is not in the ${language} catalogue`);
  return t(sentence.key, sentence.params);
}
