// The app's language: the screens' words of every catalogue folder (common/messages/<code>/screens.json) served by i18next, with a rune so
// that changing the language re-renders every text that went through t() without a reload.
import i18next, { type TFunction } from 'i18next';
import type { Said } from '../../../../preload/contract';
import { sayIn } from '../../../../common/messages/said';
import * as ALL from '../../../../common/messages/all-languages';
import { LANGUAGES, systemLanguage, type Language } from '../../../../common/messages/languages';

export {
  LANGUAGES,
  LANGUAGE_NAMES,
  preferredLanguages,
  resolveLanguage,
  systemLanguage,
  type Language,
} from '../../../../common/messages/languages';

const instance = i18next.createInstance();
void instance.init({
  // The screens' own words; the sentences the main side makes are said by say() below.
  resources: Object.fromEntries(LANGUAGES.map((code) => [code, { translation: ALL[code].screens }])),
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
 * the core catalogue by its key (the core's own sayIn, so the screen and the desktop shell say it
 * alike), or its English text when it has no key (a library's own message).
 */
export function say(sentence: Said): string {
  return sayIn(current.value, sentence);
}

// The first frame follows the system; the saved choice replaces it once the settings load.
if (typeof navigator !== 'undefined') setLanguage(systemLanguage(navigator.languages ?? [navigator.language]));
