// The app's language: English and Spanish message catalogues served by i18next, with a rune so
// that changing the language re-renders every text that went through t() without a reload.
import i18next, { type TFunction } from 'i18next';
import type { Said } from '../../../../preload/contract';
import { CORE_CATALOGUES } from '../../../../main/core/messages/catalogue';
import { readSaid } from '../../../../main/core/messages/said';
import en from './en.json';
import es from './es.json';
import { systemLanguage, type Language } from '../../../../main/core/messages/languages';

export { LANGUAGES, LANGUAGE_NAMES, preferredLanguages, resolveLanguage, systemLanguage, type Language } from '../../../../main/core/messages/languages';

const instance = i18next.createInstance();
void instance.init({
  // "translation": the screens' own words; "core": the sentences the main side makes (errors, warnings...).
  resources: {
    en: { translation: en, core: CORE_CATALOGUES.en },
    es: { translation: es, core: CORE_CATALOGUES.es },
  },
  lng: 'en',
  fallbackLng: 'en',
  initAsync: false,
  // Svelte escapes what it renders; escaping here too would show "&amp;".
  interpolation: { escapeValue: false },
  returnNull: false,
});

class CurrentLanguage {
  value = $state<Language>('en');
}
const current = new CurrentLanguage();

/** The language shown now (reactive: reading it in a template or $derived re-runs on change). */
export function language(): Language {
  return current.value;
}

/** Switches every text to another language and tells assistive technology through <html lang>. */
export function setLanguage(next: Language): void {
  void instance.changeLanguage(next);
  current.value = next;
  if (typeof document !== 'undefined') document.documentElement.lang = next;
}

/** The message for a key in the current language; keys are typed from en.json, so a misspelt one fails the type check. */
export const t: TFunction = new Proxy(instance.t, {
  apply(target, _this, args) {
    // Reading the rune makes every caller depend on the language.
    void current.value;
    return Reflect.apply(target, instance, args);
  },
});

/**
 * The message for a key built from data the core owns (a run comparison's field, a key's name), or
 * the core's English text when the catalogue has no entry for it yet, so a new one shows words, not a key.
 */
export function tOr(key: string, fallback: string): string {
  void current.value;
  return instance.exists(key) ? (instance.t as (key: string) => string)(key) : fallback;
}

/**
 * A sentence the main side made (an error, a warning, a log line), in the current language: from
 * the core catalogue by its key, or its English text when it has no key (a library's own message).
 */
export function say(sentence: Said): string {
  void current.value;
  return sayIn(sentence);
}

function sayIn(sentence: Said, lng?: string): string {
  // With its values: a plural key exists only as its forms ("x_one", "x_other"), found through its count.
  if (sentence.key && instance.exists(sentence.key, { ns: 'core', ...sentence.params })) {
    return (instance.t as (key: string, options: object) => string)(sentence.key, { ns: 'core', ...(lng ? { lng } : {}), ...sentence.params });
  }
  return sentence.message;
}

// "{{reason, said}}": a sentence inside another one's values (nested() in the core), said in the same language.
instance.services.formatter?.add('said', (value, lng) => sayIn(readSaid(String(value)), lng));

// The first frame follows the system; the saved choice replaces it once the settings load.
if (typeof navigator !== 'undefined') setLanguage(systemLanguage(navigator.languages ?? [navigator.language]));
