// The main window's size and position, remembered in a small JSON file in userData and restored
// only when it still lands on a connected display (a laptop unplugged from its monitor must not
// open Capa off-screen). Pure apart from the file, so it is tested without Electron.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomicallySync } from '../core/files/atomic';

/** A rectangle in screen coordinates, as Electron's Rectangle. */
export interface Bounds {
  /** Left edge. */
  x: number;
  /** Top edge. */
  y: number;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
}

/** What is remembered between sessions. */
export interface WindowState {
  /** Normal (not maximised) bounds. */
  bounds: Bounds;
  /** Whether the window was maximised. */
  maximized: boolean;
}

/** Name of the file in userData. */
export const WINDOW_STATE_FILE = 'window-state.json';
/** Smallest part of the window, in pixels each way, that must be on a display for it to be reachable. */
export const MIN_VISIBLE = 100;

const finite = z.number().finite();
const schema = z.object({
  bounds: z.object({ x: finite, y: finite, width: finite.positive(), height: finite.positive() }),
  maximized: z.boolean(),
});

/** The remembered state, or null when there is none or the file is damaged. */
export function readWindowState(userData: string): WindowState | null {
  try {
    const parsed = schema.safeParse(JSON.parse(readFileSync(join(userData, WINDOW_STATE_FILE), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Remembers the state (through a rename, so a crash never leaves half a file). */
export function writeWindowState(userData: string, state: WindowState): void {
  const file = join(userData, WINDOW_STATE_FILE);
  writeFileAtomicallySync(file, JSON.stringify(state));
}

const overlap = (a: Bounds, b: Bounds): { width: number; height: number } => ({
  width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
  height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
});

/**
 * The bounds to open with: the remembered ones when a large enough part of them is on one of the
 * displays' work areas (and no bigger than the largest one), else null (Electron then centres the default size).
 */
export function restorableBounds(
  state: WindowState | null,
  workAreas: readonly Bounds[],
  minimum: { width: number; height: number },
): Bounds | null {
  if (state === null) return null;
  const { bounds } = state;
  if (bounds.width < minimum.width || bounds.height < minimum.height) return null;
  const visible = workAreas.some((area) => {
    const shared = overlap(bounds, area);
    return shared.width >= MIN_VISIBLE && shared.height >= MIN_VISIBLE;
  });
  return visible ? bounds : null;
}
