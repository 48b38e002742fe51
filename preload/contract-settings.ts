// The preferences part of the contract, plus the operations only the desktop shell can carry out
// (revealing a folder, a native folder picker). Types only, plus the names.
import type { LanguageChoice } from '../common/messages/languages';
import type { GuideProgress, Theme } from '../common/settings/choices';
import type { Said } from '../common/messages/said';

// The closed lists are written once in common/ (themes, guide states; languages from the catalogue folders).
export type { GuideProgress, LanguageChoice, Theme };

/** The user's preferences as the Preferences screen shows them. */
export interface Settings {
  /** Colour theme. */
  theme: Theme;
  /** Interface language. */
  language: LanguageChoice;
  /** Whether the first-run guide was skipped or finished; it starts by itself only while 'new'. */
  guide: GuideProgress;
  /** The folder that holds every project (and its cache and downloaded files). */
  dataDirectory: string;
  /** Whether the data folder can be moved from Preferences in this session. */
  dataDirectoryMovable: boolean;
  /** Why it cannot be moved, as a sentence, when it cannot. */
  dataDirectoryFixedReason: Said | null;
  /** A move done in this session waits for a restart to take effect: the folder used after it. */
  pendingDataDirectory: string | null;
  /** Desktop only: the operating system's preferred languages (BCP 47 tags, first preferred), which "system" follows; a browser uses navigator.languages. */
  systemLanguages?: string[];
}

/** What moving the data folder did. */
export interface DataFolderMove {
  /** The folder the projects were copied from; it is kept, untouched. */
  from: string;
  /** The folder they were copied to and verified in. */
  to: string;
  /** Projects copied. */
  projects: number;
  /** Files copied and verified byte for byte. */
  files: number;
  /** Bytes copied. */
  bytes: number;
  /** The app must restart to open projects from the new folder (the desktop app does it by itself). */
  restartRequired: boolean;
}

/** Preferences and desktop-only operations. */
export interface SettingsOperations {
  /** The current preferences. */
  getSettings: { request: Record<string, never>; response: Settings };
  /** Changes the colour theme, the language or the guide's progress; what is left out stays as it was. */
  setSettings: { request: { theme?: Theme; language?: LanguageChoice; guide?: GuideProgress }; response: Settings };
  /** Copies every project to another folder, verifies the copy, then uses that folder from the next start. */
  moveDataFolder: { request: { path: string }; response: DataFolderMove };
  /** Desktop only: shows an export in the system file manager, named by its folder in the project's exports folder. */
  revealExport: { request: { projectId: string; folder: string }; response: null };
  /** Desktop only: a native folder picker; null when the person cancels. */
  chooseFolder: { request: { title: string }; response: string | null };
}

export const SETTINGS_OPERATION_NAMES = [
  'getSettings',
  'setSettings',
  'moveDataFolder',
  'revealExport',
  'chooseFolder',
] as const satisfies readonly (keyof SettingsOperations)[];
