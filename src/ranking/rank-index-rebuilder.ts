import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ChangeFeedReader } from '../changes/change-feed.reader';
import { Metrics } from '../metrics/metrics.service';
import { encodePosition } from '../changes/feed-position';
import { BOARD_RANK_COLUMNS, RANK_COLUMNS, RankRow, toRankEntry } from './rank-order';
import { boardNamespace, GLOBAL, Namespace, RankStore } from './rank-store';

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
    this.rebuilds = metrics.counter({
      name: 'rank_index_rebuilds_total',
      help: 'Full rebuilds of the rank index from PostgreSQL (its feed position was gone)',
    });
  }

  /** The position the rebuilt index stands at; undefined when another instance is rebuilding. */
  async rebuild(): Promise<string | undefined> {
    const token = randomUUID();
    if (!(await this.store.acquireLock(token))) return undefined;
    try {
      const started = Date.now();
      const position = encodePosition(await this.reader.head());
      const sources = await this.sources();
      await this.store.startRebuild(sources.map((s) => s.namespace));
      let count = 0;
      for (const { namespace, sql, params } of sources) count += await this.fill(namespace, sql, params);
      await this.store.finishRebuild(
        sources.map((s) => s.namespace),
        position,
      );
      this.rebuilds.inc();
      this.logger.log(`rank index rebuilt: ${count} entries in ${sources.length} sets in ${Date.now() - started} ms`);
      return position;
    } finally {
      await this.store.releaseLock(token).catch(() => undefined);
    }
  }

  /** `global` from users; each board's open period from its scores (closed periods are counted in SQL). */
  private async sources(): Promise<{ namespace: Namespace; sql: string; params: unknown[] }[]> {
    const periods: { board: string; period: number; sort_order: 'desc' | 'asc' }[] = await this.dataSource.query(
      `SELECT p.board, p.period, b.sort_order FROM board_periods p JOIN boards b ON b.key = p.board WHERE p.closed_at IS NULL AND p.board <> 'global'`,
    );
    return [
      { namespace: GLOBAL, sql: `SELECT ${RANK_COLUMNS} FROM users WHERE id > $1 ORDER BY id LIMIT ${BATCH}`, params: [] },
      ...periods.map(({ board, period, sort_order }) => ({
        namespace: boardNamespace(board, period, sort_order),
        sql: `SELECT ${BOARD_RANK_COLUMNS} FROM board_scores WHERE board = $2 AND period = $3 AND user_id > $1 ORDER BY user_id LIMIT ${BATCH}`,
        params: [board, period],
      })),
    ];
  }

  /** Pages through one source by id, keeping the lock alive. */
  private async fill(namespace: Namespace, sql: string, params: unknown[]): Promise<number> {
    let count = 0;
    for (let after = '0'; ;) {
      const rows: RankRow[] = await this.dataSource.query(sql, [after, ...params]);
      if (rows.length) await this.store.fill(namespace, rows.map(toRankEntry));
      count += rows.length;
      if (rows.length < BATCH) return count;
      after = rows[rows.length - 1].id;
      await this.store.extendLock();
    }
  }
}
