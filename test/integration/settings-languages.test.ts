// The desktop shell's languages reach the screen through the settings: with the shell's hook,
// getSettings carries the operating system's languages (which "System" follows); without it (the
// browser host) there are none and the page uses navigator.languages.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { callOrThrow, createCapaService } from '../../main/core/service/service';
import type { DesktopHooks } from '../../main/core/service/service-types';
import { settingsFileIn } from '../../main/core/settings/settings';
import { preferredLanguages, resolveLanguage } from '../../common/messages/languages';
import { removeTempDirs, tempDir } from '../helpers/temp';

afterAll(() => removeTempDirs());

const hooks = (languages: string[]): DesktopHooks => ({
  reveal: () => {},
  chooseFolder: async () => null,
  dataFolderMoved: () => {},
  systemLanguages: () => languages,
});

describe('the system languages in the settings', () => {
  it('carries the desktop shell\'s languages, which "System" then follows', async () => {
    const userData = tempDir('capa-languages-');
    const capa = createCapaService({
      dataDir: join(userData, 'projects'),
      host: 'electron',
      settingsFile: settingsFileIn(userData),
      desktop: hooks(['es-419', 'en-US']),
    });
    const settings = await callOrThrow(capa, 'getSettings', {});
    expect(settings.systemLanguages).toEqual(['es-419', 'en-US']);
    expect(settings.language).toBe('system');
    expect(resolveLanguage(settings.language, preferredLanguages(settings.systemLanguages, ['en-US']))).toBe('es');
    // A chosen language is kept, and the system's list still travels with every answer.
    const chosen = await callOrThrow(capa, 'setSettings', { language: 'en' });
    expect(chosen.systemLanguages).toEqual(['es-419', 'en-US']);
    expect(resolveLanguage(chosen.language, preferredLanguages(chosen.systemLanguages, ['es']))).toBe('en');
    await capa.close();
  });

  it("has none without the desktop shell, so the page's own languages are used", async () => {
    const userData = tempDir('capa-languages-');
    const capa = createCapaService({ dataDir: join(userData, 'projects'), host: 'browser' });
    const settings = await callOrThrow(capa, 'getSettings', {});
    expect(settings.systemLanguages).toBeUndefined();
    expect(resolveLanguage(settings.language, preferredLanguages(settings.systemLanguages, ['es-AR']))).toBe('es');
    await capa.close();
  });
});
