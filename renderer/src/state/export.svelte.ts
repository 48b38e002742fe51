// The export screen's state: which formats the chosen run offers (and why not), the options,
// and the export itself with its result.
import type { CapaApi, ExportChoices, ExportFormat, ExportQuantization, ExportWeights, ModelExportResult } from '../../../preload/contract';
import { t } from '../lib/i18n/i18n.svelte';
import { attempt } from '../lib/result';

export class ExportState {
  choices = $state<ExportChoices | null>(null);
  format = $state<ExportFormat>('tfjs');
  weights = $state<ExportWeights>('best');
  quantization = $state<ExportQuantization>('none');
  /** Folder the person picked (desktop); null writes to the project's exports folder. */
  directory = $state<string | null>(null);
  /** Whether this host can show a native folder picker. */
  canChooseFolder = $state(false);
  result = $state<ModelExportResult | null>(null);
  error = $state('');
  busy = $state(false);
  private loadedFor = '';

  constructor(private readonly api: CapaApi) {}

  /** The chosen format's entry, when choices are loaded. */
  get chosen() {
    return this.choices?.formats.find((f) => f.format === this.format) ?? null;
  }

  /** Loads the formats a run offers; keeps the chosen format when it is still available. */
  async load(projectId: string, runId: string): Promise<void> {
    const key = `${projectId}/${runId}`;
    if (this.loadedFor === key) return;
    this.loadedFor = key;
    this.choices = null;
    this.result = null;
    this.error = '';
    const info = await attempt(this.api.appInfo({}), () => {});
    this.canChooseFolder = info?.host === 'electron';
    const choices = await attempt(this.api.exportChoices({ projectId, runId }), (message) => (this.error = message));
    if (!choices || this.loadedFor !== key) return;
    this.choices = choices;
    if (!choices.formats.find((f) => f.format === this.format)?.available)
      this.format = choices.formats.find((f) => f.available)?.format ?? 'tfjs';
    if (!choices.weights.includes(this.weights)) this.weights = choices.weights[0] ?? 'best';
  }

  choose(format: ExportFormat): void {
    this.format = format;
    this.result = null;
    if (!this.chosen?.quantizable) this.quantization = 'none';
  }

  async chooseFolder(): Promise<void> {
    const folder = await attempt(this.api.chooseFolder({ title: t('export.chooseFolderTitle') }), (message) => (this.error = message));
    if (folder) this.directory = folder;
  }

  /** Stops the export being written; it answers "cancelled" and leaves nothing behind. */
  async cancel(projectId: string, runId: string): Promise<void> {
    await attempt(this.api.cancelExport({ projectId, runId }), (message) => (this.error = message));
  }

  async export(projectId: string, runId: string): Promise<void> {
    this.result = null;
    this.error = '';
    this.busy = true;
    const result = await attempt(
      this.api.exportRun({
        projectId,
        runId,
        format: this.format,
        weights: this.weights,
        quantization: this.quantization,
        ...(this.directory ? { directory: this.directory } : {}),
      }),
      (message) => (this.error = message),
    );
    this.busy = false;
    if (result) this.result = result;
  }
}
