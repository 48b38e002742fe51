// Debian's Python with h5py and onnx, the independent readers of the Keras and ONNX exports.
// The `python3` on PATH may be another one without them, so /usr/bin/python3 is named; tests
// that need a module skip with a printed reason where it is absent.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PYTHON = '/usr/bin/python3';

/** Null when `module` imports in Debian's Python, else why not (for a skip message). */
export function pythonModuleMissing(module: string): string | null {
  if (!existsSync(PYTHON)) return `${PYTHON} is absent`;
  const result = spawnSync(PYTHON, ['-c', `import ${module}`], { encoding: 'utf8' });
  return result.status === 0 ? null : `${PYTHON} cannot import ${module} (apt-get install python3-${module})`;
}

/** Runs a Python script with arguments and parses what it prints as JSON. */
export function runPython<T>(script: string, args: string[] = []): T {
  return JSON.parse(execFileSync(PYTHON, ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as T;
}

/** Checks a file is valid Python, returning the compiler's complaint or null. */
export function pyCompileError(file: string): string | null {
  const result = spawnSync(PYTHON, ['-m', 'py_compile', file], { encoding: 'utf8' });
  return result.status === 0 ? null : result.stderr;
}
