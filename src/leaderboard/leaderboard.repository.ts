import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ON_BOARD, RANK_ORDER_DESC } from '../ranking/rank-order';
import { BOARD_SIZE, BoardEntry, snapshotVersion } from './snapshot';

/** The top 10 in the contract's order and the snapshot it was read from, in ONE statement (same MVCC snapshot). */
const TOP_SQL = `
SELECT pg_snapshot_xmax(s)::text AS xmax,
       (SELECT count(*) FROM pg_snapshot_xip(s))::int AS in_progress,
       (SELECT coalesce(json_agg(json_build_object('id', t.id, 'name', t.name, 'score', t.score) ORDER BY ${RANK_ORDER_DESC}), '[]')
          FROM (SELECT id, name, score, updated_at FROM users WHERE ${ON_BOARD} ORDER BY ${RANK_ORDER_DESC} LIMIT ${BOARD_SIZE}) t) AS board
  FROM pg_current_snapshot() s`;

interface Row {
  xmax: string;
  in_progress: number;
  board: { id: number | string; name: string; score: number | string }[];
}

@Injectable()
export class LeaderboardRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async top(): Promise<{ data: BoardEntry[]; version: number }> {
    const [row]: Row[] = await this.dataSource.query(TOP_SQL);
    const data = row.board.map((entry, i) => ({ id: Number(entry.id), rank: i + 1, name: entry.name, score: Number(entry.score) }));
    return { data, version: snapshotVersion(Number(row.xmax), row.in_progress) };
  }
}
