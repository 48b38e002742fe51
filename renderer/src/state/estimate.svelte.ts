// How long the spec on screen will take to train here, asked of main (estimateSpec) whenever the
// valid spec or the pictures change; the latest answer wins.
import type { ModelSpec } from '../../../common/model/spec';
import type { TimeEstimate } from '../../../common/model/auto-plan';
import type { AppContext } from './context';
import { attempt } from '../lib/result';

export class EstimateState {
  /** The estimate of the last spec asked about, or null before one. */
  estimate = $state<TimeEstimate | null>(null);
  private asked = 0;

  constructor(
    private readonly context: AppContext,
    private readonly projectId: string,
  ) {}

  async update(spec: ModelSpec): Promise<void> {
    const ask = ++this.asked;
    // A spec that cannot be estimated (it does not build yet) keeps the line empty, not an error.
    const estimate = await attempt(this.context.api.estimateSpec({ projectId: this.projectId, spec }), () => undefined);
    if (ask === this.asked) this.estimate = estimate ?? null;
  }
}
