// What a refused request says: each problem zod finds becomes a sentence of the core catalogue that
// names the field in a person's words ("Name cannot be empty.") with the values involved, so the
// screen says it in the person's language. A schema's own sentence is given with zodSays, as the
// spec's schema does, and gets the problem's values too.
import type { z } from 'zod';
import type { MessageParams, Said } from '../../../preload/contract';
import { CORE_EN } from '../../../common/messages/catalogue';
import { readSaid, said, type CoreKey } from '../../../common/messages/said';
import type { SpecIssue } from '../../../common/model/spec';

const FIELDS: Readonly<Record<string, string>> = CORE_EN.errors.request.field;
const KINDS: Readonly<Record<string, string>> = CORE_EN.errors.request.kind;

/** A schema's own sentence (zodSays) carried as a problem's message, or null for zod's own English. */
function ownSentence(message: string): Said | null {
  const sentence = readSaid(message);
  return sentence.key ? sentence : null;
}

/** The value the request holds at `path`, or undefined. */
function valueAt(request: unknown, path: readonly PropertyKey[]): unknown {
  let node = request;
  for (const part of path) node = typeof node === 'object' && node !== null ? (node as Record<PropertyKey, unknown>)[part] : undefined;
  return node;
}

/** The field a person knows the value by: the last named part of its path, when the catalogue names it. */
function fieldOf(path: readonly PropertyKey[]): string {
  const named = [...path].reverse().find((part): part is string => typeof part === 'string');
  if (named === undefined) return path.length === 0 ? 'request' : 'value';
  return Object.hasOwn(FIELDS, named) ? named : 'value';
}

/** Values the sentence may name: the field, the limit, what was received (short text or a number) and the choices. */
function paramsOf(issue: z.core.$ZodIssue, received: unknown): MessageParams {
  const params: MessageParams = { field: fieldOf(issue.path) };
  if (issue.code === 'too_small') params['minimum'] = Number(issue.minimum);
  if (issue.code === 'too_big') params['maximum'] = Number(issue.maximum);
  if (issue.code === 'invalid_value') params['options'] = issue.values.map((value) => String(value)).join(', ');
  if (typeof received === 'number') params['value'] = received;
  if (typeof received === 'string') params['value'] = JSON.stringify(received.slice(0, 200));
  return params;
}

/** The generic sentence for a problem the schema gave no sentence of its own. */
function generic(issue: z.core.$ZodIssue, received: unknown, params: MessageParams): Said {
  switch (issue.code) {
    case 'invalid_type':
      if (received === undefined) return said('errors.request.missing', params);
      return said('errors.request.wrongKind', { ...params, expected: Object.hasOwn(KINDS, issue.expected) ? issue.expected : 'other' });
    case 'too_small':
      if (issue.origin === 'string') return said(issue.minimum === 1 ? 'errors.request.empty' : 'errors.request.tooShort', params);
      return said(issue.origin === 'array' || issue.origin === 'set' ? 'errors.request.tooFew' : 'errors.request.tooSmall', params);
    case 'too_big':
      if (issue.origin === 'string') return said('errors.request.tooLong', params);
      return said(issue.origin === 'array' || issue.origin === 'set' ? 'errors.request.tooMany' : 'errors.request.tooLarge', params);
    case 'invalid_value':
      return said('errors.request.notOneOf', params);
    case 'unrecognized_keys':
      return said('errors.request.unknownFields', { names: issue.keys.join(', ') });
    default:
      return said('errors.request.invalid', params);
  }
}

/** One problem of a refused request as a sentence of the catalogue, next to the field it concerns. */
export function requestIssue(issue: z.core.$ZodIssue, request: unknown): SpecIssue {
  // A value that fits none of a union's shapes: a schema's own sentence among the shapes' problems says more than "not valid".
  if (issue.code === 'invalid_union') {
    const own = issue.errors.flat().find((inner) => ownSentence(inner.message));
    if (own) return requestIssue({ ...own, path: [...issue.path, ...own.path] }, request);
  }
  const received = valueAt(request, issue.path);
  const params = paramsOf(issue, received);
  const own = ownSentence(issue.message);
  const sentence = own ? said(own.key as CoreKey, { ...params, ...own.params }) : generic(issue, received, params);
  return { path: issue.path.map(String), ...sentence };
}
