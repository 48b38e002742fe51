// electron-builder.yml checked against electron-builder's own JSON schema (app-builder-lib ships
// it), plus the choices packaging depends on: native modules unpacked, rebuild on, targets, icon.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Ajv from 'ajv';
import { load } from 'js-yaml';
import sharp from 'sharp';
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
        'node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm',
      ]),
    );
    expect(config.npmRebuild).toBe(true);
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
