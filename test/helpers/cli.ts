// Runs the built CLI (npm test builds first) as a person types it, against one data folder.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

// From the TypeScript source (vitest) or from its compiled copy under out/ (the reliability runner).
const CLI = join(__dirname, __filename.endsWith('.ts') ? '../../out/main/cli/main.js' : '../../main/cli/main.js');

/** What a CLI call printed and its exit code. */
export interface CliResult {
  /** Exit code (0 on success). */
  code: number;
  /** Standard output, trimmed. */
  stdout: string;
  /** Standard error, trimmed. */
  stderr: string;
}

/** A `capa` function bound to `dataDir` (passed as --data-dir after the given arguments). */
export function cliFor(dataDir: string, env: NodeJS.ProcessEnv = process.env): (...args: string[]) => Promise<CliResult> {
  return async (...args) => {
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [CLI, ...args, '--data-dir', dataDir], { env });
      return { code: 0, stdout: stdout.trim(), stderr: '' };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout.trim(), stderr: failed.stderr.trim() };
    }
  };
}
