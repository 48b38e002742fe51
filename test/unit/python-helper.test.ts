// Every test and bench that runs Python goes through test/helpers/python.ts (one Python, named
// /usr/bin/python3, and one way to skip with a reason): no other file under test/ starts one.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const TEST = join(__dirname, '..');
const HELPER = 'helpers/python.ts';
/** This file, whose planted examples name python3. */
const SELF = 'unit/python-helper.test.ts';

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name.startsWith('.') ? [] : files(path);
    return /\.(ts|mts|mjs|js)$/.test(entry.name) ? [path] : [];
  });
}

/** Lines that start a Python of their own: a python executable named to spawn/exec, or child_process next to one. */
export function ownPython(text: string): string[] {
  return text
    .split('\n')
    .filter(
      (line) =>
        /\b(spawn|spawnSync|exec|execSync|execFile|execFileSync)\s*\(\s*['"`][^'"`]*python/.test(line) ||
        /['"`](\/usr\/bin\/)?python3?['"`]/.test(line),
    );
}

describe('the Python helper', () => {
  it('finds a planted Python of its own, so the check below can fail', () => {
    expect(ownPython("execFileSync('python3', ['-m', 'py_compile', file])")).toHaveLength(1);
    expect(ownPython("const PYTHONS = [process.env.PYTHON, 'python3', '/usr/bin/python3'];")).toHaveLength(1);
    expect(ownPython("import { runPython } from '../helpers/python';")).toEqual([]);
  });

  it('is the only file under test/ that starts Python', () => {
    const found = files(TEST)
      .filter((path) => ![HELPER, SELF].includes(relative(TEST, path)))
      .flatMap((path) => ownPython(readFileSync(path, 'utf8')).map((line) => `${relative(TEST, path)}: ${line.trim()}`));
    expect(found).toEqual([]);
  });
});
