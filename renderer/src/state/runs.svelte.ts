// The train screen's state: runs of the project, the live run's progress, start, stop and
// resume, and the runs table (sort, filter, rename, star, delete, compare).
import type { FilterImages, RunComparison, RunEvent, RunInfo, Said } from '../../../preload/contract';
import { attempt } from '../lib/result';
import { sortRuns, type RunSortKey } from '../lib/run-table';
import type { AppContext } from './context';

/** The latest progress of the live run. */
export interface LiveProgress {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  loss: number;
  accuracy: number;
  imagesPerSecond: number;
}

/** One per-batch point for the charts; x is the fractional epoch. */
export interface BatchPoint {
  x: number;
  loss: number;
  accuracy: number;
}

/** What only the live stream tells: progress, timing, messages. */
export interface LiveRun {
  runId: string;
  startedAt: number;
  trainCount: number;
  validationCount: number;
  progress: LiveProgress | null;
  batchPoints: BatchPoint[];
  /** The run's log lines as the trainer said them (translated when shown). */
  log: { level: 'info' | 'warn'; line: Said }[];
  /** The first convolutional layer's filters after the latest epoch (epoch 0: before training), when the network has one. */
  filters?: { epoch: number; filters: FilterImages };
}

const ACTIVE = new Set(['queued', 'running']);

export class RunsState {
  runs = $state<RunInfo[]>([]);
  selectedId = $state<string | null>(null);
  live = $state<LiveRun | null>(null);
  loadError = $state('');
  actionError = $state('');
  /** What went wrong with the last action in the runs table (rename, star, delete, resume, compare). */
  tableError = $state('');
  starting = $state(false);
  stopping = $state(false);
  /** The runs table's column and direction. */
  sortKey = $state<RunSortKey>('date');
  sortDescending = $state(true);
  /** Show only starred runs. */
  starredOnly = $state(false);
  /** Runs ticked for comparison. */
  checked = $state<string[]>([]);
  /** The comparison on screen, if any. */
  comparison = $state<RunComparison | null>(null);
  comparing = $state(false);
  /** Runs whose events arrive but that belong elsewhere (another project), or are being fetched. */
  private readonly ignored = new Set<string>();

  /** The run the charts show: the one picked, else the newest. */
  readonly selected = $derived(this.runs.find((run) => run.id === this.selectedId) ?? this.runs[0] ?? null);
  /** The run in progress, if any. */
  readonly active = $derived(this.runs.find((run) => ACTIVE.has(run.status)) ?? null);
  /** The rows of the runs table, in order. */
  readonly table = $derived(
    sortRuns(this.starredOnly ? this.runs.filter((run) => run.starred) : this.runs, this.sortKey, this.sortDescending),
  );
  /** Runs with weights to predict with and export, newest first. */
  readonly usable = $derived(this.runs.filter((run) => (run.status === 'completed' || run.status === 'stopped') && run.epochs.length > 0));

  constructor(
    private readonly context: AppContext,
    readonly projectId: string,
  ) {}

  async load(): Promise<void> {
    const runs = await attempt(this.context.api.listRuns({ projectId: this.projectId }), (message) => (this.loadError = message));
    if (!runs) return;
    this.loadError = '';
    this.runs = runs;
  }

  select(runId: string): void {
    this.selectedId = runId;
  }

  /** Saves the spec (through `saveFirst`), then starts a run. */
  async start(saveFirst: () => Promise<boolean>): Promise<void> {
    this.actionError = '';
    this.starting = true;
    try {
      if (!(await saveFirst())) {
        this.actionError = 'The model has problems; fix them on the Model screen, then train.';
        return;
      }
      const run = await attempt(this.context.api.startRun({ projectId: this.projectId }), (message) => (this.actionError = message));
      if (!run) return;
      // Events may have arrived first and brought a newer copy; keep that one.
      if (!this.runs.some((r) => r.id === run.id)) this.upsert(run);
      this.selectedId = run.id;
      if (this.live?.runId !== run.id) {
        this.live = { runId: run.id, startedAt: Date.now(), trainCount: 0, validationCount: 0, progress: null, batchPoints: [], log: [] };
      }
    } finally {
      this.starting = false;
    }
  }

  /** Sorts by `key`; the same key again reverses the order. */
  sortBy(key: RunSortKey): void {
    if (this.sortKey === key) this.sortDescending = !this.sortDescending;
    else {
      this.sortKey = key;
      // Text reads best A to Z; numbers and dates best largest (newest) first.
      this.sortDescending = !['name', 'status', 'backend', 'preset', 'finalLoss'].includes(key);
    }
  }

  /** Renames a run; false (with the reason in actionError) when refused. */
  async rename(runId: string, name: string): Promise<boolean> {
    this.tableError = '';
    const run = await attempt(
      this.context.api.renameRun({ projectId: this.projectId, runId, name }),
      (message) => (this.tableError = message),
    );
    if (run) this.upsert(run);
    return run !== undefined;
  }

  async star(runId: string, starred: boolean): Promise<void> {
    this.tableError = '';
    const run = await attempt(
      this.context.api.starRun({ projectId: this.projectId, runId, starred }),
      (message) => (this.tableError = message),
    );
    if (run) this.upsert(run);
  }

  /** Deletes a run with its files (the caller asked the person first). */
  async remove(runId: string): Promise<void> {
    this.tableError = '';
    const deleted = await attempt(
      this.context.api.deleteRun({ projectId: this.projectId, runId }),
      (message) => (this.tableError = message),
    );
    if (deleted === undefined) return;
    this.runs = this.runs.filter((run) => run.id !== runId);
    this.checked = this.checked.filter((id) => id !== runId);
    if (this.selectedId === runId) this.selectedId = null;
    if (this.comparison?.runs.some((run) => run.id === runId)) this.comparison = null;
  }

  /** Continues an interrupted or stopped run from its last finished epoch. */
  async resume(runId: string): Promise<void> {
    this.tableError = '';
    const run = await attempt(this.context.api.resumeRun({ projectId: this.projectId, runId }), (message) => (this.tableError = message));
    if (!run) return;
    this.upsert(run);
    this.selectedId = run.id;
    this.live = { runId: run.id, startedAt: Date.now(), trainCount: 0, validationCount: 0, progress: null, batchPoints: [], log: [] };
  }

  toggleChecked(runId: string): void {
    this.checked = this.checked.includes(runId) ? this.checked.filter((id) => id !== runId) : [...this.checked, runId];
  }

  /** Fetches the comparison of the ticked runs, in table order. */
  async compare(): Promise<void> {
    this.tableError = '';
    this.comparing = true;
    const runIds = this.table.filter((run) => this.checked.includes(run.id)).map((run) => run.id);
    const comparison = await attempt(
      this.context.api.compareRuns({ projectId: this.projectId, runIds }),
      (message) => (this.tableError = message),
    );
    this.comparing = false;
    if (comparison) this.comparison = comparison;
  }

  closeComparison(): void {
    this.comparison = null;
  }

  async stop(): Promise<void> {
    const run = this.active;
    if (!run) return;
    this.actionError = '';
    this.stopping = true;
    await attempt(this.context.api.stopRun({ projectId: this.projectId, runId: run.id }), (message) => (this.actionError = message));
    this.stopping = false;
  }

  handle(event: RunEvent): void {
    let run = this.runs.find((r) => r.id === event.runId);
    if (!run) {
      // A run of another project, or one started elsewhere (or before startRun answered): fetch it if it is ours.
      if (!this.ignored.has(event.runId)) void this.adopt(event.runId);
      return;
    }
    const live = this.liveFor(event.runId);
    switch (event.kind) {
      case 'started': {
        run.status = 'running';
        run.backend = event.backend;
        live.startedAt = Date.now();
        live.trainCount = event.trainCount;
        live.validationCount = event.validationCount;
        // Resumed: later epochs were cut short and train again.
        const { resumedFrom } = event;
        if (resumedFrom !== undefined) run.epochs = run.epochs.filter((e) => e.epoch <= resumedFrom);
        break;
      }
      case 'progress': {
        run.status = 'running';
        const { kind: _kind, runId: _runId, ...progress } = event;
        live.progress = progress;
        const x = event.epoch - 1 + Math.min(1, event.batch / Math.max(1, event.batches));
        live.batchPoints.push({ x, loss: event.loss, accuracy: event.accuracy });
        break;
      }
      case 'epoch': {
        const index = run.epochs.findIndex((e) => e.epoch === event.metrics.epoch);
        if (index >= 0) run.epochs[index] = event.metrics;
        else {
          run.epochs.push(event.metrics);
          // Close enough while it trains; the stored time (with decoding) replaces it when it ends.
          run.durationSeconds += event.metrics.seconds;
        }
        break;
      }
      case 'filters':
        live.filters = { epoch: event.epoch, filters: event.filters };
        break;
      case 'log':
        // The event is the sentence (message, key, params) with its run and level.
        live.log.push({ level: event.level, line: event });
        break;
      case 'done':
        // A refusal that depended on the run training no longer holds.
        this.tableError = '';
        run.status = event.status;
        run.error = event.error;
        void this.refresh(event.runId);
        break;
    }
  }

  private liveFor(runId: string): LiveRun {
    if (this.live?.runId !== runId) {
      this.live = { runId, startedAt: Date.now(), trainCount: 0, validationCount: 0, progress: null, batchPoints: [], log: [] };
    }
    return this.live!;
  }

  private upsert(run: RunInfo): void {
    const index = this.runs.findIndex((r) => r.id === run.id);
    if (index >= 0) this.runs[index] = run;
    else this.runs.unshift(run);
  }

  private async refresh(runId: string): Promise<void> {
    const run = await attempt(this.context.api.getRun({ projectId: this.projectId, runId }), () => {});
    if (run) this.upsert(run);
  }

  private async adopt(runId: string): Promise<void> {
    this.ignored.add(runId);
    const run = await attempt(this.context.api.getRun({ projectId: this.projectId, runId }), () => {});
    if (!run || run.projectId !== this.projectId) return; // stays ignored
    this.ignored.delete(runId);
    if (!this.runs.some((r) => r.id === runId)) this.upsert(run);
  }
}
