// Preferences (theme, data folder) and the operations only the desktop shell can carry out.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Said } from '../../../preload/contract';
import type { Settings, SettingsOperations } from '../../../preload/contract-settings';
import { dataDirFromEnv } from './data-dir';
import { checkDestination, copyProjects, projectDirs } from './data-move';
import { CapaError } from '../../../common/messages/errors';
import { said, zodSays } from '../../../common/messages/said';
import { LANGUAGE_CHOICES } from '../../../common/messages/languages';
import { GUIDE_PROGRESS, THEMES } from '../../../common/settings/choices';
import { DEFAULT_SETTINGS, readSettings, writeSettings, type StoredSettings } from './settings';
import { empty, projectId, type HandlersOf, type SchemasOf, type ServiceContext } from '../service/context';

// A folder name, never a path: the renderer cannot point the file manager anywhere else.
const exportFolderName = z
  .string()
  .regex(/^[^/\\\0]{1,255}$/, zodSays('errors.settings.exportFolderSlashes'))
  .refine((name) => !name.startsWith('.'), zodSays('errors.settings.exportFolderDot'));

export const SETTINGS_REQUESTS: SchemasOf<SettingsOperations> = {
  getSettings: empty,
  setSettings: z
    .object({ theme: z.enum(THEMES).optional(), language: z.enum(LANGUAGE_CHOICES).optional(), guide: z.enum(GUIDE_PROGRESS).optional() })
    .strict(),
  moveDataFolder: z.object({ path: z.string().min(1).max(4096) }).strict(),
  revealExport: z.object({ projectId, folder: exportFolderName }).strict(),
  chooseFolder: z.object({ title: z.string().min(1).max(200) }).strict(),
};

export function settingsHandlers({ library, options }: ServiceContext): HandlersOf<SettingsOperations> {
  const file = options.settingsFile;
  // Without a file (a folder given by --data-dir or CAPA_DATA_DIR) preferences last for this session.
  let current: StoredSettings = file === undefined ? { ...DEFAULT_SETTINGS } : readSettings(file);
  let pending: string | null = null;
  const fixedReason = (): Said | null => {
    if (dataDirFromEnv() !== null) return said('errors.settings.fixedByEnvironment');
    if (file === undefined) return said('errors.settings.fixedByCommandLine');
    if (pending !== null) return said('errors.settings.fixedUntilRestart', { folder: pending });
    return null;
  };
  const view = (): Settings => ({
    theme: current.theme,
    language: current.language,
    guide: current.guide,
    dataDirectory: options.dataDir,
    dataDirectoryMovable: fixedReason() === null,
    dataDirectoryFixedReason: fixedReason(),
    pendingDataDirectory: pending,
    ...(options.desktop?.systemLanguages ? { systemLanguages: options.desktop.systemLanguages() } : {}),
  });
  const save = (next: StoredSettings): void => {
    if (file !== undefined) writeSettings(file, next);
    current = next;
  };
  const refuseWhileTraining = (): void => {
    for (const summary of library.list()) {
      const project = library.get(summary.id);
      if (project.runs.list().some((run) => run.status === 'running' || run.status === 'queued')) {
        throw new CapaError('busy', said('errors.settings.moveWhileTraining', { name: summary.name }));
      }
    }
  };

  return {
    getSettings: () => view(),
    setSettings: ({ theme, language, guide }) => {
      save({ ...current, theme: theme ?? current.theme, language: language ?? current.language, guide: guide ?? current.guide });
      return view();
    },
    moveDataFolder: async ({ path }) => {
      const reason = fixedReason();
      if (reason !== null) throw new CapaError('conflict', reason);
      refuseWhileTraining();
      const names = await projectDirs(options.dataDir);
      const to = await checkDestination(options.dataDir, path, names);
      // Closing every database checkpoints its write-ahead log, so the copied project.db is complete.
      library.close();
      const totals = await copyProjects(options.dataDir, to, names);
      save({ ...current, dataDirectory: to });
      pending = to;
      options.desktop?.dataFolderMoved(to);
      return { from: options.dataDir, to, ...totals, restartRequired: true };
    },
    revealExport: ({ projectId, folder }) => {
      const directory = join(library.get(projectId).paths.exports, folder);
      if (!existsSync(directory)) throw new CapaError('not-found', said('errors.settings.noExport', { folder }));
      if (options.desktop === undefined) throw new CapaError('unsupported', said('errors.settings.revealDesktopOnly'));
      options.desktop.reveal(directory);
      return null;
    },
    chooseFolder: ({ title }) => {
      if (options.desktop === undefined) throw new CapaError('unsupported', said('errors.settings.chooseDesktopOnly'));
      return options.desktop.chooseFolder(title);
    },
  };
}
