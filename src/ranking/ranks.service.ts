import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RankIndex } from './rank-index';
import { COUNT_RANK_SQL } from './rank-order';

/** The one way to a user's rank: O(log n) from the rank index, counted in PostgreSQL only when it cannot answer. */
@Injectable()
export class Ranks {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly index: RankIndex,
  ) {}

  /**
   * 1-based rank reflecting at least every change committed by transactions below `asOf` (a xid: the writer's
   * own xid + 1, or the reader's snapshot xmax), so a caller always sees the state it just wrote or read.
   */
  async rankOf(userId: number, asOf: bigint): Promise<number> {
    const rank = await this.index.rankOf(userId, asOf);
    if (rank !== undefined) return rank + 1;
    const [row]: { rank: number }[] = await this.dataSource.query(COUNT_RANK_SQL, [userId]);
    return row?.rank ?? 1;
  }
}
