// The message catalogues (the screens' in common/messages/<code>/screens.json, the core's beside it)
// stay in step: every key of one language exists in the other (plural forms compared by their base
// key, each language carrying the forms its plural rules use), and a message names the same
// {{variables}} in both, so no screen shows a raw key or a lost number.
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import * as ALL from '../../common/messages/all-languages';
import { CORE_CATALOGUES } from '../../common/messages/catalogue';
import { said } from '../../common/messages/said';
import en from '../../common/messages/en/screens.json';
import es from '../../common/messages/es/screens.json';
import { LANGUAGES, resolveLanguage, systemLanguage, type Language } from '../../common/messages/languages';

/** Both sets of catalogues as one tree per language, the core's under "core:" as i18next names its namespace. */
const CATALOGUES = Object.fromEntries(LANGUAGES.map((code) => [code, { ...ALL[code].screens, 'core:': ALL[code].core }])) as Record<
  Language,
  unknown
>;
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/** Dotted key -> message, for every leaf of a catalogue. */
function flatten(tree: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof tree === 'string') return out.set(prefix, tree);
  if (typeof tree !== 'object' || tree === null || Array.isArray(tree)) throw new Error(`"${prefix}" is neither a message nor a group`);
  for (const [key, value] of Object.entries(tree)) for (const [k, v] of flatten(value, prefix ? `${prefix}.${key}` : key)) out.set(k, v);
  return out;
}

/** Base key -> the variables its messages use (all plural forms together) and the plural forms present. */
function messages(language: Language): Map<string, { variables: Set<string>; forms: Set<string> }> {
  const out = new Map<string, { variables: Set<string>; forms: Set<string> }>();
  for (const [key, text] of flatten(CATALOGUES[language])) {
    const base = key.replace(PLURAL_SUFFIX, '');
    const entry = out.get(base) ?? { variables: new Set(), forms: new Set() };
    const form = PLURAL_SUFFIX.exec(key)?.[1];
    if (form) entry.forms.add(form);
    // "{{count, number}}" names the variable "count" with a format.
    for (const match of text.matchAll(/\{\{\s*([\w.]+)\s*(?:,[^}]*)?\}\}/g)) entry.variables.add(match[1]!);
    out.set(base, entry);
  }
  return out;
}

describe('message catalogues', () => {
  const all = Object.fromEntries(LANGUAGES.map((language) => [language, messages(language)])) as Record<
    Language,
    ReturnType<typeof messages>
  >;

  it.each(LANGUAGES.flatMap((a) => LANGUAGES.filter((b) => b !== a).map((b) => [a, b] as const)))('every %s key exists in %s', (a, b) => {
    const missing = [...all[a].keys()].filter((key) => !all[b].has(key));
    expect(missing, `in ${a} but not in ${b}`).toEqual([]);
  });

  it.each(LANGUAGES)('%s names the same {{variables}} as English in every message', (language) => {
    const differing = [...all.en].filter(([key, { variables }]) => {
      const other = all[language].get(key)?.variables ?? new Set<string>();
      return [...variables].sort().join() !== [...other].sort().join();
    });
    expect(differing.map(([key]) => key)).toEqual([]);
  });

  it.each(LANGUAGES)('%s has every plural form its plural rules use, for every counted message', (language) => {
    const needed = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
    const lacking = [...all[language]].filter(([, { forms }]) => forms.size > 0 && needed.some((form) => !forms.has(form)));
    expect(lacking.map(([key, { forms }]) => `${key} has ${[...forms].join(', ')}; needs ${needed.join(', ')}`)).toEqual([]);
  });

  it.each(LANGUAGES)('%s has no empty message', (language) => {
    expect([...flatten(CATALOGUES[language])].filter(([, text]) => text.trim() === '').map(([key]) => key)).toEqual([]);
  });

  it("renders counts with each language's plural forms and number format through i18next", async () => {
    const i18n = i18next.createInstance();
    await i18n.init({ resources: { en: { translation: en }, es: { translation: es } }, lng: 'en', interpolation: { escapeValue: false } });
    expect(i18n.t('common.pictures', { count: 1 })).toBe('1 picture');
    expect(i18n.t('common.pictures', { count: 1234 })).toBe('1,234 pictures');
    await i18n.changeLanguage('es');
    expect(i18n.t('common.pictures', { count: 1 })).toBe('1 imagen');
    expect(i18n.t('common.pictures', { count: 12345 })).toBe('12.345 imágenes');
    expect(i18n.t('common.pictures', { count: 1_000_000 })).toBe('1.000.000 de imágenes');
  });
});

describe('sentences the core makes', () => {
  it('carry their key, values and English text, numbers formatted', () => {
    expect(said('errors.databaseCorrupt', { detail: 'file is not a database' })).toEqual({
      key: 'errors.databaseCorrupt',
      params: { detail: 'file is not a database' },
      message: 'The project database is damaged or is not a Capa database (file is not a database).',
    });
  });

  it('are said in Spanish from the same key and values', async () => {
    const i18n = i18next.createInstance();
    await i18n.init({
      resources: { es: { core: CORE_CATALOGUES.es } },
      lng: 'es',
      defaultNS: 'core',
      interpolation: { escapeValue: false },
    });
    const sentence = said('errors.databaseCorrupt', { detail: 'x' });
    expect(i18n.t(sentence.key!, sentence.params)).toBe('La base de datos del proyecto está dañada o no es una base de datos de Capa (x).');
  });
});

describe('language choice', () => {
  it('follows the first system language Capa speaks, Spanish for any es-*, else English', () => {
    expect(systemLanguage(['es-MX', 'en-US'])).toBe('es');
    expect(systemLanguage(['ES'])).toBe('es');
    expect(systemLanguage(['fr-FR', 'es-AR'])).toBe('es');
    expect(systemLanguage(['en-GB', 'es'])).toBe('en');
    expect(systemLanguage(['de-DE'])).toBe('en');
    expect(systemLanguage([])).toBe('en');
    expect(systemLanguage(['estonian-is-not-spanish'])).toBe('en');
  });

  it('uses a chosen language whatever the system says', () => {
    expect(resolveLanguage('en', ['es-ES'])).toBe('en');
    expect(resolveLanguage('es', ['en-US'])).toBe('es');
    expect(resolveLanguage('system', ['es-CO'])).toBe('es');
  });
});
