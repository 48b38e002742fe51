// Where the guide's panel goes beside the element it explains: each side in turn, inside the window.
import { describe, expect, it } from 'vitest';
import { placeBeside } from '../../renderer/src/lib/anchor';

const view = { width: 1280, height: 900 };
const panel = { width: 340, height: 220 };

describe('placeBeside', () => {
  it('puts the panel to the right of a target with room there, aligned with its top', () => {
    expect(placeBeside({ left: 260, top: 140, width: 540, height: 100 }, panel, view)).toEqual({ left: 812, top: 140 });
  });

  it('goes left, then below, then above when the right is too narrow', () => {
    expect(placeBeside({ left: 900, top: 100, width: 300, height: 40 }, panel, view)).toEqual({ left: 548, top: 100 });
    expect(placeBeside({ left: 260, top: 100, width: 1000, height: 300 }, panel, view)).toEqual({ left: 260, top: 412 });
    expect(placeBeside({ left: 260, top: 600, width: 1000, height: 290 }, panel, view)).toEqual({ left: 260, top: 368 });
  });

  it('keeps the panel inside the window when the target is near the bottom', () => {
    const placed = placeBeside({ left: 10, top: 850, width: 200, height: 40 }, panel, view);
    expect(placed.top + panel.height).toBeLessThanOrEqual(view.height - 8);
    expect(placed.left).toBe(222);
  });

  it('where no side has room, covers as little of the target as it can', () => {
    // A wide target filling most of the window: the panel goes to the bottom-left corner, over the
    // sidebar and the target's bottom edge, not over its middle.
    const target = { left: 240, top: 20, width: 1020, height: 780 };
    const placed = placeBeside(target, panel, view);
    expect(placed).toEqual({ left: 8, top: 672 });
    const coveredHeight = target.top + target.height - placed.top;
    expect(coveredHeight).toBeLessThan(panel.height);
  });

  it('falls back to the bottom-right corner when no side has room', () => {
    expect(placeBeside({ left: 0, top: 0, width: 1280, height: 900 }, panel, view)).toEqual({ left: 932, top: 672 });
  });
});
