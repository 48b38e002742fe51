// Errors a person can meet are values with a code and a sentence; crashes are for bugs.
import { said, type Said } from './said';
import type { SpecIssue } from '../model/spec';

/** Every error a person can meet, by code. */
export type ErrorCode =
  | 'invalid-argument'
  | 'not-found'
  | 'conflict'
  | 'invalid-spec'
  | 'database-too-new'
  | 'database-corrupt'
  | 'io'
  | 'disk-full'
  | 'busy'
  | 'trainer'
  | 'cancelled'
  | 'unsupported'
  | 'internal';

/** An error crossing the contract: a code and a sentence a person can act on. */
export interface CapaErrorValue extends Said {
  code: ErrorCode;
  /** Field-level problems, for `invalid-spec` and `invalid-argument`. */
  issues?: SpecIssue[];
}

/** What every operation returns: a value or an error value; raw exceptions never cross. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: CapaErrorValue };

/** An expected failure, thrown inside core and turned into an error value at the edge. */
export class CapaError extends Error {
  override readonly name = 'CapaError';
  /** The sentence in the core catalogue; `message` is its English text. */
  readonly said: Said;
  constructor(
    readonly code: ErrorCode,
    sentence: Said,
    readonly issues?: SpecIssue[],
  ) {
    super(sentence.message);
    this.said = sentence;
  }
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** What a person reads when a write hits a full disk: what happened, that nothing saved is lost, what to do. */
export const diskFull = (): Said => said('errors.diskFull');

/** Maps anything thrown to an error value; unexpected errors keep their message so they can be reported. */
export function toErrorValue(error: unknown): CapaErrorValue {
  if (error instanceof CapaError) return { code: error.code, ...error.said, ...(error.issues ? { issues: error.issues } : {}) };
  const code = errnoCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ENOSPC' || code === 'SQLITE_FULL') {
    return { code: 'disk-full', ...diskFull() };
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return { code: 'busy', ...said('errors.busy') };
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
    return { code: 'database-corrupt', ...said('errors.databaseCorrupt', { detail: message }) };
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return { code: 'io', ...said('errors.permissionDenied', { detail: message }) };
  }
  return { code: 'internal', ...said('errors.unexpected', { detail: message }) };
}

/** Runs `work` and returns its value or an error value; never throws. */
export async function attempt<T>(work: () => T | Promise<T>): Promise<Result<T>> {
  try {
    return ok(await work());
  } catch (error) {
    return { ok: false, error: toErrorValue(error) };
  }
}
