import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Metrics } from '../metrics/metrics.service';
import { RankIndex } from './rank-index';
import { COUNT_RANK_SQL } from './rank-order';

/** The one way to a user's rank: O(log n) from the rank index, counted in PostgreSQL only when it cannot answer. */
@Injectable()
export class Ranks {
  private readonly lookups;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly index: RankIndex,
    metrics: Metrics,
  ) {
    this.lookups = metrics.counter({ name: 'rank_lookups_total', help: 'Rank lookups by source (index or database)', labelNames: ['source'] as const });
  }

  /**
   * 1-based rank reflecting at least every change committed by transactions below `asOf` (a xid: the writer's
   * own xid + 1, or the reader's snapshot xmax), so a caller always sees the state it just wrote or read.
   */
  async rankOf(userId: number, asOf: bigint): Promise<number> {
    const rank = await this.index.rankOf(userId, asOf);
    this.lookups.inc({ source: rank === undefined ? 'database' : 'index' });
    if (rank !== undefined) return rank + 1;
    const [row] = await this.dataSource.query(COUNT_RANK_SQL, [userId]);
    return row?.rank ?? 1;
  }
}
