// The virtualised grid's geometry: it must draw only the rows on screen, whatever the total,
// map a drag box to the right cells, and step the keyboard focus within the list.
import { describe, expect, it } from 'vitest';
import { boxFrom, columnsFor, indicesInBox, rowCount, stepIndex, visibleRange } from '../../renderer/src/lib/grid-geometry';

const layout = { cell: 100, columns: 8, count: 50_000 };

describe('grid geometry', () => {
  it('fits whole cells into the width, at least one', () => {
    expect(columnsFor(850, 100)).toBe(8);
    expect(columnsFor(40, 100)).toBe(1);
  });

  it('draws only the visible rows plus the overscan, at the top and deep in a 50,000-image list', () => {
    expect(rowCount(layout)).toBe(6250);
    expect(visibleRange(layout, 0, 500, 2)).toEqual([0, 7 * 8]);
    const [first, last] = visibleRange(layout, 300_000, 500, 2);
    expect(first).toBe((3000 - 2) * 8);
    expect(last).toBe((3005 + 2) * 8);
    expect(last - first).toBeLessThan(100);
  });

  it('never goes past the end of a short last row', () => {
    const short = { cell: 100, columns: 8, count: 13 };
    expect(visibleRange(short, 0, 2000)).toEqual([0, 13]);
    expect(indicesInBox(short, boxFrom(0, 150, 799, 199))).toEqual([8, 9, 10, 11, 12]);
  });

  it('maps a drag box drawn in any direction to the cells it touches', () => {
    expect(indicesInBox(layout, boxFrom(250, 150, 50, 10))).toEqual([0, 1, 2, 8, 9, 10]);
    expect(indicesInBox(layout, boxFrom(-20, -20, 5, 5))).toEqual([0]);
  });

  it('steps the focus with arrows and paging keys, clamped to the list', () => {
    expect(stepIndex(layout, 0, 'ArrowLeft', 4)).toBe(0);
    expect(stepIndex(layout, 9, 'ArrowUp', 4)).toBe(1);
    expect(stepIndex(layout, 9, 'PageDown', 4)).toBe(41);
    expect(stepIndex(layout, 3, 'End', 4)).toBe(49_999);
    expect(stepIndex(layout, 49_999, 'ArrowDown', 4)).toBe(49_999);
    expect(stepIndex(layout, 5, 'x', 4)).toBeNull();
  });
});
