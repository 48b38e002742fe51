// "System" follows the operating system's languages: the desktop shell's list (Electron's
// app.getPreferredSystemLanguages() and app.getLocale(), carried in the settings) when it gave
// one, the page's navigator.languages otherwise (the browser host).
import { describe, expect, it } from 'vitest';
import { preferredLanguages, resolveLanguage } from '../../common/messages/languages';

describe('the system language', () => {
  it("follows the desktop shell's languages over the page's", () => {
    expect(resolveLanguage('system', preferredLanguages(['es-ES', 'es'], ['en-US']))).toBe('es');
    expect(resolveLanguage('system', preferredLanguages(['en-GB', 'es-MX'], ['es']))).toBe('en');
    // A system language Capa does not speak gives way to the next one it does.
    expect(resolveLanguage('system', preferredLanguages(['fr-FR', 'es-AR', 'en'], ['en']))).toBe('es');
  });

  it("uses the page's languages in a browser, or when the shell reported none", () => {
    expect(resolveLanguage('system', preferredLanguages(undefined, ['es-CO', 'en']))).toBe('es');
    expect(resolveLanguage('system', preferredLanguages([], ['es-CO']))).toBe('es');
    expect(resolveLanguage('system', preferredLanguages(undefined, ['de-DE']))).toBe('en');
  });

  it('keeps a chosen language whatever the system says', () => {
    expect(resolveLanguage('en', preferredLanguages(['es-ES'], ['es']))).toBe('en');
    expect(resolveLanguage('es', preferredLanguages(['en-US'], ['en']))).toBe('es');
  });
});
