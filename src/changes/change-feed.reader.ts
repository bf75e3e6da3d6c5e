import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { toNumber } from '../database/bigint.transformer';
import { ScoreChangedEvent, UserState } from '../scores/events/score-changed.event';
import { onBoard } from '../ranking/rank-order';
import { ChangeFeedMetrics } from './change-feed.metrics';
import { before, comparePositions, decodePosition, encodePosition, FeedPosition } from './feed-position';

/** Bounds each read and each Redis script applying it (Redis runs one script at a time). */
export const PAGE_SIZE = 2000;

/**
 * One page of outbox rows after a position, with the CURRENT state of each user they name, read in the same
 * statement. Only rows of transactions below the snapshot's xmin (all finished) are read, so a transaction that
 * commits later can never add a row behind a position already passed. State is read, not carried, so pages
 * applied in any order by any instance converge on what PostgreSQL holds. A banned or erased user is `removed`.
 */
const PAGE_SQL = `
WITH horizon AS MATERIALIZED (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS upto, (SELECT below FROM user_changes_horizon) AS pruned),
page AS (
  SELECT c.xid, c.position, c.op, c.user_id, c.at FROM user_changes c
   WHERE (c.xid, c.position) > ($1::xid8, $2::bigint) AND c.xid < (SELECT upto FROM horizon)
   ORDER BY c.xid, c.position LIMIT ${PAGE_SIZE}
)
SELECT h.upto::text AS upto, h.pruned::text AS pruned, p.xid::text AS xid, p.position::text AS position, p.op, p.user_id::text AS user_id,
       u.name, u.score::text AS score, (extract(epoch FROM u.updated_at) * 1000000)::bigint::text AS reached_at,
       (extract(epoch FROM clock_timestamp() - p.at))::float8 AS delay
  FROM horizon h LEFT JOIN page p ON true LEFT JOIN users u ON u.id = p.user_id AND ${onBoard('u.')}
 ORDER BY p.xid, p.position`;

interface Row {
  upto: string;
  pruned: string;
  xid: string | null;
  position: string | null;
  op: string | null;
  user_id: string | null;
  name: string | null;
  score: string | null;
  reached_at: string | null;
  delay: number | null;
}

/** A page, or `gone`: rows after the position were pruned, so whoever holds it must rebuild. */
export type FeedPage = ScoreChangedEvent & { gone: boolean; full: boolean };

@Injectable()
export class ChangeFeedReader {
  private readonly logger = new Logger(ChangeFeedReader.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly metrics: ChangeFeedMetrics,
  ) {}

  /** The position before every transaction still running: where a consumer starting now begins. */
  async head(): Promise<FeedPosition> {
    const [{ upto }] = await this.dataSource.query(`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS upto`);
    return before(BigInt(upto));
  }

  async read(after: string): Promise<FeedPage> {
    const from = decodePosition(after);
    const rows: Row[] = await this.dataSource.query(PAGE_SQL, [from.xid.toString(), from.row.toString()]);
    const { upto, pruned } = rows[0];
    if (from.xid < BigInt(pruned)) return this.page(after, after, [], [], true, true, false);
    const changes = rows.filter((row) => row.xid !== null);
    const full = changes.length === PAGE_SIZE;
    const last = changes.at(-1);
    // A full page ends at its last row; otherwise everything below `upto` has been read
    const to = full ? { xid: BigInt(last!.xid!), row: BigInt(last!.position!) } : before(BigInt(upto));
    if (changes.length) this.metrics.observe(changes.length, Math.max(...changes.map((row) => row.delay ?? 0)));
    return this.toPage(after, encodePosition(comparePositions(from, to) > 0 ? from : to), changes, full);
  }

  private toPage(from: string, to: string, rows: Row[], full: boolean): FeedPage {
    const users = new Map<number, UserState>();
    const removed = new Set<number>();
    let reset = false;
    for (const row of rows) {
      if (row.op === 'T') {
        reset = true;
      } else if (row.user_id === null) {
        this.metrics.badRows.inc();
        this.logger.warn(`change feed row ${row.position} names no user (op ${JSON.stringify(row.op)}): skipped`);
      } else if (row.score === null) {
        removed.add(toNumber(row.user_id));
      } else {
        const userId = toNumber(row.user_id);
        users.set(userId, { userId, name: row.name!, score: toNumber(row.score), reachedAt: toNumber(row.reached_at!) });
      }
    }
    return this.page(from, to, [...users.values()], [...removed], reset, false, full);
  }

  private page(from: string, to: string, users: UserState[], removed: number[], reset: boolean, gone: boolean, full: boolean): FeedPage {
    return Object.assign(new ScoreChangedEvent(from, to, users, removed, reset), { gone, full });
  }
}
