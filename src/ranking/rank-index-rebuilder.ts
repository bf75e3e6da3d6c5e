import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RedisConnection } from '../redis/redis-connection';
import { RANK_COLUMNS, RankRow, toRankEntry } from './rank-rows';
import { RankStore } from './rank-store';

const BATCH = 5000;

/**
 * Fills the rank index from PostgreSQL in id-ordered batches, in the background: at boot when it is
 * missing, when Redis comes back (updates may have been lost meanwhile), and on demand. Live updates
 * keep flowing during a rebuild; both only ever move a user forward, so they merge in any order.
 */
@Injectable()
export class RankIndexRebuilder implements OnApplicationBootstrap {
  private readonly logger = new Logger(RankIndexRebuilder.name);
  private running?: Promise<void>;
  private connectedBefore = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: RankStore,
    private readonly redis: RedisConnection,
  ) {}

  onApplicationBootstrap(): void {
    // Back after an outage or a hang: updates may have been lost meanwhile
    this.redis.onAvailable(() => {
      void this.rebuild(this.connectedBefore);
      this.connectedBefore = true;
    });
    if (this.store.available) {
      this.connectedBefore = true;
      void this.rebuild(false);
    }
  }

  /** Single-flight per instance; `force` rebuilds even when the index says it is complete. */
  rebuild(force = true): Promise<void> {
    this.running ??= this.run(force)
      .catch((error: Error) => this.logger.warn(`rank index rebuild failed: ${error.message}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /** Ready and holding every user (users bulk-loaded while the service was down are caught here). */
  private async isComplete(): Promise<boolean> {
    if (!(await this.store.isReady())) return false;
    const [{ count }] = await this.dataSource.query(`SELECT count(*)::bigint AS count FROM users`);
    return Number(count) === (await this.store.size());
  }

  private async run(force: boolean): Promise<void> {
    if (!this.store.available || (!force && (await this.isComplete()))) return;
    if (!(await this.store.acquireLock(randomUUID()))) return;
    try {
      const started = Date.now();
      let count = 0;
      for (let after = '0'; ; ) {
        const rows: RankRow[] = await this.dataSource.query(`SELECT ${RANK_COLUMNS} FROM users WHERE id > $1 ORDER BY id LIMIT ${BATCH}`, [after]);
        if (rows.length) await this.store.apply(rows.map(toRankEntry));
        count += rows.length;
        if (rows.length < BATCH) break;
        after = rows[rows.length - 1].id;
        await this.store.extendLock();
      }
      await this.store.markReady();
      this.logger.log(`rank index rebuilt: ${count} users in ${Date.now() - started} ms`);
    } finally {
      await this.store.releaseLock().catch(() => undefined);
    }
  }
}
