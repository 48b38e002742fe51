// Turns error values into sentences people read, next to where they happened.
import type { CapaErrorValue, Result } from '../../../preload/contract';
import { say, t } from './i18n/i18n.svelte';

/** One readable sentence (plus field issues) for an error value, in the current language. */
export function describeError(error: CapaErrorValue): string {
  const sentence = say(error);
  // A refused request's sentence is its first field problem already; it is not said twice.
  const issues = (error.issues ?? [])
    .filter((issue) => say(issue) !== sentence)
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${say(issue)}` : say(issue)));
  return [sentence, ...issues].join(' ');
}

/** Awaits a call; on error reports a sentence through `onError` and returns undefined. */
export async function attempt<T>(call: Promise<Result<T>>, onError: (message: string) => void): Promise<T | undefined> {
  try {
    const result = await call;
    if (result.ok) return result.value;
    onError(describeError(result.error));
  } catch (error) {
    onError(t('common.somethingWrong', { detail: error instanceof Error ? error.message : String(error) }));
  }
  return undefined;
}
