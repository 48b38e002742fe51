// The model screen's state: the spec being edited, its validation and its live Keras summary.
import { trainingToKeep } from '../../../common/model/auto-plan';
import type { SpecIssue } from '../../../common/model/spec';
import type { NamedSpecList } from '../../../preload/contract';
import {
  parseSpec,
  type AugmentationSpec,
  type InputSpec,
  type LayerSpec,
  type LayerType,
  type ModelSpec,
  type TrainingSpec,
} from '../../../common/model/spec';
import { layer, presetById, presetInput } from '../../../common/model/presets';
import type { ModelSummary } from '../../../common/model/summary';
import { summarizeWithBackbone } from '../../../common/backbones/summary';
import { backboneState, type BackboneState } from './backbones.svelte';
import { say } from '../lib/i18n/i18n.svelte';
import { attempt } from '../lib/result';
import type { AppContext } from './context';

/** A new layer of each type, with Keras's usual values. */
export const NEW_LAYER: Record<LayerType, () => LayerSpec> = {
  Conv2D: () => layer({ type: 'Conv2D', filters: 16, kernel_size: 3 }),
  SeparableConv2D: () => layer({ type: 'SeparableConv2D', filters: 16, kernel_size: 3 }),
  DepthwiseConv2D: () => layer({ type: 'DepthwiseConv2D', kernel_size: 3 }),
  MaxPooling2D: () => layer({ type: 'MaxPooling2D', pool_size: 2 }),
  AveragePooling2D: () => layer({ type: 'AveragePooling2D', pool_size: 2 }),
  GlobalAveragePooling2D: () => layer({ type: 'GlobalAveragePooling2D' }),
  GlobalMaxPooling2D: () => layer({ type: 'GlobalMaxPooling2D' }),
  Flatten: () => layer({ type: 'Flatten' }),
  Dense: () => layer({ type: 'Dense', units: 64 }),
  Dropout: () => layer({ type: 'Dropout', rate: 0.25 }),
  SpatialDropout2D: () => layer({ type: 'SpatialDropout2D', rate: 0.1 }),
  BatchNormalization: () => layer({ type: 'BatchNormalization' }),
  LayerNormalization: () => layer({ type: 'LayerNormalization' }),
  Activation: () => layer({ type: 'Activation', activation: 'relu' }),
  Rescaling: () => layer({ type: 'Rescaling', scale: 2, offset: -1 }),
  ZeroPadding2D: () => layer({ type: 'ZeroPadding2D', padding: 1 }),
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
  /** The project's named specs. */
  named = $state<NamedSpecList>({ specs: [], selectedId: null });
  readonly dirty = $derived(this.spec !== null && JSON.stringify(this.spec) !== this.savedJson);

  /** The pretrained networks (shared by every project) that a transfer-learning spec builds on. */
  readonly backbones: BackboneState;

  constructor(
    private readonly context: AppContext,
    readonly projectId: string,
    readonly numClasses: () => number,
  ) {
    // Made here, not lazily inside `summary`: state created while a derived runs is not tracked
    // by it, so a new project's default transfer spec would never see the list arrive.
    this.backbones = backboneState(context);
  }

  async load(): Promise<void> {
    const spec = await attempt(this.context.api.getSpec({ projectId: this.projectId }), (message) => (this.loadError = message));
    if (!spec) return;
    this.loadError = '';
    this.spec = spec;
    this.savedJson = JSON.stringify(spec);
    await this.loadNamed();
  }

  /** URL of one picture of the project (for the augmentation preview), or null when it has none. */
  async sampleImageUrl(): Promise<string | null> {
    const result = await this.context.api.listImages({ projectId: this.projectId, offset: 0, limit: 1 });
    const image = result.ok ? result.value.images[0] : undefined;
    return image ? this.context.platform.mediaUrl('image', this.projectId, image.id) : null;
  }

  async loadNamed(): Promise<void> {
    const named = await attempt(this.context.api.listSpecs({ projectId: this.projectId }), (message) => (this.saveError = message));
    if (named) this.named = named;
  }

  /** Switches to a saved model (unsaved changes to the current one are dropped). */
  async selectNamed(specId: number): Promise<void> {
    const spec = await attempt(this.context.api.selectSpec({ projectId: this.projectId, specId }), (message) => (this.saveError = message));
    if (!spec) return;
    this.spec = spec;
    this.savedJson = JSON.stringify(spec);
    await this.loadNamed();
  }

  /** Stores the edited spec under a new name and selects it; true when done. */
  async saveAs(name: string): Promise<boolean> {
    if (!this.spec) return false;
    this.saveError = '';
    const spec = $state.snapshot(this.spec);
    const saved = await attempt(
      this.context.api.saveSpecAs({ projectId: this.projectId, name, spec }),
      (message) => (this.saveError = message),
    );
    if (!saved) return false;
    this.savedJson = JSON.stringify(spec);
    await this.loadNamed();
    return true;
  }

  /** Renames the selected saved model. */
  async renameNamed(name: string): Promise<boolean> {
    const selected = this.named.selectedId;
    if (selected === null) return false;
    const renamed = await attempt(
      this.context.api.renameSpec({ projectId: this.projectId, specId: selected, name }),
      (message) => (this.saveError = message),
    );
    if (renamed) await this.loadNamed();
    return Boolean(renamed);
  }

  /** Deletes a saved model that is not the selected one. */
  async deleteNamed(specId: number): Promise<void> {
    const done = await attempt(this.context.api.deleteSpec({ projectId: this.projectId, specId }), (message) => (this.saveError = message));
    if (done !== undefined) await this.loadNamed();
  }

  /** Copies the selected saved model under a new name. */
  async duplicateNamed(name: string): Promise<boolean> {
    const selected = this.named.selectedId;
    if (selected === null) return this.saveAs(name);
    const copy = await attempt(
      this.context.api.duplicateSpec({ projectId: this.projectId, specId: selected, name }),
      (message) => (this.saveError = message),
    );
    if (!copy) return false;
    await this.loadNamed();
    return true;
  }

  /** The first issue at exactly this field path, e.g. ["layers", "2", "units"], in the current language. */
  issueAt(...path: (string | number)[]): string | undefined {
    const key = path.join('.');
    const issue = this.issues.find((candidate) => candidate.path.join('.') === key);
    return issue && say(issue);
  }

  /** Issues of one layer, by field (the field after "layers", index; nested fields report their parent). */
  layerIssues(index: number): { field: string; message: string }[] {
    return this.issues
      .filter((issue) => issue.path[0] === 'layers' && issue.path[1] === String(index) && issue.path[2] !== undefined)
      .map((issue) => ({ field: issue.path[2]!, message: say(issue) }));
  }

  /** Issues that belong to no single field shown on screen. */
  readonly otherIssues = $derived.by(() =>
    this.issues.filter((issue) => {
      const [head, , field] = issue.path;
      // Every input, augmentation and training field (callbacks' too) shows its own issue.
      if (head === 'input' || head === 'training' || head === 'augmentation') return false;
      if (head === 'layers') return field === undefined;
      return true;
    }),
  );

  applyPreset(id: string): void {
    const preset = presetById(id);
    if (!preset || !this.spec) return;
    this.spec = preset.build(presetInput($state.snapshot(this.spec)), trainingToKeep($state.snapshot(this.spec)));
  }

  setInput(patch: Partial<InputSpec>): void {
    if (this.spec) Object.assign(this.spec.input, patch);
  }

  setTraining(patch: Partial<TrainingSpec>): void {
    if (this.spec) Object.assign(this.spec.training, patch);
  }

  setAugmentation(patch: Partial<AugmentationSpec>): void {
    if (this.spec) Object.assign(this.spec.augmentation, patch);
  }

  duplicateLayer(index: number): void {
    const layers = this.spec?.layers;
    if (!layers || !this.spec || !layers[index]) return;
    layers.splice(index + 1, 0, $state.snapshot(layers[index]) as LayerSpec);
    this.spec.preset = 'custom';
  }

  /** Moves a layer from one place to another (drag and drop). */
  moveLayerTo(from: number, to: number): void {
    const layers = this.spec?.layers;
    if (!layers || !this.spec || from === to || !layers[from] || to < 0 || to >= layers.length) return;
    const [moved] = layers.splice(from, 1);
    layers.splice(to, 0, moved!);
    this.spec.preset = 'custom';
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
    this.moveLayerTo(index, index + by);
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
    await this.loadNamed();
    return true;
  }
}
