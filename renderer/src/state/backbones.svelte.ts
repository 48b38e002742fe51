// The pretrained networks the model screen offers for transfer learning: their download state,
// live download progress (from backbone events) and imports from a folder. One list per app:
// the cache is shared by every project and a download goes on while the person switches screens.
import type { BackboneEvent, BackboneInfo } from '../../../preload/contract';
import { fineTunable, shapeOf } from '../../../common/backbones/catalogue';
import type { BackboneShape } from '../../../common/model/summary';
import { say } from '../lib/i18n/i18n.svelte';
import { attempt } from '../lib/result';
import type { AppContext } from './context';

/** Progress of a running download. */
export interface DownloadProgress {
  /** Bytes received so far. */
  bytes: number;
  /** Expected bytes in all. */
  total: number;
  /** Average speed. */
  bytesPerSecond: number;
}

export class BackboneState {
  /** Every known backbone, as last listed. */
  list = $state<BackboneInfo[]>([]);
  /** Progress of downloads in flight, by backbone id. */
  progress = $state<Record<string, DownloadProgress>>({});
  /** The last error of a backbone's download or import, by id ("" key: an import without id). */
  errors = $state<Record<string, string>>({});
  loaded = $state(false);
  importing = $state(false);

  constructor(private readonly context: AppContext) {
    context.api.onBackboneEvent((event) => this.onEvent(event));
  }

  private onEvent(event: BackboneEvent): void {
    if (event.kind === 'progress') {
      this.progress[event.id] = { bytes: event.bytes, total: event.total, bytesPerSecond: event.bytesPerSecond };
      this.patch(event.id, { state: 'downloading' });
    } else {
      delete this.progress[event.id];
      if (event.kind === 'done') this.replace(event.backbone);
      else {
        this.errors[event.id] = say(event);
        this.patch(event.id, { state: 'absent' });
      }
    }
  }

  private patch(id: string, change: Partial<BackboneInfo>): void {
    const index = this.list.findIndex((b) => b.id === id);
    if (index >= 0) this.list[index] = { ...this.list[index]!, ...change };
  }

  private replace(backbone: BackboneInfo): void {
    const index = this.list.findIndex((b) => b.id === backbone.id);
    if (index >= 0) this.list[index] = backbone;
    else this.list.push(backbone);
  }

  async load(): Promise<void> {
    const list = await attempt(this.context.api.listBackbones({}), (message) => this.context.toast(message, 'error'));
    if (!list) return;
    this.list = list;
    this.loaded = true;
  }

  byId(id: string): BackboneInfo | undefined {
    return this.list.find((b) => b.id === id);
  }

  /** The summary's view of a backbone. */
  shape(id: string): BackboneShape | null {
    const b = this.byId(id);
    return b ? shapeOf(b) : null;
  }

  /** Whether its last blocks can be trained (layers models only). */
  canFineTune(id: string): boolean {
    const b = this.byId(id);
    return b !== undefined && fineTunable(b.format);
  }

  async download(id: string): Promise<void> {
    delete this.errors[id];
    this.patch(id, { state: 'downloading' });
    // The error also arrives as an event (kept in `errors`); the result only confirms the end.
    const done = await attempt(this.context.api.downloadBackbone({ id }), (message) => (this.errors[id] = message));
    if (done) this.replace(done);
    else this.patch(id, { state: 'absent' });
  }

  /** Copies a TensorFlow.js model folder into the cache; `id` makes it stand in for a catalogue entry. */
  async importFolder(path: string, id?: string): Promise<BackboneInfo | undefined> {
    const key = id ?? '';
    delete this.errors[key];
    this.importing = true;
    const imported = await attempt(
      this.context.api.importBackbone({ path, ...(id ? { id } : {}) }),
      (message) => (this.errors[key] = message),
    );
    this.importing = false;
    if (imported) this.replace(imported);
    return imported;
  }
}

let shared: BackboneState | null = null;

/** The app's one BackboneState, made on first use. */
export function backboneState(context: AppContext): BackboneState {
  shared ??= new BackboneState(context);
  return shared;
}
