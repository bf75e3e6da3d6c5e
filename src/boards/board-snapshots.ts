import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GetLeaderboardQuery } from '../leaderboard/queries/get-leaderboard.query';
import { BOARD_SIZE, snapshotVersion, toSnapshot } from '../leaderboard/snapshot';
import { BoardOrder, GLOBAL_BOARD } from './board';
import { boardEntries } from './board-entries.sql';
import { boardRankOrder } from './board-ranks';
import { BoardSnapshot } from './dto/board-snapshot.dto';

/** The open period and its top 10 in the board's rank order, with the MVCC snapshot they were read from: ONE statement. */
const topSql = (order: BoardOrder) => `
WITH p AS (SELECT period FROM board_periods WHERE board = $1 AND closed_at IS NULL)
SELECT pg_snapshot_xmax(s)::text AS xmax,
       (SELECT count(*) FROM pg_snapshot_xip(s))::int AS in_progress,
       (SELECT period FROM p) AS period,
       (SELECT coalesce(json_agg(json_build_object('id', t.user_id, 'name', t.name, 'score', t.score) ORDER BY ${boardRankOrder(order)}), '[]')
          FROM (SELECT s.user_id, u.name, s.score, s.reached_at
                  FROM (SELECT user_id, score, reached_at FROM ${boardEntries('$1', '(SELECT period FROM p)')} e
                         ORDER BY ${boardRankOrder(order)} LIMIT ${BOARD_SIZE}) s JOIN users u ON u.id = s.user_id) t) AS board
  FROM pg_current_snapshot() s`;

interface Row {
  xmax: string;
  in_progress: number;
  period: number | null;
  board: { id: number | string; name: string; score: number | string }[];
}

/**
 * A board's top-10 snapshot (§5 plus `board` and `period`), computed from PostgreSQL on each call for now;
 * `global` is the existing leaderboard's. Versions come from PostgreSQL's snapshot, so they only grow.
 */
@Injectable()
export class BoardSnapshots {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queryBus: QueryBus,
  ) {}

  /** undefined when the board does not exist (any more). */
  async current(board: { key: string; order: BoardOrder; period: number }): Promise<BoardSnapshot | undefined> {
    if (board.key === GLOBAL_BOARD) return { board: board.key, period: board.period, ...(await this.queryBus.execute(new GetLeaderboardQuery())) };
    const [row]: Row[] = await this.dataSource.query(topSql(board.order), [board.key]);
    if (row.period === null) return undefined;
    const data = row.board.map((entry, i) => ({ id: Number(entry.id), rank: i + 1, name: entry.name, score: Number(entry.score) }));
    return { board: board.key, period: row.period, ...toSnapshot(data, snapshotVersion(Number(row.xmax), row.in_progress)) };
  }
}
