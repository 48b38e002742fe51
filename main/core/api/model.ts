// Model operations: the spec a project trains, validated, and its Keras-style summary.
import { z } from 'zod';
import type { ModelOperations } from '../../../preload/contract';
import { CapaError } from '../errors';
import { parseSpec, type ModelSpec } from '../spec/spec';
import { summarizeWithBackbone } from './backbones';
import { projectId, type HandlersOf, type SchemasOf, type ServiceContext } from './context';

export const MODEL_REQUESTS: SchemasOf<ModelOperations> = {
  getSpec: z.object({ projectId }),
  saveSpec: z.object({ projectId, spec: z.unknown() }),
  summarizeSpec: z.object({ projectId, spec: z.unknown() }),
};

function validSpec(value: unknown): ModelSpec {
  const parsed = parseSpec(value);
  if (!parsed.ok) throw new CapaError('invalid-spec', `The model settings are not valid: ${parsed.issues[0]!.message}`, parsed.issues);
  return parsed.spec;
}

export function modelHandlers({ library, backbones }: ServiceContext): HandlersOf<ModelOperations> {
  // The output layer needs at least two classes to be meaningful; a fresh project is summarised as if it had two.
  const classCount = (projectId: string) => Math.max(2, library.get(projectId).classes().length);
  return {
    getSpec: ({ projectId }) => library.get(projectId).spec(),
    saveSpec: ({ projectId, spec }) => {
      const valid = validSpec(spec);
      const issues = summarizeWithBackbone(valid, classCount(projectId), backbones).issues;
      if (issues.length > 0) throw new CapaError('invalid-spec', `The model cannot be built: ${issues[0]!.message}`, issues);
      library.get(projectId).saveSpec(valid);
      return valid;
    },
    summarizeSpec: ({ projectId, spec }) => summarizeWithBackbone(validSpec(spec), classCount(projectId), backbones),
  };
}
