// Stored evaluations of runs (migration 6) and the data set state they are compared with. This
// module owns their SQL. Per image the ids, label indices and probabilities are packed arrays.
import { createHash } from 'node:crypto';
import type {
  EvaluatedImage,
  EvaluatedImageQuery,
  Evaluation,
  EvaluationMetrics,
  EvaluationSplit,
  EvaluationSummary,
  EvaluationWeights,
  Staleness,
} from '../../../preload/contract';
import { Repository } from '../db/statements';
import { CapaError } from '../../../common/messages/errors';
import { said } from '../../../common/messages/said';
import { argmax, disagreement, mostConfused } from '../../../common/evaluation/metrics';

/** The labelled images of one split that a run can be evaluated on, as they are now. */
export interface SplitSnapshot {
  /** Image ids, ascending. */
  ids: number[];
  /** Index into the run's classes, per image. */
  labels: number[];
  /** Stored file of each image. */
  files: { hash: string; ext: string }[];
  /** Labelled images of the split whose class the run was not trained on. */
  skipped: number;
  /** Hash of (id, label) of every image above: equal fingerprints mean nothing changed. */
  fingerprint: string;
}

/** What an evaluation stores. */
export interface NewEvaluation {
  /** The run evaluated. */
  runId: string;
  /** Which images. */
  split: EvaluationSplit;
  /** Which weights. */
  weights: EvaluationWeights;
  /** The images and labels evaluated, with the fingerprint of that state. */
  snapshot: SplitSnapshot;
  /** Row-major probabilities, one row of `classCount` per image. */
  probabilities: Float32Array;
  /** Every metric. */
  metrics: EvaluationMetrics;
}

interface EvaluationRow {
  id: number;
  run_id: string;
  split: EvaluationSplit;
  weights: EvaluationWeights;
  created_at: string;
  metrics: string;
  skipped: number;
  image_ids: Buffer;
  labels: Buffer;
  probabilities: Buffer;
  fingerprint: string;
}

// Copies into a fresh buffer: SQLite's blob may not sit on a 4-byte boundary.
const int32s = (blob: Buffer): Int32Array => new Int32Array(new Uint8Array(blob).buffer);
const float32s = (blob: Buffer): Float32Array => new Float32Array(new Uint8Array(blob).buffer);
const blobOf = (values: Int32Array | Float32Array): Buffer => Buffer.from(values.buffer, values.byteOffset, values.byteLength);

/** The fingerprint of a list of (image id, class index) pairs. */
function fingerprintOf(ids: readonly number[], labels: readonly number[], classNames: readonly string[]): string {
  const hash = createHash('sha256');
  ids.forEach((id, i) => hash.update(`${id}\t${classNames[labels[i]!]}\n`));
  return hash.digest('hex');
}

export class EvaluationStore extends Repository {
  /** The labelled images of `split` whose class is one of `classNames`, as they are now. */
  snapshot(split: EvaluationSplit, classNames: readonly string[]): SplitSnapshot {
    const index = new Map(classNames.map((name, i) => [name.toLowerCase(), i]));
    const rows = this.sql(
      'SELECT i.id, i.hash, i.ext, c.name FROM images i JOIN classes c ON c.id = i.class_id WHERE i.split = ? ORDER BY i.id',
    ).all(split) as { id: number; hash: string; ext: string; name: string }[];
    const snapshot: SplitSnapshot = { ids: [], labels: [], files: [], skipped: 0, fingerprint: '' };
    for (const row of rows) {
      const label = index.get(row.name.toLowerCase());
      if (label === undefined) {
        snapshot.skipped++;
        continue;
      }
      snapshot.ids.push(row.id);
      snapshot.labels.push(label);
      snapshot.files.push({ hash: row.hash, ext: row.ext });
    }
    snapshot.fingerprint = fingerprintOf(snapshot.ids, snapshot.labels, classNames);
    return snapshot;
  }

  /** Stores an evaluation, replacing the run's earlier one of the same split and weights; returns its id. */
  save(evaluation: NewEvaluation): number {
    const { runId, split, weights, snapshot, probabilities, metrics } = evaluation;
    return this.db
      .transaction(() => {
        this.sql('DELETE FROM evaluations WHERE run_id = ? AND split = ? AND weights = ?').run(runId, split, weights);
        const result = this.sql(
          `INSERT INTO evaluations (run_id, split, weights, created_at, metrics, skipped, image_ids, labels, probabilities, fingerprint)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          runId,
          split,
          weights,
          new Date().toISOString(),
          JSON.stringify(metrics),
          snapshot.skipped,
          blobOf(Int32Array.from(snapshot.ids)),
          blobOf(Int32Array.from(snapshot.labels)),
          blobOf(probabilities),
          snapshot.fingerprint,
        );
        return Number(result.lastInsertRowid);
      })
      .immediate();
  }

  /** A run's evaluations, test before validation, best before last. */
  list(runId: string, classNames: readonly string[]): EvaluationSummary[] {
    const rows = this.sql('SELECT * FROM evaluations WHERE run_id = ? ORDER BY split, weights').all(runId) as EvaluationRow[];
    return rows.map((row) => this.summary(row, classNames));
  }

  /** One evaluation with all its metrics. */
  get(id: number, classNamesOf: (runId: string) => string[]): Evaluation {
    const row = this.row(id);
    const classNames = classNamesOf(row.run_id);
    const metrics = JSON.parse(row.metrics) as EvaluationMetrics;
    return {
      ...this.summary(row, classNames),
      classNames,
      metrics,
      mostConfused: mostConfused(metrics.confusion, classNames),
      skipped: row.skipped,
    };
  }

  /** Evaluated images matching `query`, with their current label and file name. */
  images(query: EvaluatedImageQuery, classNamesOf: (runId: string) => string[]): EvaluatedImage[] {
    const row = this.row(query.evaluationId);
    const classNames = classNamesOf(row.run_id);
    const ids = int32s(row.image_ids);
    const labels = int32s(row.labels);
    const probabilities = float32s(row.probabilities);
    const width = classNames.length;
    const classIndex = (name: string | undefined) => (name === undefined ? undefined : classNames.indexOf(name));
    const actual = classIndex(query.actual);
    const predictedFilter = classIndex(query.predicted);
    const picked: { i: number; predicted: number; disagreement: number }[] = [];
    for (let i = 0; i < ids.length; i++) {
      const rowValues = probabilities.subarray(i * width, (i + 1) * width);
      const predicted = argmax(rowValues);
      if (actual !== undefined && labels[i] !== actual) continue;
      if (predictedFilter !== undefined && predicted !== predictedFilter) continue;
      if (query.wrongOnly && predicted === labels[i]) continue;
      picked.push({ i, predicted, disagreement: disagreement(rowValues, labels[i]!) });
    }
    if (query.order === 'disagreement') picked.sort((a, b) => b.disagreement - a.disagreement);
    const chosen = picked.slice(0, query.limit);
    const current = this.currentImages(chosen.map(({ i }) => ids[i]!));
    return chosen.map(({ i, predicted, disagreement }): EvaluatedImage => {
      const now = current.get(ids[i]!);
      return {
        imageId: ids[i]!,
        fileName: now?.fileName ?? null,
        label: classNames[labels[i]!]!,
        currentLabel: now ? now.label : undefined,
        predicted: classNames[predicted]!,
        probabilities: Array.from(probabilities.subarray(i * width, (i + 1) * width)),
        disagreement,
      };
    });
  }

  private row(id: number): EvaluationRow {
    const row = this.sql('SELECT * FROM evaluations WHERE id = ?').get(id) as EvaluationRow | undefined;
    if (!row) throw new CapaError('not-found', said('errors.evaluation.missing', { id }));
    return row;
  }

  private summary(row: EvaluationRow, classNames: readonly string[]): EvaluationSummary {
    const metrics = JSON.parse(row.metrics) as EvaluationMetrics;
    return {
      id: row.id,
      runId: row.run_id,
      split: row.split,
      weights: row.weights,
      createdAt: row.created_at,
      images: metrics.images,
      accuracy: metrics.accuracy,
      staleness: this.staleness(row, classNames),
    };
  }

  /** Compares the stored (id, label) pairs with the split now. */
  private staleness(row: EvaluationRow, classNames: readonly string[]): Staleness {
    const now = this.snapshot(row.split, classNames);
    if (now.fingerprint === row.fingerprint) return { stale: false, changed: 0, added: 0 };
    const nowLabel = new Map(now.ids.map((id, i) => [id, now.labels[i]!]));
    const ids = int32s(row.image_ids);
    const labels = int32s(row.labels);
    let changed = 0;
    ids.forEach((id, i) => {
      if (nowLabel.get(id) !== labels[i]) changed++;
      nowLabel.delete(id);
    });
    return { stale: true, changed, added: nowLabel.size };
  }

  /** File name and label now of each image that still exists. */
  private currentImages(ids: readonly number[]): Map<number, { fileName: string; label: string | null }> {
    const result = new Map<number, { fileName: string; label: string | null }>();
    const select = this.sql('SELECT i.file_name, c.name FROM images i LEFT JOIN classes c ON c.id = i.class_id WHERE i.id = ?');
    for (const id of ids) {
      const row = select.get(id) as { file_name: string; name: string | null } | undefined;
      if (row) result.set(id, { fileName: row.file_name, label: row.name });
    }
    return result;
  }
}
