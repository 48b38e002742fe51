// Every language Capa speaks, one line each: its catalogue folder (core sentences and its name).
// This is the only list of languages; everything else derives from it (languages.ts), so adding
// a language is a folder common/messages/<code>/, the screens' file renderer/src/lib/i18n/<code>.json
// and a line here (docs/i18n.md). English comes first: it is the fallback.
export * as en from './en';
export * as es from './es';
