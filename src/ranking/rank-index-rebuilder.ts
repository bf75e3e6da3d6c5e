import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ChangeFeedReader } from '../changes/change-feed.reader';
import { Metrics } from '../metrics/metrics.service';
import { encodePosition } from '../changes/feed-position';
import { ON_BOARD, RANK_COLUMNS, RankRow, toRankEntry } from './rank-order';
import { RankStore } from './rank-store';

const BATCH = 5000;

/**
 * Builds the rank index from PostgreSQL into keys of its own, then swaps them in with the feed position taken
 * before the first read: every change below it is in the data read, and the feed replays what came after.
 * Only when the index has no usable position (Redis lost it, the feed pruned it, the table was truncated).
 */
@Injectable()
export class RankIndexRebuilder {
  private readonly logger = new Logger(RankIndexRebuilder.name);
  private readonly rebuilds;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: RankStore,
    private readonly reader: ChangeFeedReader,
    metrics: Metrics,
  ) {
    this.rebuilds = metrics.counter({ name: 'rank_index_rebuilds_total', help: 'Full rebuilds of the rank index from PostgreSQL (its feed position was gone)' });
  }

  /** The position the rebuilt index stands at; undefined when another instance is rebuilding. */
  async rebuild(): Promise<string | undefined> {
    const token = randomUUID();
    if (!(await this.store.acquireLock(token))) return undefined;
    try {
      const started = Date.now();
      const position = encodePosition(await this.reader.head());
      await this.store.startRebuild();
      let count = 0;
      for (let after = '0'; ; ) {
        const rows: RankRow[] = await this.dataSource.query(`SELECT ${RANK_COLUMNS} FROM users WHERE id > $1 AND ${ON_BOARD} ORDER BY id LIMIT ${BATCH}`, [after]);
        if (rows.length) await this.store.fill(rows.map(toRankEntry));
        count += rows.length;
        if (rows.length < BATCH) break;
        after = rows[rows.length - 1].id;
        await this.store.extendLock();
      }
      await this.store.finishRebuild(position);
      this.rebuilds.inc();
      this.logger.log(`rank index rebuilt: ${count} users in ${Date.now() - started} ms`);
      return position;
    } finally {
      await this.store.releaseLock(token).catch(() => undefined);
    }
  }
}
