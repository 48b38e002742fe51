// WCAG AA contrast of the main text/background pairs of both palettes, computed from the CSS
// variables in renderer/src/app.css (the light one under :root, the dark one under
// :root[data-theme='dark']), so a palette change that makes text hard to read fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const css = readFileSync(join(__dirname, '..', '..', 'renderer', 'src', 'app.css'), 'utf8');

/** The custom properties declared in the first block whose selector is exactly `selector`. */
function variables(selector: string): Record<string, string> {
  const start = css.indexOf(`${selector} {`);
  if (start < 0) throw new Error(`no ${selector} block in app.css`);
  const body = css.slice(css.indexOf('{', start) + 1, css.indexOf('}', start));
  return Object.fromEntries([...body.matchAll(/--([\w-]+):\s*(#[0-9a-fA-F]{3,6})\s*;/g)].map((match) => [match[1]!, match[2]!]));
}

/** Relative luminance of an sRGB hex colour (WCAG 2.x definition). */
function luminance(hex: string): number {
  const full = hex.length === 4 ? `#${[...hex.slice(1)].map((c) => c + c).join('')}` : hex;
  const [r, g, b] = [1, 3, 5].map((i) => {
    const channel = parseInt(full.slice(i, i + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** WCAG contrast ratio, 1 to 21. */
function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

// Text colour on background colour, as the screens use them; AA asks 4.5:1 for body text.
const PAIRS: [string, string][] = [
  ['text', 'bg'],
  ['text', 'panel'],
  ['text', 'side-bg'],
  ['text', 'hover'],
  ['text', 'input-bg'],
  ['muted', 'bg'],
  ['muted', 'panel'],
  ['muted', 'side-bg'],
  ['accent', 'panel'],
  ['accent', 'bg'],
  ['accent', 'accent-soft'],
  ['on-accent', 'accent'],
  ['on-accent', 'danger'],
  ['danger', 'panel'],
  ['danger', 'danger-soft'],
  ['text', 'warn-soft'],
  ['text', 'danger-soft'],
  ['text', 'accent-soft'],
  // Code and fixed layer rows, chosen options, warnings, the usage snippets' code block.
  ['text', 'code-bg'],
  ['muted', 'code-bg'],
  ['text', 'chosen-soft'],
  ['on-chosen', 'chosen'],
  ['warn-text', 'panel'],
  ['code-block-text', 'code-block-bg'],
  ['ok', 'panel'],
  ['ok', 'ok-soft'],
];

describe('theme contrast (WCAG AA)', () => {
  it('computes contrast as WCAG defines it', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777', '#fff')).toBeCloseTo(4.48, 2);
    expect(contrast('#fff', '#fff')).toBe(1);
  });

  for (const [name, selector] of [
    ['light', ':root'],
    ['dark', ":root[data-theme='dark']"],
  ] as const) {
    it(`${name} palette: every main text/background pair reaches 4.5:1`, () => {
      const palette = variables(selector);
      const failures = PAIRS.filter(([fg, bg]) => {
        expect(palette[fg], `--${fg} in ${name}`).toBeDefined();
        expect(palette[bg], `--${bg} in ${name}`).toBeDefined();
        return contrast(palette[fg]!, palette[bg]!) < 4.5;
      }).map(([fg, bg]) => `--${fg} on --${bg}: ${contrast(palette[fg]!, palette[bg]!).toFixed(2)}`);
      expect(failures).toEqual([]);
    });
  }

  it('the dark palette redefines every colour of the light one', () => {
    expect(Object.keys(variables(":root[data-theme='dark']")).sort()).toEqual(Object.keys(variables(':root')).sort());
  });
});
