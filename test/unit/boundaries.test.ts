// The boundaries that `npm run lint` checks (.dependency-cruiser.cjs): each rule is shown to fail on a
// violation planted in a small tree of its own, and a tree that keeps to them passes. The real tree
// is checked by `npm run lint` itself, part of `npm test`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../helpers/temp';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

let tree: string;

function write(file: string, text: string): void {
  mkdirSync(dirname(join(tree, file)), { recursive: true });
  writeFileSync(join(tree, file), text);
}

/** The violations dependency-cruiser finds among `files` (repository-relative), with the project's rules. */
function violations(files: string[]): Violation[] {
  const run = spawnSync(process.execPath, [CLI, ...files, '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json'], {
    cwd: tree,
    encoding: 'utf8',
  });
  expect(run.stdout, run.stderr).not.toBe('');
  return (JSON.parse(run.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

const rulesBroken = (files: string[]) => [...new Set(violations(files).map((v) => v.rule.name))].sort();

beforeAll(() => {
  tree = tempDir('capa-boundaries-');
  // The packages resolve as they do in the project.
  symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'), 'dir');
  write('tsconfig.node.json', JSON.stringify({ compilerOptions: { module: 'Node16', moduleResolution: 'Node16', strict: true } }));
  write('preload/contract.ts', "import type { Said } from '../common/messages/said';\nexport interface Reply { said: Said }\n");
  write('common/messages/said.ts', 'export interface Said { message: string }\n');
  write(
    'main/core/area/thing.ts',
    "import type { Reply } from '../../../preload/contract';\nexport const thing = (r: Reply) => r.said.message;\n",
  );
  write(
    'renderer/src/ok.ts',
    "import type { Reply } from '../../preload/contract';\nimport type { Said } from '../../common/messages/said';\nexport const ok = (r: Reply, s: Said) => r.said.message + s.message;\n",
  );
  write('main/trainer/engine.ts', "import * as tf from '@tensorflow/tfjs';\nexport const engine = tf;\n");
});

afterAll(removeTempDirs);

describe('the boundaries lint', () => {
  it('passes a tree that keeps to every rule', () => {
    expect(violations(['preload', 'common', 'main', 'renderer'])).toEqual([]);
  });

  it('fails a renderer module that imports main/ or the preload bridge', () => {
    write('renderer/src/bad-main.ts', "import { thing } from '../../main/core/area/thing';\nexport const bad = thing;\n");
    write('preload/bridge.ts', 'export const bridge = 1;\n');
    write('renderer/src/bad-bridge.ts', "import { bridge } from '../../preload/bridge';\nexport const bad = bridge;\n");
    expect(rulesBroken(['renderer/src/bad-main.ts', 'renderer/src/bad-bridge.ts'])).toEqual(['renderer-imports-contract-and-common']);
  });

  it('fails a Svelte component that imports a Node built-in', () => {
    write(
      'renderer/src/components/Bad.svelte',
      '<script lang="ts">\n  import { readFileSync } from \'node:fs\';\n  readFileSync;\n</script>\n\n<p>bad</p>\n',
    );
    expect(rulesBroken(['renderer/src/components/Bad.svelte'])).toEqual(['renderer-no-node-or-engines']);
  });

  it('fails a renderer module that imports TensorFlow.js or SQLite', () => {
    write(
      'renderer/src/bad-tf.ts',
      "import * as tf from '@tensorflow/tfjs';\nimport Database from 'better-sqlite3';\nexport const bad = [tf, Database];\n",
    );
    expect(rulesBroken(['renderer/src/bad-tf.ts'])).toEqual(['renderer-no-native-packages', 'tensorflow-only-in-the-trainer']);
  });

  it('fails a common/ module that is not pure', () => {
    write('common/bad-node.ts', "import { join } from 'node:path';\nexport const bad = join;\n");
    write('common/bad-sqlite.ts', "import Database from 'better-sqlite3';\nexport const bad = Database;\n");
    write('common/bad-contract.ts', "import type { Reply } from '../preload/contract';\nexport type Bad = Reply;\n");
    expect(rulesBroken(['common/bad-node.ts'])).toEqual(['common-is-pure']);
    expect(rulesBroken(['common/bad-sqlite.ts'])).toEqual(['common-no-native-packages']);
    expect(rulesBroken(['common/bad-contract.ts'])).toContain('common-imports-only-common');
  });

  it('fails a contract that imports main/ or a package', () => {
    write(
      'preload/contract-bad.ts',
      "import type { thing } from '../main/core/area/thing';\nimport { z } from 'zod';\nexport type Bad = typeof thing;\nexport const schema = z.string();\n",
    );
    expect(rulesBroken(['preload/contract-bad.ts'])).toEqual(['contract-imports-only-contract-and-common', 'contract-is-pure']);
  });

  it('fails main/core importing electron, and anything but the trainer importing TensorFlow.js', () => {
    write('main/core/area/shell.ts', "import { app } from 'electron';\nexport const shell = app;\n");
    write('main/core/area/tf.ts', "import * as tf from '@tensorflow/tfjs';\nexport const bad = tf;\n");
    expect(rulesBroken(['main/core/area/shell.ts'])).toEqual(['core-no-electron']);
    expect(rulesBroken(['main/core/area/tf.ts'])).toEqual(['tensorflow-only-in-the-trainer']);
    expect(rulesBroken(['main/trainer/engine.ts'])).toEqual([]);
  });

  it('fails an import cycle made of type-only imports', () => {
    write('main/core/area/a.ts', "import type { B } from './b';\nexport interface A { b?: B }\n");
    write('main/core/area/b.ts', "import type { A } from './a';\nexport interface B { a?: A }\n");
    expect(rulesBroken(['main/core/area/a.ts'])).toEqual(['no-circular']);
  });
});
