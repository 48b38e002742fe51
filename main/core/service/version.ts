// Capa's version, from the package.json above this file (the same from source, out/ and an asar).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findVersion(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'capa' && pkg.version) return pkg.version;
    }
  }
  return '0.0.0';
}

export const CAPA_VERSION = findVersion(__dirname);
