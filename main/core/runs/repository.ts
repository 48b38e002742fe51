// Runs of a project: their spec, status, backend and per-epoch metrics, in the project database.
import type { BackendInfo, EpochMetrics, RunEstimate, RunInfo, RunStatus, Said } from '../../../preload/contract';
import type { Db } from '../db/database';
import { Repository } from '../db/statements';
import { CapaError } from '../../../common/messages/errors';
import { nested, readSaid, said, storeSaid } from '../../../common/messages/said';
import { parseSpec, type ModelSpec } from '../../../common/model/spec';

interface RunRow {
  id: string;
  status: RunStatus;
  spec: string;
  class_names: string;
  backend: string | null;
  created_at: string;
  finished_at: string | null;
  error: string | null;
  best_epoch: number | null;
  name: string;
  starred: number;
  duration_seconds: number;
  estimate: string | null;
}

interface EpochRow {
  epoch: number;
  loss: number;
  accuracy: number;
  val_loss: number | null;
  val_accuracy: number | null;
  seconds: number;
}

/** Whether a process with this id exists (signal 0 checks without sending anything). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/** The key of the name a run gets when it is created ("Run 2"). */
const DEFAULT_NAME = 'runs.names.default';

/** A stored name: a default name is a stored sentence (said in each language), anything else is a person's, as typed. */
function storedName(stored: string): Pick<RunInfo, 'name' | 'defaultName'> {
  const sentence = readSaid(stored);
  return sentence.key === DEFAULT_NAME ? { name: sentence.message, defaultName: sentence } : { name: stored, defaultName: null };
}

/** A run's name as a value of a sentence ("{{name, said}}"): a default name said in each language, a person's as typed. */
export const nameValue = (run: Pick<RunInfo, 'name' | 'defaultName'>): string => nested(run.defaultName ?? { message: run.name });

/** An estimate's own values as JSON (a TimeEstimate's sentence is said again from them). */
const storedEstimate = ({ seconds, pictures, epochs, picturesPerSecond, engine, source }: RunEstimate): string =>
  JSON.stringify({ seconds, pictures, epochs, picturesPerSecond, engine, source });

export class RunRepository extends Repository {
  constructor(
    db: Db,
    private readonly projectId: string,
  ) {
    super(db);
  }

  create(id: string, spec: ModelSpec, classNames: string[], estimate: RunEstimate | null = null): RunInfo {
    this.sql('INSERT INTO runs (id, status, spec, class_names, created_at, owner_pid, name, estimate) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      id,
      'queued',
      JSON.stringify(spec),
      JSON.stringify(classNames),
      new Date().toISOString(),
      process.pid,
      this.freshName(),
      estimate && storedEstimate(estimate),
    );
    return this.get(id);
  }

  /**
   * "Run N" with the first N past the number of runs that no run is called yet, stored as a
   * sentence so each language says it its own way; a person's rename is stored as typed.
   */
  private freshName(): string {
    const taken = new Set(
      (this.sql('SELECT name FROM runs').all() as { name: string }[]).map((row) => storedName(row.name).name.toLowerCase()),
    );
    let n = taken.size + 1;
    while (taken.has(said(DEFAULT_NAME, { n }).message.toLowerCase())) n++;
    return storeSaid(said(DEFAULT_NAME, { n }));
  }

  rename(id: string, name: string): RunInfo {
    this.get(id); // an unknown run is an error, not a no-op
    this.sql('UPDATE runs SET name = ? WHERE id = ?').run(name, id);
    return this.get(id);
  }

  setStarred(id: string, starred: boolean): RunInfo {
    this.get(id);
    this.sql('UPDATE runs SET starred = ? WHERE id = ?').run(starred ? 1 : 0, id);
    return this.get(id);
  }

  /** Queues a run again to resume it, owned by this process. */
  requeue(id: string): void {
    this.sql("UPDATE runs SET status = 'queued', error = NULL, finished_at = NULL, owner_pid = ? WHERE id = ?").run(process.pid, id);
  }

  /** Adds an attempt's training time. */
  addDuration(id: string, seconds: number): void {
    this.sql('UPDATE runs SET duration_seconds = duration_seconds + ? WHERE id = ?').run(seconds, id);
  }

  /** Forgets epochs after `epoch`: a resumed run trains them again from its checkpoint. */
  deleteEpochsAfter(id: string, epoch: number): void {
    this.sql('DELETE FROM run_epochs WHERE run_id = ? AND epoch > ?').run(id, epoch);
  }

  get(id: string): RunInfo {
    const row = this.sql('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
    if (!row) throw new CapaError('not-found', said('errors.runStore.missing', { id }));
    return this.toRun(row);
  }

  list(): RunInfo[] {
    return (this.sql('SELECT * FROM runs ORDER BY created_at DESC, rowid DESC').all() as RunRow[]).map((row) => this.toRun(row));
  }

  /** Sets a run's status, with the sentence saying why it failed or was interrupted (stored with its key). */
  setStatus(id: string, status: RunStatus, error: Said | null = null): void {
    const finished = status === 'queued' || status === 'running' ? null : new Date().toISOString();
    this.sql('UPDATE runs SET status = ?, error = ?, finished_at = ? WHERE id = ?').run(status, error && storeSaid(error), finished, id);
  }

  setBackend(id: string, backend: BackendInfo): void {
    this.sql('UPDATE runs SET backend = ? WHERE id = ?').run(JSON.stringify(backend), id);
  }

  setBestEpoch(id: string, epoch: number): void {
    this.sql('UPDATE runs SET best_epoch = ? WHERE id = ?').run(epoch, id);
  }

  addEpoch(id: string, m: EpochMetrics): void {
    this.sql(
      'INSERT OR REPLACE INTO run_epochs (run_id, epoch, loss, accuracy, val_loss, val_accuracy, seconds) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(id, m.epoch, m.loss, m.accuracy, m.valLoss, m.valAccuracy, m.seconds);
  }

  /** Runs left queued or running by a process that is gone are marked interrupted; returns how many. */
  markInterrupted(isAlive: (pid: number) => boolean = processIsAlive): number {
    const orphans = (
      this.sql("SELECT id, owner_pid FROM runs WHERE status IN ('queued', 'running')").all() as { id: string; owner_pid: number | null }[]
    ).filter((run) => run.owner_pid === null || !isAlive(run.owner_pid));
    const mark = this.sql("UPDATE runs SET status = 'interrupted', error = ?, finished_at = ? WHERE id = ?");
    const why = storeSaid(said('runs.training.appClosed'));
    const now = new Date().toISOString();
    // Only when there is something to mark: opening a project must not wait for another writer.
    if (orphans.length > 0) this.db.transaction(() => orphans.forEach((run) => mark.run(why, now, run.id))).immediate();
    return orphans.length;
  }

  delete(id: string): void {
    this.sql('DELETE FROM runs WHERE id = ?').run(id);
  }

  private toRun(row: RunRow): RunInfo {
    const parsed = parseSpec(JSON.parse(row.spec));
    if (!parsed.ok) throw new CapaError('database-corrupt', said('errors.runStore.unreadableSpec', { id: row.id }));
    const epochs = (this.sql('SELECT * FROM run_epochs WHERE run_id = ? ORDER BY epoch').all(row.id) as EpochRow[]).map(
      (e): EpochMetrics => ({
        epoch: e.epoch,
        loss: e.loss,
        accuracy: e.accuracy,
        valLoss: e.val_loss,
        valAccuracy: e.val_accuracy,
        seconds: e.seconds,
      }),
    );
    return {
      id: row.id,
      projectId: this.projectId,
      ...storedName(row.name),
      starred: row.starred === 1,
      status: row.status,
      spec: parsed.spec,
      classNames: JSON.parse(row.class_names) as string[],
      backend: row.backend ? (JSON.parse(row.backend) as BackendInfo) : null,
      createdAt: row.created_at,
      finishedAt: row.finished_at,
      epochs,
      bestEpoch: row.best_epoch,
      durationSeconds: row.duration_seconds,
      estimate: row.estimate === null ? null : (JSON.parse(row.estimate) as RunEstimate),
      error: row.error === null ? null : readSaid(row.error),
    };
  }
}
