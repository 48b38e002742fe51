// No hard-coded words on screen: parses every component with the Svelte compiler and walks its
// template for text a person reads (text nodes, aria-label, title, placeholder, alt, and string
// literals shown through {…}) that is not a t() call. Files other engineers are editing today are
// listed; the list only shrinks, and the test says when a listed file no longer needs to be on it.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'svelte/compiler';
import { describe, expect, it } from 'vitest';

const SRC = join(__dirname, '..', '..', 'renderer', 'src');

/** Components still written in English only (none today); one may be listed here only while it is being translated. */
const NOT_YET_TRANSLATED = new Set<string>([]);

/** Attributes whose value a person reads or hears. */
const READ_ATTRIBUTES = new Set([
  'aria-label',
  'aria-description',
  'aria-placeholder',
  'aria-valuetext',
  'title',
  'placeholder',
  'alt',
  'label',
]);
/** Elements whose content is code or a key name, the same in every language. */
const VERBATIM_ELEMENTS = new Set(['code', 'kbd', 'pre', 'style', 'script']);

const LETTER = /\p{L}/u;
/** A string literal in the template that reads as words: a letter plus a space, a capital start or an ellipsis. */
const reads = (text: string) => LETTER.test(text) && (/\s/.test(text.trim()) || /^\p{Lu}/u.test(text.trim()) || text.trim().endsWith('…'));

interface Node {
  type: string;
  [key: string]: unknown;
}
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && typeof (value as Node).type === 'string';

/** String literals shown by an expression, skipping arguments of t() (keys) and of other calls (ids, classes). */
function shownLiterals(expression: unknown, out: string[]): void {
  if (!isNode(expression)) return;
  if (expression.type === 'Literal' && typeof expression.value === 'string') {
    if (reads(expression.value)) out.push(expression.value);
    return;
  }
  if (expression.type === 'TemplateLiteral') {
    for (const quasi of expression.quasis as { value: { cooked: string } }[]) if (reads(quasi.value.cooked)) out.push(quasi.value.cooked);
  }
  if (expression.type === 'CallExpression' || expression.type === 'BinaryExpression' || expression.type === 'ArrowFunctionExpression')
    return;
  for (const [key, value] of Object.entries(expression)) {
    if (key === 'test') continue; // the condition of a ?: compares, it is not shown
    for (const child of Array.isArray(value) ? value : [value]) shownLiterals(child, out);
  }
}

/** Every literal a person would read in one component's template. */
export function literalTexts(source: string): string[] {
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isNode(node)) return;
    if (node.type === 'RegularElement' && VERBATIM_ELEMENTS.has(node.name as string)) return;
    if (node.type === 'Text' && LETTER.test(node.data as string)) found.push((node.data as string).trim());
    if (node.type === 'ExpressionTag') return shownLiterals(node.expression, found);
    // class:, style:, bind: and the like hold names and CSS, never words.
    if (node.type.endsWith('Directive')) return;
    if (node.type === 'Attribute') {
      if (!READ_ATTRIBUTES.has(node.name as string)) return;
      for (const part of (Array.isArray(node.value) ? node.value : [node.value]) as Node[]) {
        if (!isNode(part)) continue;
        if (part.type === 'Text' && LETTER.test(part.data as string)) found.push(`${node.name}="${part.data as string}"`);
        if (part.type === 'ExpressionTag') shownLiterals(part.expression, found);
      }
      return;
    }
    for (const [key, value] of Object.entries(node)) if (key !== 'expression' && key !== 'metadata') visit(value);
  };
  visit(parse(source, { modern: true }).fragment);
  return found;
}

function components(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return components(path);
    return entry.name.endsWith('.svelte') ? [relative(SRC, path).split('\\').join('/')] : [];
  });
}

describe('user-visible text goes through the catalogues', () => {
  const files = components();

  it.each(files.filter((file) => !NOT_YET_TRANSLATED.has(file)))('%s has no hard-coded text', (file) => {
    expect(literalTexts(readFileSync(join(SRC, file), 'utf8'))).toEqual([]);
  });

  it('lists only components that exist and still hold hard-coded text', () => {
    const stale = [...NOT_YET_TRANSLATED].filter(
      (file) => !files.includes(file) || literalTexts(readFileSync(join(SRC, file), 'utf8')).length === 0,
    );
    expect(stale, 'remove these from NOT_YET_TRANSLATED').toEqual([]);
  });

  it('finds text nodes, read attributes and shown string literals, and ignores keys, code and conditions', () => {
    const source = `<script>let a = $state(1);</script>
      <p title="Hover me" class="wide" data-testid="x">Hello {a}</p>
      <input placeholder={a ? 'Type here' : t('k.placeholder')} aria-label="{a} items" />
      <button>{a === 'open' ? t('k.open') : 'Closed'}</button>
      <code>fruit/apple</code> <kbd>Ctrl</kbd> <span>{t('k.b', { name: 'Shapes tool' })} → 42 %</span>`;
    expect(literalTexts(source)).toEqual(['title="Hover me"', 'Hello', 'Type here', 'aria-label=" items"', 'Closed']);
  });
});
