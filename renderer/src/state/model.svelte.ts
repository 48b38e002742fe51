// The model screen's state: the spec being edited, its validation and its live Keras summary.
import type { SpecIssue } from '../../../main/core/spec/spec';
import { parseSpec, type InputSpec, type LayerSpec, type LayerType, type ModelSpec, type TrainingSpec } from '../../../main/core/spec/spec';
import { presetById } from '../../../main/core/spec/presets';
import type { ModelSummary } from '../../../main/core/spec/summary';
import { summarizeWithBackbone } from '../../../main/core/backbones/summary';
import { backboneState, type BackboneState } from './backbones.svelte';
import { attempt } from '../lib/result';
import type { AppContext } from './context';

/** A new layer of each type, with Keras's usual values. */
export const NEW_LAYER: Record<LayerType, () => LayerSpec> = {
  Conv2D: () => ({ type: 'Conv2D', filters: 16, kernel_size: 3, strides: 1, padding: 'valid', activation: 'relu' }),
  MaxPooling2D: () => ({ type: 'MaxPooling2D', pool_size: 2, strides: null, padding: 'valid' }),
  Flatten: () => ({ type: 'Flatten' }),
  Dense: () => ({ type: 'Dense', units: 64, activation: 'relu' }),
  Dropout: () => ({ type: 'Dropout', rate: 0.25 }),
};

export class ModelState {
  /** The spec as edited; may hold invalid values until they are fixed. */
  spec = $state<ModelSpec | null>(null);
  private savedJson = $state('');
  loadError = $state('');
  saveError = $state('');
  saving = $state(false);

  /** Result of validating the edited spec. */
  readonly parsed = $derived.by(() => (this.spec ? parseSpec($state.snapshot(this.spec)) : null));
  /** Keras-style summary of the valid spec, for the project's current number of classes. */
  readonly summary = $derived.by((): ModelSummary | null =>
    this.parsed?.ok ? summarizeWithBackbone(this.parsed.spec, this.numClasses(), this.backbones) : null,
  );
  /** Every problem: schema issues first, then shape issues from the summary. */
  readonly issues = $derived.by((): SpecIssue[] => {
    if (!this.parsed) return [];
    return this.parsed.ok ? (this.summary?.issues ?? []) : this.parsed.issues;
  });
  readonly dirty = $derived(this.spec !== null && JSON.stringify(this.spec) !== this.savedJson);

  constructor(
    private readonly context: AppContext,
    readonly projectId: string,
    readonly numClasses: () => number,
  ) {}

  /** The pretrained networks (shared by every project) that a transfer-learning spec builds on. */
  get backbones(): BackboneState {
    return backboneState(this.context);
  }

  async load(): Promise<void> {
    const spec = await attempt(this.context.api.getSpec({ projectId: this.projectId }), (message) => (this.loadError = message));
    if (!spec) return;
    this.loadError = '';
    this.spec = spec;
    this.savedJson = JSON.stringify(spec);
  }

  /** The first issue at exactly this field path, e.g. ["layers", "2", "units"]. */
  issueAt(...path: (string | number)[]): string | undefined {
    const key = path.join('.');
    return this.issues.find((issue) => issue.path.join('.') === key)?.message;
  }

  /** Issues that belong to no single field shown on screen. */
  readonly otherIssues = $derived.by(() =>
    this.issues.filter((issue) => {
      const [head, , field] = issue.path;
      if (head === 'input' || head === 'training') return issue.path.length !== 2;
      if (head === 'layers') return field === undefined;
      return true;
    }),
  );

  applyPreset(id: string): void {
    const preset = presetById(id);
    if (!preset || !this.spec) return;
    this.spec = preset.build($state.snapshot(this.spec.input), $state.snapshot(this.spec.training));
  }

  setInput(patch: Partial<InputSpec>): void {
    if (this.spec) Object.assign(this.spec.input, patch);
  }

  setTraining(patch: Partial<TrainingSpec>): void {
    if (this.spec) Object.assign(this.spec.training, patch);
  }

  updateLayer(index: number, patch: Partial<LayerSpec>): void {
    const layer = this.spec?.layers[index];
    if (!layer || !this.spec) return;
    Object.assign(layer, patch);
    this.spec.preset = 'custom';
  }

  addLayer(type: LayerType): void {
    if (!this.spec) return;
    this.spec.layers.push(NEW_LAYER[type]());
    this.spec.preset = 'custom';
  }

  removeLayer(index: number): void {
    if (!this.spec) return;
    this.spec.layers.splice(index, 1);
    this.spec.preset = 'custom';
  }

  moveLayer(index: number, by: -1 | 1): void {
    const layers = this.spec?.layers;
    const target = index + by;
    if (!layers || !this.spec || target < 0 || target >= layers.length) return;
    const [layer] = layers.splice(index, 1);
    layers.splice(target, 0, layer!);
    this.spec.preset = 'custom';
  }

  /** Saves the spec; true when stored (or nothing changed). */
  async save(): Promise<boolean> {
    if (!this.spec) return false;
    if (!this.dirty) return true;
    this.saving = true;
    this.saveError = '';
    const saved = await attempt(
      this.context.api.saveSpec({ projectId: this.projectId, spec: $state.snapshot(this.spec) }),
      (message) => (this.saveError = message),
    );
    this.saving = false;
    if (!saved) return false;
    this.spec = saved;
    this.savedJson = JSON.stringify(saved);
    return true;
  }
}
