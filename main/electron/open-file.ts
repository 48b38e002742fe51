// Which Capa project archive a launch asks to open: a `.capa` path among the command-line
// arguments (Windows, Linux, and a second launch), or macOS's 'open-file' event.
import { isAbsolute, resolve } from 'node:path';

/** The extension electron-builder.yml associates with Capa. */
export const PROJECT_ARCHIVE_EXTENSION = '.capa';

/** The first argument that names a .capa file, made absolute against the launch's working folder; null when none does. */
export function projectArchiveFromArgv(argv: readonly string[], cwd: string): string | null {
  // argv[0] is the executable (and argv[1] the app folder in development); flags start with '-'.
  for (const arg of argv.slice(1)) {
    if (arg.startsWith('-') || !arg.toLowerCase().endsWith(PROJECT_ARCHIVE_EXTENSION) || arg.includes('\0')) continue;
    return isAbsolute(arg) ? arg : resolve(cwd, arg);
  }
  return null;
}
