// The schema of every operation's request. Hosts pass requests through `parseRequest` before
// anything runs, so a malformed argument becomes an error value, never an exception.
import { z } from 'zod';
import type { OperationName, RequestOf } from '../../preload/contract';
import { CapaError } from './errors';

const projectId = z.string().min(1).max(100);
const name = z.string().trim().min(1, 'A name cannot be empty.').max(200, 'A name can be at most 200 characters.');
const classId = z.number().int().positive();
const imageIds = z.array(z.number().int().positive()).max(100_000);
const runId = z.string().min(1).max(100);
const empty = z.object({}).strict();

const uploaded = z.object({
  relativePath: z
    .string()
    .min(1)
    .max(1000)
    .refine((p) => !p.split(/[\\/]/).includes('..'), 'A file path may not contain "..".'),
  bytes: z.instanceof(Uint8Array),
});

/** Checks at compile time that each schema produces exactly the contract's request type. */
type Schemas = { [K in OperationName]: z.ZodType<RequestOf<K>> };

export const REQUEST_SCHEMAS: Schemas = {
  appInfo: empty,
  listProjects: empty,
  createProject: z.object({ name }),
  renameProject: z.object({ projectId, name }),
  deleteProject: z.object({ projectId }),
  getDataset: z.object({ projectId }),
  listImages: z.object({
    projectId,
    classId: classId.nullable().optional(),
    offset: z.number().int().nonnegative(),
    limit: z.number().int().positive().max(1000),
  }),
  importPaths: z.object({ projectId, paths: z.array(z.string().min(1).max(4096)).min(1).max(10_000), classId: classId.nullable().optional() }),
  importFiles: z.object({ projectId, files: z.array(uploaded).min(1).max(1000), classId: classId.nullable().optional() }),
  createClass: z.object({ projectId, name }),
  renameClass: z.object({ projectId, classId, name }),
  deleteClass: z.object({ projectId, classId }),
  setImageClass: z.object({ projectId, imageIds, classId: classId.nullable() }),
  deleteImages: z.object({ projectId, imageIds }),
  getSpec: z.object({ projectId }),
  saveSpec: z.object({ projectId, spec: z.unknown() }),
  summarizeSpec: z.object({ projectId, spec: z.unknown() }),
  startRun: z.object({ projectId }),
  stopRun: z.object({ projectId, runId }),
  listRuns: z.object({ projectId }),
  getRun: z.object({ projectId, runId }),
  predict: z.object({ projectId, runId, bytes: z.instanceof(Uint8Array).refine((b) => b.length > 0, 'The image is empty.') }),
  exportRun: z.object({ projectId, runId, format: z.literal('tfjs') }),
};

export function parseRequest<K extends OperationName>(name: K, request: unknown): RequestOf<K> {
  const parsed = REQUEST_SCHEMAS[name].safeParse(request ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message }));
  const first = issues[0]!;
  throw new CapaError('invalid-argument', `Invalid request for ${name}: ${first.path.join('.') || 'request'}: ${first.message}`, issues);
}
