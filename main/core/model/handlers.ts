// Model operations: the spec a project trains, validated, and its Keras-style summary.
import { z } from 'zod';
import type { ModelOperations } from '../../../preload/contract';
import { CapaError } from '../../../common/messages/errors';
import { said } from '../../../common/messages/said';
import { parseSpec, type ModelSpec } from '../../../common/model/spec';
import { summarizeWithBackbone } from '../../../common/backbones/summary';
import { estimateSpec, planProject } from './auto';
import { name, projectId, type HandlersOf, type SchemasOf, type ServiceContext } from '../service/context';

const specId = z.number().int().positive();

export const MODEL_REQUESTS: SchemasOf<ModelOperations> = {
  getSpec: z.object({ projectId }),
  saveSpec: z.object({ projectId, spec: z.unknown() }),
  summarizeSpec: z.object({ projectId, spec: z.unknown() }),
  listSpecs: z.object({ projectId }),
  saveSpecAs: z.object({ projectId, name, spec: z.unknown() }),
  duplicateSpec: z.object({ projectId, specId, name }),
  selectSpec: z.object({ projectId, specId }),
  renameSpec: z.object({ projectId, specId, name }),
  deleteSpec: z.object({ projectId, specId }),
  planModel: z.object({ projectId, budgetMinutes: z.number().min(0.1).max(10000).optional() }),
  estimateSpec: z.object({ projectId, spec: z.unknown() }),
};

function validSpec(value: unknown): ModelSpec {
  const parsed = parseSpec(value);
  if (!parsed.ok) throw new CapaError('invalid-spec', said('errors.model.invalidSpec', { count: parsed.issues.length }), parsed.issues);
  return parsed.spec;
}

export function modelHandlers({ library, backbones }: ServiceContext): HandlersOf<ModelOperations> {
  // The output layer needs at least two classes to be meaningful; a fresh project is summarised as if it had two.
  const classCount = (projectId: string) => Math.max(2, library.get(projectId).classes.list().length);
  /** A spec that parses and whose shapes build, or an invalid-spec error with every issue. */
  const buildable = (projectId: string, spec: unknown): ModelSpec => {
    const valid = validSpec(spec);
    const issues = summarizeWithBackbone(valid, classCount(projectId), backbones).issues;
    if (issues.length > 0) throw new CapaError('invalid-spec', said('errors.model.cannotBuild', { count: issues.length }), issues);
    return valid;
  };
  const named = (projectId: string) => library.get(projectId).specs;
  return {
    getSpec: async ({ projectId }) => {
      const project = library.get(projectId);
      return project.specs.hasSaved() ? project.specs.current() : (await planProject(project, backbones)).spec;
    },
    saveSpec: ({ projectId, spec }) => {
      const valid = buildable(projectId, spec);
      library.get(projectId).specs.saveCurrent(valid);
      named(projectId).saveSelected(valid);
      return valid;
    },
    summarizeSpec: ({ projectId, spec }) => summarizeWithBackbone(validSpec(spec), classCount(projectId), backbones),
    listSpecs: ({ projectId }) => named(projectId).list(),
    saveSpecAs: ({ projectId, name, spec }) => named(projectId).saveAs(name, buildable(projectId, spec)),
    duplicateSpec: ({ projectId, specId, name }) => named(projectId).duplicate(specId, name),
    selectSpec: ({ projectId, specId }) => named(projectId).select(specId),
    renameSpec: ({ projectId, specId, name }) => named(projectId).rename(specId, name),
    deleteSpec: ({ projectId, specId }) => {
      named(projectId).delete(specId);
      return null;
    },
    planModel: ({ projectId, budgetMinutes }) => planProject(library.get(projectId), backbones, budgetMinutes),
    estimateSpec: ({ projectId, spec }) => estimateSpec(library.get(projectId), backbones, validSpec(spec)),
  };
}
