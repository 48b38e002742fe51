// Finds the Electron binary from plain Node. The `electron` npm package exports the binary's path,
// and throws when its postinstall download never happened (as on the build machines).
import { existsSync } from 'node:fs';

/** Loads a module by name; `require` in production, a fake in tests. */
export type RequireFn = (id: string) => unknown;

/** Why there is no usable Electron binary, or its path. */
export type ElectronBinary = { ok: true; path: string } | { ok: false; reason: string };

/** The Electron binary's path if it is installed and present on disk. */
export function findElectronBinary(requireFn: RequireFn = require, exists: (path: string) => boolean = existsSync): ElectronBinary {
  let resolved: unknown;
  try {
    resolved = requireFn('electron');
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  // Inside Electron itself, require('electron') is the API object, not a path.
  if (typeof resolved !== 'string') return { ok: false, reason: 'require("electron") did not return a path' };
  if (!exists(resolved)) return { ok: false, reason: `${resolved} does not exist` };
  return { ok: true, path: resolved };
}
