// Preferences as the Preferences screen edits them: the theme, the language and the data folder's move.
import type { DataFolderMove, GuideProgress, LanguageChoice, Settings, Theme } from '../../../preload/contract';
import type { Platform } from '../lib/api';
import { preferredLanguages, resolveLanguage, setLanguage, t } from '../lib/i18n/i18n.svelte';
import { attempt } from '../lib/result';
import { applyTheme } from '../lib/theme';

export class SettingsState {
  settings = $state<Settings | null>(null);
  error = $state('');
  /** The folder typed or chosen for the move. */
  target = $state('');
  moving = $state(false);
  moveError = $state('');
  moved = $state<DataFolderMove | null>(null);

  /** Counts changes made here, so settings read before one (Preferences loads them as it opens) do not undo it. */
  private changes = 0;

  constructor(private readonly platform: Platform) {}

  async load(): Promise<void> {
    const changes = this.changes;
    const settings = await attempt(this.platform.api.getSettings({}), (message) => (this.error = message));
    if (settings && changes === this.changes) {
      this.settings = settings;
      applyTheme(settings.theme);
      applyLanguage(settings.language, settings.systemLanguages);
    }
  }

  async setTheme(theme: Theme): Promise<void> {
    this.changes++;
    applyTheme(theme);
    const settings = await attempt(this.platform.api.setSettings({ theme }), (message) => (this.error = message));
    if (settings) this.settings = settings;
  }

  async setLanguage(language: LanguageChoice): Promise<void> {
    this.changes++;
    applyLanguage(language, this.settings?.systemLanguages);
    const settings = await attempt(this.platform.api.setSettings({ language }), (message) => (this.error = message));
    if (settings) this.settings = settings;
  }

  /** Records that the first-run guide was skipped or finished, so it does not start by itself again. */
  async setGuide(guide: GuideProgress): Promise<void> {
    this.changes++;
    const settings = await attempt(this.platform.api.setSettings({ guide }), (message) => (this.error = message));
    if (settings) this.settings = settings;
  }

  /** Desktop only: a native folder picker fills the target. */
  async choose(): Promise<void> {
    const folder = await attempt(
      this.platform.api.chooseFolder({ title: t('preferences.chooseTitle') }),
      (message) => (this.moveError = message),
    );
    if (folder) this.target = folder;
  }

  async move(): Promise<void> {
    this.moving = true;
    this.moveError = '';
    const moved = await attempt(this.platform.api.moveDataFolder({ path: this.target.trim() }), (message) => (this.moveError = message));
    this.moving = false;
    if (!moved) return;
    this.moved = moved;
    await this.load();
  }
}

// The desktop shell reports the OS's languages; a browser's navigator.languages is its person's own list.
function applyLanguage(choice: LanguageChoice, systemLanguages: readonly string[] | undefined): void {
  setLanguage(resolveLanguage(choice, preferredLanguages(systemLanguages, navigator.languages ?? [navigator.language])));
}
