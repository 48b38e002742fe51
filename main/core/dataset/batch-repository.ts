// Import batches: each import is one, with the split it pins its images to (if any).
import type { ImportBatch, Said, Split } from '../../../preload/contract';
import { CapaError } from '../../../common/messages/errors';
import { readSaid, said, storeSaid } from '../../../common/messages/said';
import { Repository } from '../db/statements';

export class BatchRepository extends Repository {
  /** Starts an import batch; `pinnedSplit` pins every image it brings in. */
  create(label: Said, pinnedSplit: Split | null = null): number {
    const info = this.sql('INSERT INTO import_batches (label, created_at, pinned_split) VALUES (?, ?, ?)').run(
      storeSaid(label),
      new Date().toISOString(),
      pinnedSplit,
    );
    return Number(info.lastInsertRowid);
  }

  /** Import batches that still hold images, newest first. */
  list(): ImportBatch[] {
    const rows = this.sql(
      `SELECT b.id, b.label, b.created_at AS createdAt, COUNT(i.id) AS imported, b.pinned_split AS pinnedSplit
       FROM import_batches b JOIN images i ON i.batch_id = b.id GROUP BY b.id ORDER BY b.id DESC`,
    ).all() as (Omit<ImportBatch, 'label'> & { label: string })[];
    // Labels written before they were sentences are plain text, read back as a sentence without a key.
    return rows.map((row) => ({ ...row, label: readSaid(row.label) }));
  }

  /** The split a batch pins its images to (null when none); throws when there is no such batch. */
  pinnedSplit(batchId: number): Split | null {
    const row = this.sql('SELECT pinned_split FROM import_batches WHERE id = ?').get(batchId) as { pinned_split: Split | null } | undefined;
    if (!row) throw new CapaError('not-found', said('data.project.noBatch', { id: batchId }));
    return row.pinned_split;
  }

  /** Pins every image of a batch (and any it brings in later) to a split, or unpins them. */
  pin(batchId: number, split: Split | null): void {
    this.pinnedSplit(batchId);
    this.db
      .transaction(() => {
        this.sql('UPDATE import_batches SET pinned_split = ? WHERE id = ?').run(split, batchId);
        if (split) this.sql('UPDATE images SET split = ?, pinned = 1 WHERE batch_id = ?').run(split, batchId);
        else this.sql('UPDATE images SET pinned = 0 WHERE batch_id = ?').run(batchId);
      })
      .immediate();
  }
}
