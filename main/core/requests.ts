// The schema of every operation's request. Hosts pass requests through `parseRequest` before
// anything runs, so a malformed argument becomes an error value, never an exception.
import { z } from 'zod';
import type { OperationName, RequestOf } from '../../preload/contract';
import { BACKBONE_REQUESTS } from './api/backbones';
import { DATASET_REQUESTS } from './api/dataset';
import { empty, imageBytes, name, projectId, runId } from './api/context';
import { EVALUATE_REQUESTS } from './api/evaluate';
import { EXPORT_REQUESTS } from './api/export';
import { GUIDE_REQUESTS } from './api/guide';
import { INSIDE_REQUESTS } from './api/inside';
import { MODEL_REQUESTS } from './api/model';
import { RUN_REQUESTS } from './api/runs';
import { SETTINGS_REQUESTS } from './api/settings';
import { USE_REQUESTS } from './api/use';
import { requestIssue } from './api/request-issues';
import { CapaError } from './errors';

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

export const REQUEST_SCHEMAS: Schemas = { ...CORE_REQUESTS, ...DATASET_REQUESTS, ...MODEL_REQUESTS, ...BACKBONE_REQUESTS, ...EVALUATE_REQUESTS, ...EXPORT_REQUESTS, ...SETTINGS_REQUESTS, ...RUN_REQUESTS, ...USE_REQUESTS, ...INSIDE_REQUESTS, ...GUIDE_REQUESTS };

/** The request checked against its operation's schema; a refused one is an invalid-argument error whose sentence names the first wrong field. */
export function parseRequest<K extends OperationName>(name: K, request: unknown): RequestOf<K> {
  const parsed = REQUEST_SCHEMAS[name].safeParse(request ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => requestIssue(issue, request ?? {}));
  const { path: _path, ...first } = issues[0]!;
  throw new CapaError('invalid-argument', first, issues);
}
