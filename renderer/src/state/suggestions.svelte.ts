// Labels suggested for the Unlabelled pictures by a run: accept all at or above a confidence as
// one undoable action, or one by one (accept, choose another class, skip).
import { SUGGEST_PAGE_SIZE, type LabelSuggestion, type LabelSuggestions } from '../../../preload/contract';
import { t } from '../lib/i18n/i18n.svelte';
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
  /** Pictures looked at and to look at, while suggesting. */
  progress = $state<{ done: number; total: number } | null>(null);
  private cancelRequested = false;

  readonly aboveThreshold = $derived((this.pending ?? []).filter((s) => s.confidence >= this.threshold));

  constructor(
    private readonly context: AppContext,
    private readonly projectId: string,
    private readonly dataset: DatasetState,
  ) {}

  /** Asks the model page after page (labelling waits meanwhile, so the pages do not shift). */
  async suggest(runId: string): Promise<void> {
    this.busy = true;
    this.error = '';
    this.notice = '';
    this.cancelRequested = false;
    this.pending = [];
    this.skipped = [];
    this.progress = null;
    for (let offset = 0; !this.cancelRequested; offset += SUGGEST_PAGE_SIZE) {
      const page = await attempt(
        this.context.api.suggestLabels({ projectId: this.projectId, runId, offset, limit: SUGGEST_PAGE_SIZE }),
        (message) => (this.error = message),
      );
      if (!page) break;
      this.pending = [...this.pending, ...page.suggestions].sort((a, b) => b.confidence - a.confidence);
      this.skipped = [...this.skipped, ...page.skipped];
      this.progress = { done: Math.min(page.total, offset + SUGGEST_PAGE_SIZE), total: page.total };
      if (offset + SUGGEST_PAGE_SIZE >= page.total) break;
    }
    if (this.cancelRequested) this.notice = t('try.suggest.stopped', { count: this.progress?.done ?? 0 });
    this.busy = false;
    this.progress = null;
  }

  /** Stops asking after the page in flight; the suggestions so far stay. */
  cancel(): void {
    this.cancelRequested = true;
  }

  /** Labels every suggestion at or above the threshold, as one action Undo reverts. */
  async acceptAbove(): Promise<void> {
    const chosen = this.aboveThreshold;
    if (chosen.length === 0) return;
    const labels = chosen.map((s) => ({ imageId: s.imageId, classId: s.classId }));
    const done = await attempt(
      this.context.api.acceptSuggestions({ projectId: this.projectId, labels }),
      (message) => (this.error = message),
    );
    if (!done) return;
    this.forget(chosen.map((s) => s.imageId));
    this.notice = t('try.suggest.labelled', { count: done.labelled });
    await this.dataset.load();
  }

  /** Labels one picture with the suggested class or another one (the dataset's own move, undoable). */
  async accept(suggestion: LabelSuggestion, classId: number): Promise<void> {
    await this.dataset.moveImages(classId, [suggestion.imageId]);
    this.forget([suggestion.imageId]);
    this.notice = t('try.suggest.labelledOne', { name: suggestion.fileName, className: this.dataset.className(classId) });
  }

  skip(suggestion: LabelSuggestion): void {
    this.forget([suggestion.imageId]);
  }

  /** Reverts the last labelling and asks the model again, so the pictures come back with their suggestions. */
  async undo(runId: string): Promise<void> {
    await this.dataset.undo();
    await this.suggest(runId);
    this.notice = t('try.suggest.undone');
  }

  private forget(imageIds: number[]): void {
    const gone = new Set(imageIds);
    this.pending = (this.pending ?? []).filter((s) => !gone.has(s.imageId));
  }
}
