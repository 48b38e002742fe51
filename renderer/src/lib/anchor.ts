// Where a small panel goes beside the element it explains: to its right if there is room, else
// its left, below, or above, always kept inside the window.

/** A box in window coordinates. */
export interface Box {
  /** Distance from the window's left edge. */
  left: number;
  /** Distance from the window's top edge. */
  top: number;
  /** Width. */
  width: number;
  /** Height. */
  height: number;
}

const GAP = 12;
const MARGIN = 8;

const clamp = (value: number, low: number, high: number) => Math.max(low, Math.min(value, Math.max(low, high)));

/** Top-left corner of a `panel`-sized box placed beside `target` inside a `view`-sized window. */
export function placeBeside(target: Box, panel: { width: number; height: number }, view: { width: number; height: number }): { left: number; top: number } {
  const fitsX = (left: number) => left >= MARGIN && left + panel.width <= view.width - MARGIN;
  const fitsY = (top: number) => top >= MARGIN && top + panel.height <= view.height - MARGIN;
  const alignedTop = clamp(target.top, MARGIN, view.height - panel.height - MARGIN);
  const alignedLeft = clamp(target.left, MARGIN, view.width - panel.width - MARGIN);
  const right = target.left + target.width + GAP;
  const left = target.left - GAP - panel.width;
  const below = target.top + target.height + GAP;
  const above = target.top - GAP - panel.height;
  if (fitsX(right)) return { left: right, top: alignedTop };
  if (fitsX(left)) return { left, top: alignedTop };
  if (fitsY(below)) return { left: alignedLeft, top: below };
  if (fitsY(above)) return { left: alignedLeft, top: above };
  // Nowhere beside it: the bottom-right corner, over the page.
  return { left: view.width - panel.width - MARGIN, top: view.height - panel.height - MARGIN };
}
