import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Metrics } from '../metrics/metrics.service';
import { RankEntry } from './rank-member';
import { RankIndexRebuilder } from './rank-index-rebuilder';
import { RANK_COLUMNS, RankRow, toRankEntry } from './rank-rows';
import { RankStore } from './rank-store';

const NOT_INDEXED = -1;
const INCOMPLETE = -2;
/** How long the index's size is trusted before it is asked again. */
const SIZE_TTL_MS = 5000;

/** Ranks in O(log n) from the Redis rank index; `undefined` tells the caller to count in PostgreSQL. */
@Injectable()
export class RankIndex {
  private readonly logger = new Logger(RankIndex.name);
  private readonly lookups;
  private size = { value: 0, at: -Infinity };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: RankStore,
    private readonly rebuilder: RankIndexRebuilder,
    metrics: Metrics,
  ) {
    this.lookups = metrics.counter({ name: 'rank_lookups_total', help: 'Rank lookups by source (index or database)', labelNames: ['source'] as const });
  }

  /** Records a committed score change; a lost update is repaired by rebuilding from PostgreSQL. */
  async record(entry: RankEntry): Promise<void> {
    if (!this.store.available) return; // the rebuild on reconnect catches up
    try {
      await this.store.apply([entry]);
    } catch (error) {
      this.logger.warn(`rank index update failed (${(error as Error).message}); rebuilding`);
      void this.rebuilder.rebuild();
    }
  }

  /** 1-based rank, or undefined when the index cannot answer exactly right now. */
  async rankOf(userId: number): Promise<number | undefined> {
    const rank = await this.lookup(userId);
    this.lookups.inc({ source: rank === undefined ? 'database' : 'index' });
    return rank;
  }

  private async lookup(userId: number): Promise<number | undefined> {
    if (!this.store.available) return undefined;
    try {
      // A small table is counted in SQL in a few ms, exact even after edits made outside the service
      if ((await this.indexedUsers()) < this.config.rankIndexMinUsers) return undefined;
      let rank = await this.store.rank(userId);
      // A user the index has not seen yet (e.g. just created): add them from PostgreSQL, then ask again
      if (rank === NOT_INDEXED && (await this.index(userId))) rank = await this.store.rank(userId);
      if (rank === INCOMPLETE) void this.rebuilder.rebuild(false);
      return rank >= 0 ? rank + 1 : undefined;
    } catch (error) {
      this.logger.warn(`rank index lookup failed: ${(error as Error).message}`);
      return undefined;
    }
  }

  private async indexedUsers(): Promise<number> {
    if (performance.now() - this.size.at > SIZE_TTL_MS) this.size = { value: await this.store.size(), at: performance.now() };
    return this.size.value;
  }

  private async index(userId: number): Promise<boolean> {
    const rows: RankRow[] = await this.dataSource.query(`SELECT ${RANK_COLUMNS} FROM users WHERE id = $1`, [userId]);
    if (rows.length) await this.store.apply(rows.map(toRankEntry));
    return rows.length > 0;
  }
}
