// Turns error values into sentences people read, next to where they happened.
import type { CapaErrorValue, Result } from '../../../preload/contract';

/** One readable sentence (plus field issues) for an error value. */
export function describeError(error: CapaErrorValue): string {
  const issues = (error.issues ?? []).map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message));
  return [error.message, ...issues].join(' ');
}

/** Awaits a call; on error reports a sentence through `onError` and returns undefined. */
export async function attempt<T>(call: Promise<Result<T>>, onError: (message: string) => void): Promise<T | undefined> {
  try {
    const result = await call;
    if (result.ok) return result.value;
    onError(describeError(result.error));
  } catch (error) {
    onError(`Something went wrong: ${error instanceof Error ? error.message : String(error)}`);
  }
  return undefined;
}
