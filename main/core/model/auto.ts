// Auto on a real project: its data-set profile, the computer's backbones and the speed measured
// on the project's earlier runs, handed to the pure planner (common/model/auto-plan.ts); and the
// estimate of any spec, Auto's or a person's.
import { DEFAULT_BACKBONE } from '../../../common/model/presets';
import type { ModelSpec } from '../../../common/model/spec';
import {
  DEFAULT_BUDGET_MINUTES,
  estimateTime,
  measuredSpeed,
  multiplyAdds,
  planModel,
  type ComputerProfile,
  type EngineSpeed,
  type ModelPlan,
  type TimeEstimate,
} from '../../../common/model/auto-plan';
import type { BackboneCache } from '../backbones/cache';
import { profileDataset } from '../dataset/profile';
import type { Project } from '../projects/project';

/** Multiply-adds of a backbone per picture, from its weights and input size (MobileNet V2: 3.5 M weights, ~300 M multiply-adds at 224 px). */
const backboneMacs = (params: number, inputSize: number): number => 86 * params * (inputSize / 224) ** 2;

/** The speed of this computer's engine from the project's runs that trained their own layers (a frozen backbone's features are cached). */
export function engineSpeed(project: Project): EngineSpeed {
  const trainCount = project.images.labelled().images.filter((image) => image.split === 'train').length;
  const runs = project.runs
    .list()
    .reverse()
    .filter((run) => run.backend && !run.spec.backbone && run.epochs.length > 0 && (run.status === 'completed' || run.status === 'stopped'))
    .map((run) => ({
      engine: run.backend!.name,
      macsPerPicture: multiplyAdds(run.spec, run.classNames.length),
      pictures: run.estimate?.pictures ?? trainCount,
      epochs: run.epochs.length,
      seconds: run.epochs.reduce((sum, epoch) => sum + epoch.seconds, 0),
    }));
  return measuredSpeed(runs);
}

/** The backbones ready here (the default first), the one to download when none is, and the speed. */
export function computerProfile(project: Project, backbones: BackboneCache): ComputerProfile {
  const listed = backbones.list();
  const ready = listed
    .filter((b) => b.state === 'ready')
    .sort((a, b) => Number(b.id === DEFAULT_BACKBONE.id) - Number(a.id === DEFAULT_BACKBONE.id))
    .map((b) => ({ id: b.id, title: b.title, inputSize: b.inputSize, macs: backboneMacs(b.params, b.inputSize) }));
  const suggested = listed.find((b) => b.id === DEFAULT_BACKBONE.id) ?? listed[0];
  return {
    backbones: ready,
    suggestedBackbone: suggested ? { id: suggested.id, title: suggested.title } : null,
    speed: engineSpeed(project),
  };
}

/** Auto's plan for a project now. */
export async function planProject(project: Project, backbones: BackboneCache, budgetMinutes = DEFAULT_BUDGET_MINUTES): Promise<ModelPlan> {
  return planModel(await profileDataset(project), computerProfile(project, backbones), budgetMinutes);
}

/** How long `spec` will take to train on the project's pictures here. */
export function estimateSpec(project: Project, backbones: BackboneCache, spec: ModelSpec): TimeEstimate {
  const { classNames, images } = project.images.labelled();
  const computer = computerProfile(project, backbones);
  const backbone = spec.backbone ? backbones.list().find((b) => b.id === spec.backbone!.id) : undefined;
  const pictures = images.filter((image) => image.split === 'train').length;
  return estimateTime(spec, pictures, classNames.length, computer.speed, backbone ? backboneMacs(backbone.params, backbone.inputSize) : 0);
}

/** The spec a training starts from: the saved one, or Auto's plan where none was ever saved; with its estimate. */
export async function specToTrain(
  project: Project,
  backbones: BackboneCache,
): Promise<{ spec: ModelSpec; estimate: TimeEstimate; plan: ModelPlan | null }> {
  if (project.specs.hasSaved()) {
    const spec = project.specs.current();
    return { spec, estimate: estimateSpec(project, backbones, spec), plan: null };
  }
  const plan = await planProject(project, backbones);
  return { spec: plan.spec, estimate: plan.estimate, plan };
}
