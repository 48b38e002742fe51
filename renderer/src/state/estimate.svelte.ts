// How long the spec on screen will take to train here, asked of main (estimateSpec) whenever the
// valid spec or the pictures change; the latest answer wins. And Auto's plan with its reasons
// (planModel), which the Model screen's simple view says in words.
import type { ModelSpec } from '../../../common/model/spec';
import type { ModelPlan, TimeEstimate } from '../../../common/model/auto-plan';
import type { AppContext } from './context';
import { attempt } from '../lib/result';

export class EstimateState {
  /** The estimate of the last spec asked about, or null before one. */
  estimate = $state<TimeEstimate | null>(null);
  /** Auto's plan for the project's pictures and this computer, once asked for. */
  plan = $state<ModelPlan | null>(null);
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

  /** Asks main for Auto's plan (why each choice was made); a failure leaves the previous one. */
  async loadPlan(): Promise<void> {
    const plan = await attempt(this.context.api.planModel({ projectId: this.projectId }), () => undefined);
    if (plan) this.plan = plan;
  }
}
