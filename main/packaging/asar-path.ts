// Paths inside a packaged app: files listed in electron-builder.yml's asarUnpack live beside the
// archive in app.asar.unpacked. Electron's fs finds them through app.asar, but worker threads and
// native code do not, so code that hands a folder to them maps it here first.
import { sep } from 'node:path';

/** The unpacked twin of a path inside app.asar; any other path unchanged. */
export function unpackedPath(path: string, separator: string = sep): string {
  return path.replace(`${separator}app.asar${separator}`, `${separator}app.asar.unpacked${separator}`);
}
