// Entry of `npm run package:dir`: an unpacked app in release/ via electron-builder, which needs
// the Electron binary (electron-builder copies it into the package).
import { join } from 'node:path';
import { findElectronBinary } from '../electron-binary';

/** The line printed when packaging cannot run on this machine. */
export const NO_ELECTRON_MESSAGE =
  'Packaging needs the Electron binary, which is not installed here (npm skips its download: see allowScripts in package.json). With internet access to GitHub, run `node node_modules/electron/install.js` once, then `npm run package:dir` again.';

async function main(): Promise<number> {
  const electron = findElectronBinary();
  if (!electron.ok) {
    console.error(NO_ELECTRON_MESSAGE);
    return 1;
  }
  const { build } = await import('electron-builder');
  // electron-builder.yml at the project root is read by default; --dir makes no installer.
  const outputs = await build({ dir: true, projectDir: join(__dirname, '..', '..', '..') });
  for (const output of outputs) console.log(output);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('Packaging failed:', error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
