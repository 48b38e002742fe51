// Every test and bench that runs Python goes through here. Debian's Python has h5py and onnx, the
// independent readers of the Keras and ONNX exports; the `python3` on PATH may be another one
// without them, so /usr/bin/python3 is named. A test that needs Python or one of its modules skips
// with `it.skipIf(pythonModuleMissing(...) !== null)` and the printed reason where it is absent.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PYTHON = '/usr/bin/python3';

/** Null when Debian's Python is there, else why not (for a skip message). */
export function pythonMissing(): string | null {
  return existsSync(PYTHON) ? null : `${PYTHON} is absent`;
}

/** Null when `module` imports in Debian's Python, else why not (for a skip message). */
export function pythonModuleMissing(module: string): string | null {
  const missing = pythonMissing();
  if (missing) return missing;
  const result = spawnSync(PYTHON, ['-c', `import ${module}`], { encoding: 'utf8' });
  return result.status === 0 ? null : `${PYTHON} cannot import ${module} (apt-get install python3-${module})`;
}

/** Prints why a test is skipped (vitest's skipIf takes no reason) and returns whether to skip. */
export function skipWithoutPython(module?: string): boolean {
  const missing = module ? pythonModuleMissing(module) : pythonMissing();
  if (missing) console.warn(`Skipped: ${missing}`);
  return missing !== null;
}

/**
 * Runs `check` when `module` imports in Debian's Python, else prints why it was left out: for a
 * Python check inside a test that checks more than Python (the rest of the test still runs).
 */
export function whenPython(module: string, what: string, check: () => void): void {
  const missing = pythonModuleMissing(module);
  if (missing) console.warn(`Skipped ${what}: ${missing}`);
  else check();
}

/** Runs a Python script with arguments and parses what it prints as JSON. */
export function runPython<T>(script: string, args: string[] = []): T {
  return JSON.parse(execFileSync(PYTHON, ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as T;
}

/** Runs a Python script with arguments as it is, without a shell: its exit status and output. */
export function spawnPython(
  script: string,
  args: string[] = [],
  timeoutMs?: number,
): { status: number | null; stdout: string; stderr: string; error?: Error } {
  const result = spawnSync(PYTHON, ['-c', script, ...args], { encoding: 'utf8', timeout: timeoutMs });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '', error: result.error };
}

/** Checks a file is valid Python, returning the compiler's complaint or null. */
export function pyCompileError(file: string): string | null {
  const result = spawnSync(PYTHON, ['-m', 'py_compile', file], { encoding: 'utf8' });
  return result.status === 0 ? null : result.stderr;
}
