// The evaluate screen's state: which run, split and weights; their stored evaluation and whether
// it is stale; the evaluation in progress; a confusion matrix cell opened; the likely mislabelled
// pictures; and the explanation of one picture. Fixes go through the dataset state so undo works.
import type {
  EvaluatedImage,
  Evaluation,
  EvaluationProgress,
  EvaluationSplit,
  EvaluationSummary,
  EvaluationWeights,
  Explanation,
  Result,
} from '../../../preload/contract';
import { t } from '../lib/i18n/i18n.svelte';
import { attempt } from '../lib/result';
import type { AppContext } from './context';
import type { DatasetState } from './dataset.svelte';

/** How often progress is asked for while an evaluation runs. */
const PROGRESS_POLL_MS = 300;
/** Pictures the "likely mislabelled" list shows. */
export const MISLABELLED_LIMIT = 24;
/**
 * Below this accuracy the model is weak: most of its disagreements are its own mistakes, so the
 * "likely mislabelled" list says so and asks for a better model before anyone doubts the labels.
 */
export const WEAK_ACCURACY = 0.8;

export class EvaluateState {
  runId = $state<string | null>(null);
  split = $state<EvaluationSplit>('test');
  weights = $state<EvaluationWeights>('best');
  /** The run's stored evaluations, with staleness. */
  summaries = $state<EvaluationSummary[]>([]);
  /** The stored evaluation of the chosen run, split and weights. */
  evaluation = $state<Evaluation | null>(null);
  progress = $state<EvaluationProgress | null>(null);
  evaluating = $state(false);
  error = $state('');
  /** Counts or row-normalised shares in the confusion matrix. */
  normalized = $state(false);
  /** The opened confusion matrix cell and its pictures. */
  cell = $state<{ actual: string; predicted: string; images: EvaluatedImage[] } | null>(null);
  mislabelled = $state<EvaluatedImage[]>([]);
  /** Pictures the person said are labelled right (while the screen is open): no longer listed as suspects. */
  kept = $state<number[]>([]);
  /** The likely mislabelled pictures still in doubt. */
  /** The picture the last "label is right" kept, which the notice's Undo puts back. */
  private lastKept: number | null = null;
  readonly suspects = $derived(this.mislabelled.filter((image) => !this.kept.includes(image.imageId)));
  /** True when the evaluation's accuracy is too low for its disagreements to point at labels. */
  readonly weak = $derived(this.evaluation !== null && this.evaluation.metrics.accuracy < WEAK_ACCURACY);
  /** The picture being explained. */
  explained = $state<{ image: EvaluatedImage; explanation: Explanation | null; error: string } | null>(null);
  /** Opacity of the explanation's heat map. */
  opacity = $state(0.6);
  /** What the last fix did, shown with an Undo button. */
  notice = $state('');

  /** The stored summary of the chosen split and weights. */
  readonly current = $derived(this.summaries.find((s) => s.split === this.split && s.weights === this.weights) ?? null);

  constructor(
    private readonly context: AppContext,
    readonly projectId: string,
    private readonly dataset: DatasetState,
  ) {}

  /** Picks a run, split or weights and shows their stored evaluation, if any. */
  async choose(choice: { runId?: string; split?: EvaluationSplit; weights?: EvaluationWeights }): Promise<void> {
    if (choice.runId !== undefined) this.runId = choice.runId;
    if (choice.split) this.split = choice.split;
    if (choice.weights) this.weights = choice.weights;
    this.cell = null;
    this.explained = null;
    await this.load();
  }

  /** Reloads the stored evaluations (staleness included) and the chosen one's lists. */
  async load(): Promise<void> {
    const runId = this.runId;
    if (!runId) return;
    const summaries = await attempt(
      this.context.api.listEvaluations({ projectId: this.projectId, runId }),
      (message) => (this.error = message),
    );
    if (!summaries || runId !== this.runId) return;
    this.summaries = summaries;
    const summary = this.current;
    if (!summary) {
      this.evaluation = null;
      this.mislabelled = [];
      return;
    }
    const evaluation = await attempt(
      this.context.api.getEvaluation({ projectId: this.projectId, evaluationId: summary.id }),
      (message) => (this.error = message),
    );
    if (!evaluation) return;
    this.evaluation = evaluation;
    this.mislabelled = (await this.images({ order: 'disagreement', wrongOnly: true, limit: MISLABELLED_LIMIT })) ?? [];
    if (this.cell) await this.openCell(this.cell.actual, this.cell.predicted);
  }

  /** Evaluates the chosen run on the chosen split, showing progress, then shows the result. */
  async evaluate(): Promise<void> {
    const runId = this.runId;
    if (!runId || this.evaluating) return;
    this.evaluating = true;
    this.error = '';
    this.progress = { runId, split: this.split, done: 0, total: 0 };
    const timer = setInterval(() => void this.poll(runId), PROGRESS_POLL_MS);
    try {
      const done = await attempt(
        this.context.api.evaluateRun({ projectId: this.projectId, runId, split: this.split, weights: this.weights }),
        (message) => (this.error = message),
      );
      if (done) await this.load();
    } finally {
      clearInterval(timer);
      this.evaluating = false;
      this.progress = null;
    }
  }

  async cancel(): Promise<void> {
    if (this.runId)
      await attempt(
        this.context.api.cancelEvaluation({ projectId: this.projectId, runId: this.runId }),
        (message) => (this.error = message),
      );
  }

  /** Shows the pictures of one confusion matrix cell. */
  async openCell(actual: string, predicted: string): Promise<void> {
    const images = await this.images({ actual, predicted, order: 'disagreement', limit: 200 });
    if (images) this.cell = { actual, predicted, images };
  }

  /** Explains what the model looked at in one picture, for the class it predicted. */
  async explain(image: EvaluatedImage): Promise<void> {
    const runId = this.runId;
    if (!runId) return;
    this.explained = { image, explanation: null, error: '' };
    let error = '';
    const explanation = await attempt(
      this.context.api.explainImage({
        projectId: this.projectId,
        runId,
        imageId: image.imageId,
        weights: this.weights,
        className: image.predicted,
      }),
      (message) => (error = message),
    );
    if (this.explained?.image.imageId === image.imageId) this.explained = { image, explanation: explanation ?? null, error };
  }

  /** Gives a picture another class (or Unlabelled with null), undoably. */
  async relabel(image: EvaluatedImage, className: string | null): Promise<void> {
    const classId = className === null ? null : (this.dataset.view?.classes.find((c) => c.name === className)?.id ?? null);
    if (className !== null && classId === null) return this.context.toast(t('evaluate.noClass', { name: className }));
    const call = this.context.api.setImageClass({ projectId: this.projectId, imageIds: [image.imageId], classId });
    await this.fix(
      call,
      t('evaluate.moved', { file: image.fileName ?? t('evaluate.thePicture'), target: className ?? t('common.unlabelled') }),
    );
  }

  /** Keeps a picture's label: the person looked and it is right, so it leaves the list of suspects. */
  keep(image: EvaluatedImage): Promise<void> {
    if (!this.kept.includes(image.imageId)) this.kept = [...this.kept, image.imageId];
    this.lastKept = image.imageId;
    this.notice = t('evaluate.kept', { file: image.fileName ?? t('evaluate.thePicture'), label: image.label });
    return Promise.resolve();
  }

  /** Deletes a picture, undoably. */
  async remove(image: EvaluatedImage): Promise<void> {
    const deleted = await this.fix(
      this.context.api.deleteImages({ projectId: this.projectId, imageIds: [image.imageId] }),
      t('evaluate.deleted', { file: image.fileName ?? t('evaluate.thePicture') }),
    );
    if (deleted && this.explained?.image.imageId === image.imageId) this.explained = null;
  }

  /** Undoes the last fix: a kept label goes back among the suspects, a data change is undone. */
  async undo(): Promise<void> {
    const kept = this.lastKept;
    if (kept !== null) {
      this.kept = this.kept.filter((id) => id !== kept);
      this.lastKept = null;
      this.notice = '';
      return;
    }
    await this.dataset.undo();
    this.notice = this.dataset.notice;
    await this.load();
  }

  /** Runs a data set change; on success says what it did and refreshes the data and the evaluation (now stale). */
  private async fix(call: Promise<Result<null>>, notice: string): Promise<boolean> {
    const done = await attempt(call, (message) => this.context.toast(message));
    if (done === undefined) return false;
    this.lastKept = null;
    this.notice = notice;
    await Promise.all([this.dataset.load(), this.load()]);
    return true;
  }

  private async images(query: {
    actual?: string;
    predicted?: string;
    order: 'disagreement' | 'id';
    wrongOnly?: boolean;
    limit: number;
  }): Promise<EvaluatedImage[] | undefined> {
    const evaluation = this.evaluation;
    if (!evaluation) return undefined;
    return attempt(
      this.context.api.evaluatedImages({ projectId: this.projectId, evaluationId: evaluation.id, ...query }),
      (message) => (this.error = message),
    );
  }

  private async poll(runId: string): Promise<void> {
    const progress = await attempt(this.context.api.evaluationProgress({ projectId: this.projectId, runId }), () => undefined);
    if (progress && this.evaluating) this.progress = progress;
  }
}
