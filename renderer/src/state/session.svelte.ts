// Everything about the open project: its data, its model spec, its runs.
import type { CapaApi, ProjectSummary } from '../../../preload/contract';
import type { AppContext } from './context';
import { DatasetState } from './dataset.svelte';
import { ModelState } from './model.svelte';
import { ExportState } from './export.svelte';
import { ActivationsState } from './activations.svelte';
import { BatchPredictState } from './batch-predict.svelte';
import { PredictState } from './predict.svelte';
import { RunsState } from './runs.svelte';
import { SuggestionsState } from './suggestions.svelte';
import { EstimateState } from './estimate.svelte';

export class ProjectSession {
  project = $state<ProjectSummary>() as ProjectSummary;
  readonly dataset: DatasetState;
  readonly model: ModelState;
  readonly runs: RunsState;
  readonly predictor: PredictState;
  readonly batch: BatchPredictState;
  readonly suggestions: SuggestionsState;
  readonly exporter: ExportState;
  /** The "look inside a trained model" panel. */
  readonly activations: ActivationsState;
  /** How long the spec will take to train here (the Model and Train screens show it before Train). */
  readonly estimate: EstimateState;
  /** The app's operations, for the small views that only read (e.g. the inference engine line). */
  readonly api: CapaApi;

  constructor(context: AppContext, project: ProjectSummary) {
    this.project = project;
    this.api = context.api;
    this.dataset = new DatasetState(context, project.id);
    this.model = new ModelState(context, project.id, () => this.dataset.view?.classes.length ?? 0);
    this.runs = new RunsState(context, project.id);
    this.predictor = new PredictState(context.api);
    this.batch = new BatchPredictState(context.api);
    this.suggestions = new SuggestionsState(context, project.id, this.dataset);
    this.exporter = new ExportState(context.api);
    this.activations = new ActivationsState(context, project.id);
    this.estimate = new EstimateState(context, project.id);
  }

  async load(): Promise<void> {
    await Promise.all([this.dataset.load(), this.model.load(), this.runs.load()]);
    if (this.dataset.view) this.project = this.dataset.view.project;
  }
}
