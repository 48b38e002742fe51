// Small formatting helpers shared by the screens, in the interface's language (Intl), so numbers,
// dates and sizes read "1.234,5" in Spanish and "1,234.5" in English.
import { language } from './i18n/i18n.svelte';

/** "27 Nov 2026, 17:09" / "27 nov 2026, 17:09". */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(language(), { dateStyle: 'medium', timeStyle: 'short' });
}

/** "27 Nov, 17:09": a date in a narrow column (the year shows in `formatDate`). */
export function formatShortDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(language(), { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
}

/** A number input's value: empty while what was typed is not a number. */
export function inputNumber(n: number): number | string {
  return Number.isFinite(n) ? n : '';
}

/** "1,234" / "1234" (Spanish groups from five digits). */
export function formatCount(n: number): string {
  return n.toLocaleString(language());
}

/** A decimal as typed settings show it: 0.001 -> "0.001" / "0,001". */
export function formatNumber(n: number, maximumFractionDigits = 6): string {
  return n.toLocaleString(language(), { maximumFractionDigits });
}

/** A measured value with a fixed number of decimals, as a loss reads: 0.5 -> "0.500" / "0,500"; "–" when there is none. */
export function formatFixed(n: number | null | undefined, digits: number): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  return n.toLocaleString(language(), { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** 0.8734 -> "87.3%" / "87,3 %"; a slider's whole percent with `digits` 0: "80%" / "80 %". */
export function formatPercent(fraction: number | null | undefined, digits = 1): string {
  if (fraction === null || fraction === undefined || Number.isNaN(fraction)) return '–';
  return fraction.toLocaleString(language(), { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** 1_234_567 bytes -> "1.2 MB" / "1,2 MB"; the core's rounding (main/core/backbones/catalogue.ts megabytes): whole kB, one decimal below 10 MB. */
export function formatBytes(bytes: number): string {
  const unit = (value: number, name: 'kilobyte' | 'megabyte', digits: number) =>
    value.toLocaleString(language(), {
      style: 'unit',
      unit: name,
      unitDisplay: 'short',
      maximumFractionDigits: digits,
      minimumFractionDigits: digits,
    });
  if (bytes < 1_000_000) return unit(Math.max(1, Math.round(bytes / 1000)), 'kilobyte', 0);
  return unit(bytes / 1_000_000, 'megabyte', bytes < 10_000_000 ? 1 : 0);
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
