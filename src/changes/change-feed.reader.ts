import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { toNumber } from '../database/bigint.transformer';
import { PreparedStatement } from '../database/prepared-statement';
import { RankEntry } from '../ranking/rank-member';
import { BoardChanges, ScoreChangedEvent, UserState } from '../scores/events/score-changed.event';
import { onBoard } from '../ranking/rank-order';
import { ChangeFeedMetrics } from './change-feed.metrics';
import { before, comparePositions, decodePosition, encodePosition, FeedPosition } from './feed-position';

/** Bounds each read and each Redis script applying it (Redis runs one script at a time). */
export const PAGE_SIZE = 2000;

/**
 * The feed's horizon: the oldest transaction of THIS database still running (every outbox row below it is
 * final), or the snapshot's xmax when there is none. Transactions of other databases on the cluster are skipped
 * (they never write this outbox), so a long one there does not hold this feed back; a running xid that cannot be
 * placed (another role's backend without pg_read_all_stats) counts as this database's, which only delays.
 */
const HORIZON_SQL = `
SELECT coalesce(
  (SELECT min(x) FROM pg_snapshot_xip(s.snap) x
    WHERE (x::text::numeric % 4294967296)::bigint NOT IN (
      SELECT backend_xid::text::bigint FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND datname IS DISTINCT FROM current_database())),
  pg_snapshot_xmax(s.snap)) AS upto
FROM (SELECT pg_current_snapshot() AS snap) s`;

/**
 * One page of outbox rows after a position, with the CURRENT state of each user they name, read in the same
 * statement. Only rows of transactions below the horizon (all finished) are read, so a transaction that
 * commits later can never add a row behind a position already passed. State is read, not carried, so pages
 * applied in any order by any instance converge on what PostgreSQL holds. A banned or erased user is `removed`.
 */
const PAGE_SQL = `
WITH horizon AS MATERIALIZED (SELECT (${HORIZON_SQL}) AS upto, (SELECT below FROM user_changes_horizon) AS pruned),
page AS (
  SELECT c.xid, c.position, c.op, c.user_id, c.board, c.period, c.at FROM user_changes c
   WHERE (c.xid, c.position) > ($1::xid8, $2::bigint) AND c.xid < (SELECT upto FROM horizon)
   ORDER BY c.xid, c.position LIMIT ${PAGE_SIZE}
)
SELECT h.upto::text AS upto, h.pruned::text AS pruned, p.xid::text AS xid, p.position::text AS position, p.op,
       p.user_id::text AS user_id, p.board, p.period, b.sort_order, u.name,
       CASE WHEN u.id IS NULL THEN NULL WHEN p.board IS NULL THEN u.score ELSE s.score END::text AS score,
       (extract(epoch FROM CASE WHEN p.board IS NULL THEN u.updated_at ELSE s.reached_at END) * 1000000)::bigint::text AS reached_at,
       (extract(epoch FROM clock_timestamp() - p.at))::float8 AS delay
  FROM horizon h LEFT JOIN page p ON true
  LEFT JOIN users u ON u.id = p.user_id AND ${onBoard('u.')}
  LEFT JOIN board_scores s ON (s.board, s.period, s.user_id) = (p.board, p.period, p.user_id)
  LEFT JOIN boards b ON b.key = p.board
 ORDER BY p.xid, p.position`;

const PAGE = new PreparedStatement('change-feed-page', PAGE_SQL);

interface Row {
  upto: string;
  pruned: string;
  xid: string | null;
  position: string | null;
  op: string | null;
  user_id: string | null;
  board: string | null;
  period: number | null;
  sort_order: 'desc' | 'asc' | null;
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
    const [{ upto }]: { upto: string }[] = await this.dataSource.query(`SELECT (${HORIZON_SQL})::text AS upto`);
    return before(BigInt(upto));
  }

  async read(after: string): Promise<FeedPage> {
    const from = decodePosition(after);
    const rows = await PAGE.rows<Row>(this.dataSource, [from.xid.toString(), from.row.toString()]);
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
    const global = new Changes<UserState>();
    const boards = new Map<string, BoardChanges & { changes: Changes<RankEntry> }>();
    let reset = false;
    for (const row of rows) {
      if (row.op === 'T') {
        reset = true;
      } else if (row.user_id === null || (row.board !== null && row.period === null)) {
        this.metrics.badRows.inc();
        this.logger.warn(`change feed row ${row.position} cannot be parsed (op ${JSON.stringify(row.op)}): skipped`);
      } else if (row.board === null) {
        global.add(toNumber(row.user_id), row.score === null ? undefined : { ...toEntry(row), name: row.name! });
      } else {
        const key = `${row.board}:${row.period}`;
        if (!boards.has(key))
          boards.set(key, {
            board: row.board,
            period: row.period!,
            order: row.sort_order ?? 'desc',
            entries: [],
            removed: [],
            changes: new Changes(),
          });
        boards.get(key)!.changes.add(toNumber(row.user_id), row.score === null ? undefined : toEntry(row));
      }
    }
    const boardChanges = [...boards.values()].map(({ changes, ...board }) => ({
      ...board,
      entries: changes.present(),
      removed: changes.removed(),
    }));
    return this.page(from, to, global.present(), global.removed(), reset, false, full, boardChanges);
  }

  private page(
    from: string,
    to: string,
    users: UserState[],
    removed: number[],
    reset: boolean,
    gone: boolean,
    full: boolean,
    boards: BoardChanges[] = [],
  ): FeedPage {
    return Object.assign(new ScoreChangedEvent(from, to, users, removed, reset, boards), { gone, full });
  }
}

const toEntry = (row: Row): RankEntry => ({
  userId: toNumber(row.user_id!),
  score: toNumber(row.score!),
  reachedAt: toNumber(row.reached_at!),
});

/** The latest state per user in a page: present (with its state) or removed. */
class Changes<T> {
  private readonly states = new Map<number, T | undefined>();

  add(userId: number, state: T | undefined): void {
    this.states.set(userId, state);
  }

  present(): T[] {
    return [...this.states.values()].filter((state): state is T => state !== undefined);
  }

  removed(): number[] {
    return [...this.states].filter(([, state]) => state === undefined).map(([userId]) => userId);
  }
}
