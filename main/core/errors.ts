// Errors a person can meet are values with a code and a sentence; crashes are for bugs.
import type { CapaErrorValue, ErrorCode, Result } from '../../preload/contract';
import type { SpecIssue } from './spec/spec';

/** An expected failure, thrown inside core and turned into an error value at the edge. */
export class CapaError extends Error {
  override readonly name = 'CapaError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: SpecIssue[],
  ) {
    super(message);
  }
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** What a person reads when a write hits a full disk: what happened, that nothing saved is lost, what to do. */
export const DISK_FULL_MESSAGE =
  'The disk is full, so this stopped; nothing already saved was lost. Free some space, or choose a folder on another disk (for exports, another export folder; for projects, Preferences > Data folder), then try again.';

/** Maps anything thrown to an error value; unexpected errors keep their message so they can be reported. */
export function toErrorValue(error: unknown): CapaErrorValue {
  if (error instanceof CapaError) return { code: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) };
  const code = errnoCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ENOSPC' || code === 'SQLITE_FULL') {
    return { code: 'disk-full', message: DISK_FULL_MESSAGE };
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return { code: 'busy', message: 'The project is being written by another Capa window or command. Try again in a moment.' };
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
    return { code: 'database-corrupt', message: `The project database is damaged or is not a Capa database (${message}).` };
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return { code: 'io', message: `Permission denied: ${message}. Check the folder's permissions.` };
  }
  return { code: 'internal', message: `Unexpected error: ${message}` };
}

/** Runs `work` and returns its value or an error value; never throws. */
export async function attempt<T>(work: () => T | Promise<T>): Promise<Result<T>> {
  try {
    return ok(await work());
  } catch (error) {
    return { ok: false, error: toErrorValue(error) };
  }
}
