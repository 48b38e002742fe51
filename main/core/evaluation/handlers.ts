// Evaluate operations: a run measured on held-out images, its stored evaluations with whether the
// data set changed since, the images behind each confusion matrix cell, and explanations.
import { z } from 'zod';
import type { EvaluateOperations, Explanation, Said } from '../../../preload/contract';
import { CapaError } from '../../../common/messages/errors';
import { said } from '../../../common/messages/said';
import { headOnlyBackbone, weightsDir } from './evaluate';
import { ImageStore } from '../dataset/image-store';
import { projectId, runId, type HandlersOf, type SchemasOf, type ServiceContext } from '../service/context';

const split = z.enum(['validation', 'test']);
const weights = z.enum(['best', 'last']);
const evaluationId = z.number().int().positive();
const className = z.string().min(1).max(200);

export const EVALUATE_REQUESTS: SchemasOf<EvaluateOperations> = {
  evaluateRun: z.object({ projectId, runId, split, weights }),
  evaluationProgress: z.object({ projectId, runId }),
  cancelEvaluation: z.object({ projectId, runId }),
  listEvaluations: z.object({ projectId, runId }),
  getEvaluation: z.object({ projectId, evaluationId }),
  evaluatedImages: z.object({
    projectId,
    evaluationId,
    actual: className.optional(),
    predicted: className.optional(),
    order: z.enum(['disagreement', 'id']),
    wrongOnly: z.boolean().optional(),
    limit: z.number().int().positive().max(10_000),
  }),
  explainImage: z.object({ projectId, runId, imageId: z.number().int().positive(), weights, className: className.optional() }),
};

const METHOD_NOTES: Record<Explanation['method'], Said> = {
  'grad-cam': said('runs.explain.gradCam'),
  occlusion: said('runs.explain.occlusion'),
};

const TRANSFER_NOTE = said('runs.explain.occlusionPretrained');

export function evaluateHandlers({ library, trainer, backbones, evaluations: runner }: ServiceContext): HandlersOf<EvaluateOperations> {
  const runsOf = (projectId: string) => {
    const project = library.get(projectId);
    return { project, runs: project.runs };
  };
  const classNamesOf = (projectId: string) => (id: string) => runsOf(projectId).runs.get(id).classNames;
  return {
    evaluateRun: ({ projectId, runId, split, weights }) => runner.evaluate(library.get(projectId), runId, split, weights),
    evaluationProgress: ({ projectId, runId }) => runner.progress(library.get(projectId), runId),
    cancelEvaluation: ({ projectId, runId }) => {
      const { project, runs } = runsOf(projectId);
      runs.get(runId); // an unknown run is an error, not a no-op
      runner.cancel(project, runId);
      return null;
    },
    listEvaluations: ({ projectId, runId }) => {
      const { project, runs } = runsOf(projectId);
      return project.evaluations.list(runId, runs.get(runId).classNames);
    },
    getEvaluation: ({ projectId, evaluationId }) => library.get(projectId).evaluations.get(evaluationId, classNamesOf(projectId)),
    evaluatedImages: ({ projectId, ...query }) => library.get(projectId).evaluations.images(query, classNamesOf(projectId)),
    explainImage: async ({ projectId, runId, imageId, weights, className }) => {
      const { project, runs } = runsOf(projectId);
      const run = runs.get(runId);
      const file = project.images.file(imageId);
      if (!file) throw new CapaError('not-found', said('runs.explain.imageGone', { id: imageId }));
      const classIndex = className === undefined ? null : run.classNames.indexOf(className);
      if (classIndex === -1) throw new CapaError('invalid-argument', said('runs.explain.unknownClass', { name: className! }));
      const backbone = await headOnlyBackbone(run, backbones);
      const path = await new ImageStore(project.dir).containedImagePath(file.hash, file.ext);
      const result = await trainer.explain(weightsDir(project, run, weights), run.spec.input, { path }, classIndex, backbone);
      const note = run.spec.backbone && result.method === 'occlusion' ? TRANSFER_NOTE : METHOD_NOTES[result.method];
      return {
        method: result.method,
        note,
        className: run.classNames[result.classIndex]!,
        width: result.width,
        height: result.height,
        values: result.values,
        resize: run.spec.input.resize,
      };
    },
  };
}
