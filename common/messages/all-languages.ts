// Every language Capa speaks, one line each: its catalogue folder (the core's sentences, the
// screens' words and its own name). This is the only list of languages; everything else derives
// from it (languages.ts), so adding a language is a folder common/messages/<code>/ and a line here
// (docs/i18n.md). English is the fallback.
export * as en from './en';
export * as es from './es';
