// Applies the colour theme: 'light' or 'dark' as chosen, or the system's, following its changes
// (prefers-color-scheme; in Electron that follows nativeTheme, which main sets from the setting).
import type { Theme } from '../../../preload/contract';

const darkQuery = (): MediaQueryList => window.matchMedia('(prefers-color-scheme: dark)');
let current: Theme = 'system';

function paint(): void {
  const dark = current === 'dark' || (current === 'system' && darkQuery().matches);
  // app.css holds one dark palette under :root[data-theme='dark'].
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}

/** Uses a theme from now on. */
export function applyTheme(theme: Theme): void {
  current = theme;
  paint();
}

/** Paints the system's theme at once (before settings load) and repaints when the system switches. */
export function followSystemTheme(): void {
  paint();
  darkQuery().addEventListener('change', paint);
}

/** A palette colour from app.css as the current theme defines it, for drawing that CSS does not reach (canvas charts). */
export function paletteColour(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(`--${name}`).trim();
}

/** Calls `repaint` whenever the theme changes (system or setting); returns the function that stops it. */
export function onThemeChange(repaint: () => void): () => void {
  const observer = new MutationObserver(repaint);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => observer.disconnect();
}
