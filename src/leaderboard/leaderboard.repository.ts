import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BOARD_ORDERS, BoardOrder, GLOBAL_BOARD } from '../boards/board';
import { boardEntries } from '../boards/board-entries.sql';
import { boardRankOrder } from '../boards/board-ranks';
import { toNumber } from '../database/bigint.transformer';
import { ON_BOARD, RANK_ORDER_DESC } from '../ranking/rank-order';
import { BOARD_SIZE, BoardEntry, snapshotVersion } from './snapshot';

/** The statement's MVCC snapshot, as the columns snapshotVersion orders by. */
const VERSION_COLUMNS = `pg_snapshot_xmax(s)::text AS xmax, (SELECT count(*) FROM pg_snapshot_xip(s))::int AS in_progress`;

/** global: the top 10 of users in the contract's order, with its period and snapshot, in ONE statement. */
const GLOBAL_TOP_SQL = `
SELECT ${VERSION_COLUMNS},
       (SELECT period FROM board_periods WHERE board = '${GLOBAL_BOARD}' AND closed_at IS NULL) AS period,
       (SELECT coalesce(json_agg(json_build_object('id', t.id, 'name', t.name, 'score', t.score) ORDER BY ${RANK_ORDER_DESC}), '[]')
          FROM (SELECT id, name, score, updated_at FROM users WHERE ${ON_BOARD} ORDER BY ${RANK_ORDER_DESC} LIMIT ${BOARD_SIZE}) t) AS board
  FROM pg_current_snapshot() s`;

/** The open period's top 10 on a board of this order (an empty set on a board of the other order: a one-time filter). */
const topOf = (order: BoardOrder) => `
  (SELECT user_id, score, row_number() OVER (ORDER BY ${boardRankOrder(order)}) AS pos FROM ${boardEntries('$1', '(SELECT period FROM b)')} e
    WHERE (SELECT sort_order FROM b) = '${order}'
    ORDER BY ${boardRankOrder(order)} LIMIT ${BOARD_SIZE})`;

/** Any other board: its open period and top 10 in its own order, with the snapshot, in ONE statement (no period: no board). */
const BOARD_TOP_SQL = `
WITH b AS MATERIALIZED (SELECT p.period, d.sort_order FROM boards d JOIN board_periods p ON p.board = d.key AND p.closed_at IS NULL WHERE d.key = $1),
top AS (${BOARD_ORDERS.map(topOf).join(' UNION ALL ')})
SELECT ${VERSION_COLUMNS}, (SELECT period FROM b) AS period,
       (SELECT coalesce(json_agg(json_build_object('id', t.user_id, 'name', u.name, 'score', t.score) ORDER BY t.pos), '[]')
          FROM top t JOIN users u ON u.id = t.user_id) AS board
  FROM pg_current_snapshot() s`;

interface Row {
  xmax: string;
  in_progress: number;
  period: number | null;
  board: { id: number | string; name: string; score: number | string }[];
}

export interface Top {
  period: number;
  data: BoardEntry[];
  version: number;
}

/** Reads a board's top 10 (and the version a deletion is stamped with) from PostgreSQL. */
@Injectable()
export class LeaderboardRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The board's current period and top 10; undefined when there is no such board. */
  async top(board: string): Promise<Top | undefined> {
    const [row]: Row[] =
      board === GLOBAL_BOARD ? await this.dataSource.query(GLOBAL_TOP_SQL) : await this.dataSource.query(BOARD_TOP_SQL, [board]);
    if (row.period === null) return undefined;
    const data = row.board.map((entry, i) => ({ id: toNumber(entry.id), rank: i + 1, name: entry.name, score: toNumber(entry.score) }));
    return { period: row.period, data, version: snapshotVersion(Number(row.xmax), row.in_progress) };
  }

  /** A version above every snapshot read before now (e.g. the deletion of a board that just committed). */
  async version(): Promise<number> {
    const [row]: Row[] = await this.dataSource.query(`SELECT ${VERSION_COLUMNS} FROM pg_current_snapshot() s`);
    return snapshotVersion(Number(row.xmax), row.in_progress);
  }
}
