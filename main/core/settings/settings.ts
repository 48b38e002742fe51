// The user's preferences in a small JSON file next to the data folder (in the per-user app
// folder): the colour theme, the language, whether the first-run guide was done and, once moved, where the data folder is. Read at every start by
// defaultDataDir, written atomically so a crash mid-write never leaves half a file.
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomicallySync } from '../files/atomic';
import { LANGUAGE_CHOICES } from '../../../common/messages/languages';
import { GUIDE_PROGRESS, THEMES } from '../../../common/settings/choices';
import type { GuideProgress, LanguageChoice, Theme } from '../../../preload/contract-settings';

/** Name of the preferences file inside the per-user app folder. */
export const SETTINGS_FILE_NAME = 'settings.json';

const stored = z.object({
  theme: z.enum(THEMES).catch('system'),
  language: z.enum(LANGUAGE_CHOICES).catch('system'),
  guide: z.enum(GUIDE_PROGRESS).catch('new'),
  dataDirectory: z
    .string()
    .refine((path) => isAbsolute(path) && !path.includes('\0'))
    .optional()
    .catch(undefined),
});

/** What the file holds; every field is optional on disk and defaulted on read. */
export interface StoredSettings {
  /** Colour theme. */
  theme: Theme;
  /** Interface language. */
  language: LanguageChoice;
  /** Whether the first-run guide was skipped or finished. */
  guide: GuideProgress;
  /** Where the data folder was moved to; absent while it is the default one. */
  dataDirectory?: string;
}

/** The preferences file of a per-user app folder (Electron's userData). */
export const settingsFileIn = (userData: string): string => join(userData, SETTINGS_FILE_NAME);

/** What a new or unreadable file means. */
export const DEFAULT_SETTINGS: StoredSettings = { theme: 'system', language: 'system', guide: 'new' };

/** Reads the file; a missing, unreadable or damaged file gives the defaults (preferences are never worth a failed start). */
export function readSettings(file: string): StoredSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
  const parsed = stored.safeParse(raw);
  if (!parsed.success) return { ...DEFAULT_SETTINGS };
  const { theme, language, guide, dataDirectory } = parsed.data;
  return dataDirectory === undefined ? { theme, language, guide } : { theme, language, guide, dataDirectory };
}

/** Writes the file through a temporary file and a rename, so readers see the old or the new one. */
export function writeSettings(file: string, settings: StoredSettings): void {
  writeFileAtomicallySync(file, `${JSON.stringify({ version: 1, ...settings }, null, 2)}\n`);
}
