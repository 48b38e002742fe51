// Labels suggested for the Unlabelled pictures by a run: accept all at or above a confidence as
// one undoable action, or one by one (accept, choose another class, skip).
import type { LabelSuggestion, LabelSuggestions } from '../../../preload/contract';
import { attempt } from '../lib/result';
import type { AppContext } from './context';
import type { DatasetState } from './dataset.svelte';

export class SuggestionsState {
  /** Suggestions still waiting for a decision, most confident first; null before asking. */
  pending = $state.raw<LabelSuggestion[] | null>(null);
  skipped = $state.raw<LabelSuggestions['skipped']>([]);
  threshold = $state(0.9);
  busy = $state(false);
  error = $state('');
  /** What the last action did, for the line under the buttons. */
  notice = $state('');

  readonly aboveThreshold = $derived((this.pending ?? []).filter((s) => s.confidence >= this.threshold));

  constructor(
    private readonly context: AppContext,
    private readonly projectId: string,
    private readonly dataset: DatasetState,
  ) {}

  async suggest(runId: string): Promise<void> {
    this.busy = true;
    this.error = '';
    this.notice = '';
    const found = await attempt(this.context.api.suggestLabels({ projectId: this.projectId, runId }), (message) => (this.error = message));
    this.busy = false;
    if (!found) return;
    this.pending = found.suggestions;
    this.skipped = found.skipped;
  }

  /** Labels every suggestion at or above the threshold, as one action Undo reverts. */
  async acceptAbove(): Promise<void> {
    const chosen = this.aboveThreshold;
    if (chosen.length === 0) return;
    const labels = chosen.map((s) => ({ imageId: s.imageId, classId: s.classId }));
    const done = await attempt(this.context.api.acceptSuggestions({ projectId: this.projectId, labels }), (message) => (this.error = message));
    if (!done) return;
    this.forget(chosen.map((s) => s.imageId));
    this.notice = `Labelled ${done.labelled} ${done.labelled === 1 ? 'picture' : 'pictures'}.`;
    await this.dataset.load();
  }

  /** Labels one picture with the suggested class or another one (the dataset's own move, undoable). */
  async accept(suggestion: LabelSuggestion, classId: number): Promise<void> {
    await this.dataset.moveImages(classId, [suggestion.imageId]);
    this.forget([suggestion.imageId]);
    this.notice = `Labelled “${suggestion.fileName}” as ${this.dataset.className(classId)}.`;
  }

  skip(suggestion: LabelSuggestion): void {
    this.forget([suggestion.imageId]);
  }

  /** Reverts the last labelling and asks the model again, so the pictures come back with their suggestions. */
  async undo(runId: string): Promise<void> {
    await this.dataset.undo();
    await this.suggest(runId);
    this.notice = 'Undone.';
  }

  private forget(imageIds: number[]): void {
    const gone = new Set(imageIds);
    this.pending = (this.pending ?? []).filter((s) => !gone.has(s.imageId));
  }
}
