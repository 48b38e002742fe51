// Splits: the train/validation/test shares of the project and the pins that hold images in place.
import type { Split } from '../../../preload/contract';
import { CapaError } from '../../../common/messages/errors';
import { said } from '../../../common/messages/said';
import { rebalance, SPLITS, type SplitMember } from './splits';
import { Repository } from '../db/statements';
import type { Db } from '../db/database';
import type { ProjectRecord } from '../projects/project-repository';

export class SplitRepository extends Repository {
  constructor(
    db: Db,
    private readonly record: ProjectRecord,
  ) {
    super(db);
  }

  /** The seed that places each image in its split. */
  seed(): number {
    return this.record.splitSeed();
  }

  shares(): Record<Split, number> {
    return this.record.splitShares();
  }

  /** Sets the split percentages and re-balances the unpinned images of every class (and of Unlabelled). */
  setShares(shares: Record<Split, number>): void {
    if (SPLITS.reduce((s, k) => s + shares[k], 0) !== 100) throw new CapaError('invalid-argument', said('data.project.sharesSum'));
    const seed = this.seed();
    const rows = this.sql('SELECT id, hash, split, pinned, class_id FROM images ORDER BY id').all() as (SplitMember & {
      class_id: number | null;
      pinned: boolean;
    })[];
    const byClass = new Map<number | null, SplitMember[]>();
    for (const row of rows) {
      const members = byClass.get(row.class_id) ?? [];
      members.push({ id: row.id, hash: row.hash, split: row.split, pinned: Boolean(row.pinned) });
      byClass.set(row.class_id, members);
    }
    const update = this.sql('UPDATE images SET split = ? WHERE id = ?');
    this.db
      .transaction(() => {
        this.record.setSplitShares(shares);
        for (const members of byClass.values()) for (const [id, split] of rebalance(members, shares, seed)) update.run(split, id);
      })
      .immediate();
  }

  /** Pins images to a split, or unpins them (null) where they are. */
  pin(imageIds: readonly number[], split: Split | null): void {
    const pin = this.sql('UPDATE images SET split = ?, pinned = 1 WHERE id = ?');
    const unpin = this.sql('UPDATE images SET pinned = 0 WHERE id = ?');
    this.db
      .transaction(() => {
        for (const id of imageIds) split ? pin.run(split, id) : unpin.run(id);
      })
      .immediate();
  }

  /** How many images each split holds. */
  counts(): { split: Split; n: number }[] {
    return this.sql('SELECT split, COUNT(*) AS n FROM images GROUP BY split').all() as { split: Split; n: number }[];
  }
}
