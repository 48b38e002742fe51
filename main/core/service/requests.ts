// The schema of every operation's request. Hosts pass requests through `parseRequest` before
// anything runs, so a malformed argument becomes an error value, never an exception.
import { z } from 'zod';
import type { OperationName, RequestOf } from '../../../preload/contract';
import { BACKBONE_REQUESTS } from '../backbones/handlers';
import { DATASET_REQUESTS } from '../dataset/handlers';
import { empty, imageBytes, name, projectId, runId } from './context';
import { EVALUATE_REQUESTS } from '../evaluation/handlers';
import { EXPORT_REQUESTS } from '../export/handlers';
import { GUIDE_REQUESTS } from '../guide/handlers';
import { ACTIVATION_REQUESTS } from '../activations/handlers';
import { MODEL_REQUESTS } from '../model/handlers';
import { RUN_REQUESTS } from '../runs/handlers';
import { SETTINGS_REQUESTS } from '../settings/handlers';
import { PREDICT_REQUESTS } from '../predict/handlers';
import { requestIssue } from './request-issues';
import { CapaError } from '../../../common/messages/errors';
import { said } from '../../../common/messages/said';

/** Checks at compile time that each schema produces exactly the contract's request type. */
type Schemas = { [K in OperationName]: z.ZodType<RequestOf<K>> };

const CORE_REQUESTS = {
  appInfo: empty,
  listProjects: empty,
  createProject: z.object({ name }),
  renameProject: z.object({ projectId, name }),
  deleteProject: z.object({ projectId }),
  predict: z.object({ projectId, runId, bytes: imageBytes }),
};

export const REQUEST_SCHEMAS: Schemas = {
  ...CORE_REQUESTS,
  ...DATASET_REQUESTS,
  ...MODEL_REQUESTS,
  ...BACKBONE_REQUESTS,
  ...EVALUATE_REQUESTS,
  ...EXPORT_REQUESTS,
  ...SETTINGS_REQUESTS,
  ...RUN_REQUESTS,
  ...PREDICT_REQUESTS,
  ...ACTIVATION_REQUESTS,
  ...GUIDE_REQUESTS,
};

/** Deepest nesting of arrays and objects any request may have. */
export const MAX_REQUEST_DEPTH = 32;

/** How deeply `value` nests arrays and objects, counted without recursion and stopping once past `limit`. */
export function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object' || ArrayBuffer.isView(item)) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > limit) return deepest;
    for (const child of Object.values(item as object)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** The request checked against its operation's schema; a refused one is an invalid-argument error whose sentence names the first wrong field. */
export function parseRequest<K extends OperationName>(name: K, request: unknown): RequestOf<K> {
  // No contract request nests deeper than a few levels; a hostile one nested thousands deep would
  // exhaust the validator's stack ("Maximum call stack size exceeded") before any schema could say no.
  if (nestingDepth(request, MAX_REQUEST_DEPTH) > MAX_REQUEST_DEPTH) {
    throw new CapaError('invalid-argument', said('errors.hostile.tooDeep', { maximum: MAX_REQUEST_DEPTH }));
  }
  const parsed = REQUEST_SCHEMAS[name].safeParse(request ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => requestIssue(issue, request ?? {}));
  const { path: _path, ...first } = issues[0]!;
  throw new CapaError('invalid-argument', first, issues);
}
