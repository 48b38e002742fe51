// electron-builder.yml checked against electron-builder's own JSON schema (app-builder-lib ships
// it), plus the choices packaging depends on: native modules unpacked, rebuild on, targets, icon.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Ajv from 'ajv';
import { load } from 'js-yaml';
import sharp from 'sharp';
import { findElectronBinary } from '../../main/electron-binary';
import { APP_USER_MODEL_ID } from '../../main/electron/window-options';
import { unpackedPath } from '../../main/packaging/asar-path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const require = createRequire(__filename);
const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

// electron-builder's schema uses a non-standard "typeof" keyword (for functions in JS configs) that strict Ajv rejects.
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

interface Target {
  target: string;
  arch: string[];
}
const targetsOf = (platform: string): Target[] => (config[platform] as { target: Target[] }).target;

describe('electron-builder.yml', () => {
  it('is valid against electron-builder 26 own schema', () => {
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('is a schema the test can fail: an unknown key or a wrong type is rejected', () => {
    expect(validate({ ...config, appIdd: 'x' })).toBe(false);
    expect(validate({ ...config, npmRebuild: 'yes' })).toBe(false);
  });

  it('names the app and its output folder', () => {
    expect(config.appId).toBe('app.capa.studio');
    // Windows notifications only show for the id the installer registered.
    expect(APP_USER_MODEL_ID).toBe(config.appId);
    expect(config.productName).toBe('Capa');
    expect((config.directories as { output: string }).output).toBe('release');
    expect(config.files).toEqual(expect.arrayContaining(['out/**', 'package.json']));
  });

  it('unpacks native modules and WebAssembly from the asar and rebuilds addons for Electron', () => {
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining([
        'node_modules/sharp/**',
        'node_modules/@img/**',
        'node_modules/@tensorflow/tfjs-node*/**',
        'node_modules/better-sqlite3/**',
        'node_modules/@tensorflow/tfjs-backend-wasm/dist/**',
        'node_modules/onnxruntime-node/bin/**',
      ]),
    );
    expect(config.npmRebuild).toBe(true);
  });

  it("ships only the target platform's ONNX Runtime binaries, and its CUDA download stays off", () => {
    const platforms = { win: 'win32', mac: 'darwin', linux: 'linux' } as const;
    for (const [key, own] of Object.entries(platforms)) {
      const files = (config[key] as { files?: string[] }).files ?? [];
      const dropped = files.find((f) => f.startsWith('!node_modules/onnxruntime-node/bin/'));
      expect(dropped, key).toBeDefined();
      expect(dropped).not.toContain(own);
      for (const other of Object.values(platforms).filter((p) => p !== own)) expect(dropped).toContain(other);
    }
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
      allowScripts: Record<string, boolean>;
      dependencies: Record<string, string>;
    };
    expect(pkg.allowScripts['onnxruntime-node']).toBe(false);
    expect(pkg.dependencies['onnxruntime-node']).toBeDefined();
  });

  it('maps paths inside app.asar to their unpacked twins, and leaves others alone', () => {
    expect(unpackedPath('/opt/Capa/resources/app.asar/node_modules/@tensorflow/tfjs-backend-wasm/dist/', '/')).toBe(
      '/opt/Capa/resources/app.asar.unpacked/node_modules/@tensorflow/tfjs-backend-wasm/dist/',
    );
    expect(unpackedPath('C:\\Capa\\resources\\app.asar\\node_modules\\x', '\\')).toBe(
      'C:\\Capa\\resources\\app.asar.unpacked\\node_modules\\x',
    );
    expect(unpackedPath('/opt/capa/node_modules/x/app.asarx/y', '/')).toBe('/opt/capa/node_modules/x/app.asarx/y');
  });

  it('builds NSIS x64, DMG x64+arm64, AppImage and deb x64', () => {
    expect(targetsOf('win')).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(targetsOf('mac')).toEqual([{ target: 'dmg', arch: ['x64', 'arm64'] }]);
    expect(targetsOf('linux')).toEqual([
      { target: 'AppImage', arch: ['x64'] },
      { target: 'deb', arch: ['x64'] },
    ]);
  });

  it('associates .capa project archives', () => {
    expect(config.fileAssociations).toEqual([expect.objectContaining({ ext: 'capa', name: 'Capa project' })]);
  });

  it('points every platform at a 1024x1024 PNG icon under 200 KB', async () => {
    for (const platform of ['win', 'mac', 'linux']) {
      expect((config[platform] as { icon: string }).icon, platform).toBe('assets/icon.png');
    }
    const file = join(root, 'assets', 'icon.png');
    const meta = await sharp(file).metadata();
    expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({ format: 'png', width: 1024, height: 1024 });
    expect(readFileSync(file).byteLength).toBeLessThan(200 * 1024);
  });

  it('packages the entry package.json names', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string; build?: unknown };
    expect(pkg.main).toBe('out/main/electron/main.js');
    // A "build" key in package.json would silently override electron-builder.yml.
    expect(pkg.build).toBeUndefined();
  });
});

describe('.github/workflows/release.yml', () => {
  interface Step {
    name?: string;
    run?: string;
    uses?: string;
    if?: string;
  }
  interface Job {
    'runs-on': string;
    strategy?: { matrix: { include: { os: string; targets: string; chrome: string }[] } };
    steps: Step[];
  }
  const workflow = load(readFileSync(join(root, '.github', 'workflows', 'release.yml'), 'utf8')) as { jobs: Record<string, Job> };
  const job = workflow.jobs.installers!;
  const include = job.strategy!.matrix.include;
  const runIndex = (pattern: RegExp) => job.steps.findIndex((step) => pattern.test(step.run ?? ''));

  it('builds on each platform its own targets, the same as electron-builder.yml', () => {
    const byOs = Object.fromEntries(include.map((entry) => [entry.os, entry.targets]));
    expect(byOs).toEqual({
      'windows-latest': `--win ${targetsOf('win')
        .map((t) => t.target)
        .join(' ')} ${targetsOf('win')[0]!
        .arch.map((a) => `--${a}`)
        .join(' ')}`,
      'macos-latest': `--mac ${targetsOf('mac')
        .map((t) => t.target)
        .join(' ')} ${targetsOf('mac')[0]!
        .arch.map((a) => `--${a}`)
        .join(' ')}`,
      'ubuntu-latest': `--linux ${targetsOf('linux')
        .map((t) => t.target)
        .join(' ')} --x64`,
    });
  });

  it('installs, fetches Electron, tests, then packages without publishing', () => {
    const order = [/^npm ci$/, /electron\/install\.js/, /^npm test$/, /^npx electron-builder .* --publish never$/].map(runIndex);
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    for (const entry of include) expect(entry.chrome, entry.os).toMatch(/chrome/i);
  });
});

describe('npm run package:dir', () => {
  it.skipIf(findElectronBinary().ok)('stops with one clear line where the Electron binary is missing', () => {
    const result = spawnSync(process.execPath, [join(root, 'out', 'main', 'packaging', 'package-dir.js')], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    // (package-dir.js runs on import, so its message is matched here rather than imported.)
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^Packaging needs the Electron binary.*node node_modules\/electron\/install\.js.*package:dir/),
    ]);
    expect(result.stdout).toBe('');
  });
});
