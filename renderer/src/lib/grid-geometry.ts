// Geometry of the virtualised thumbnail grid: which cells are visible and which a drag box covers.
// Pure functions, so the grid renders only what is on screen whatever the number of images.

/** Size of the grid's layout, in CSS pixels. */
export interface GridLayout {
  /** Width and height of one cell including its gap. */
  cell: number;
  /** Cells per row. */
  columns: number;
  /** Number of cells (images) in the list. */
  count: number;
}

/** Cells per row for a viewport width (at least one). */
export function columnsFor(width: number, cell: number): number {
  return Math.max(1, Math.floor(width / cell));
}

/** Rows needed for the whole list. */
export function rowCount(layout: GridLayout): number {
  return Math.ceil(layout.count / layout.columns);
}

/** Indices [first, last) of the cells drawn for a scroll position, with `overscan` extra rows each side. */
export function visibleRange(layout: GridLayout, scrollTop: number, height: number, overscan = 2): [number, number] {
  const firstRow = Math.max(0, Math.floor(scrollTop / layout.cell) - overscan);
  const lastRow = Math.min(rowCount(layout), Math.ceil((scrollTop + height) / layout.cell) + overscan);
  return [Math.min(layout.count, firstRow * layout.columns), Math.min(layout.count, lastRow * layout.columns)];
}

/** A rectangle in the grid's content coordinates (scrolled content, not the viewport). */
export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The box spanned by two corner points, whichever way the pointer moved. */
export function boxFrom(x1: number, y1: number, x2: number, y2: number): Box {
  return { left: Math.min(x1, x2), top: Math.min(y1, y2), right: Math.max(x1, x2), bottom: Math.max(y1, y2) };
}

/** Indices of the cells a box touches, in order. */
export function indicesInBox(layout: GridLayout, box: Box): number[] {
  const out: number[] = [];
  const firstColumn = Math.max(0, Math.floor(box.left / layout.cell));
  const lastColumn = Math.min(layout.columns - 1, Math.floor(box.right / layout.cell));
  const firstRow = Math.max(0, Math.floor(box.top / layout.cell));
  const lastRow = Math.min(rowCount(layout) - 1, Math.floor(box.bottom / layout.cell));
  for (let row = firstRow; row <= lastRow; row++) {
    for (let column = firstColumn; column <= lastColumn; column++) {
      const index = row * layout.columns + column;
      if (index < layout.count) out.push(index);
    }
  }
  return out;
}

/** The index reached from `index` by an arrow or paging key, or null for other keys. */
export function stepIndex(layout: GridLayout, index: number, key: string, pageRows: number): number | null {
  const last = layout.count - 1;
  const clamp = (i: number) => Math.max(0, Math.min(last, i));
  switch (key) {
    case 'ArrowLeft':
      return clamp(index - 1);
    case 'ArrowRight':
      return clamp(index + 1);
    case 'ArrowUp':
      return clamp(index - layout.columns);
    case 'ArrowDown':
      return clamp(index + layout.columns);
    case 'PageUp':
      return clamp(index - layout.columns * pageRows);
    case 'PageDown':
      return clamp(index + layout.columns * pageRows);
    case 'Home':
      return 0;
    case 'End':
      return last;
    default:
      return null;
  }
}
