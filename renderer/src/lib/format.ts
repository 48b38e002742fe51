// Small formatting helpers shared by the screens.

/** "27 Nov 2026, 17:09" in the person's locale. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** "27 Nov, 17:09": a date in a narrow column (the year shows in `formatDate`). */
export function formatShortDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
}

/** A number input's value: empty while what was typed is not a number. */
export function inputNumber(n: number): number | string {
  return Number.isFinite(n) ? n : '';
}

/** "1,234" */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** 0.8734 -> "87.3%" */
export function formatPercent(fraction: number | null | undefined): string {
  return fraction === null || fraction === undefined || Number.isNaN(fraction) ? '–' : `${(fraction * 100).toFixed(1)}%`;
}

/** Seconds -> "1 min 05 s" / "12 s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** Keras prints a shape as "(None, 30, 30, 16)". */
export function formatShape(shape: readonly number[]): string {
  return `(None, ${shape.join(', ')})`;
}

/** "1 image" / "3 images" */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${formatCount(n)} ${n === 1 ? word : many}`;
}
