// Where a small panel goes beside the element it explains: to its right if there is room, else
// its left, below, or above, always kept inside the window; where no side has room, the place
// inside the window that covers the least of the element.

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
export function placeBeside(
  target: Box,
  panel: { width: number; height: number },
  view: { width: number; height: number },
): { left: number; top: number } {
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
  // Nowhere beside it: of the corners and the sides pushed inside the window, the one that covers
  // the least of the target (the bottom-right corner when all cover as much).
  const maxLeft = view.width - panel.width - MARGIN;
  const maxTop = view.height - panel.height - MARGIN;
  const candidates = [
    { left: maxLeft, top: maxTop },
    { left: alignedLeft, top: clamp(below, MARGIN, maxTop) },
    { left: alignedLeft, top: clamp(above, MARGIN, maxTop) },
    { left: clamp(right, MARGIN, maxLeft), top: alignedTop },
    { left: clamp(left, MARGIN, maxLeft), top: alignedTop },
    { left: maxLeft, top: MARGIN },
    { left: MARGIN, top: maxTop },
    { left: MARGIN, top: MARGIN },
  ];
  const covered = (at: { left: number; top: number }) => overlap({ ...at, ...panel }, target);
  return candidates.reduce((best, candidate) => (covered(candidate) < covered(best) ? candidate : best));
}

/** Area shared by two boxes. */
function overlap(a: Box, b: Box): number {
  const width = Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left);
  const height = Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top);
  return width > 0 && height > 0 ? width * height : 0;
}
