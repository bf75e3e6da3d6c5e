import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Ranks } from '../ranking/ranks.service';
import { READ_AS_OF } from '../users/user-row';
import { ON_BOARD } from '../ranking/rank-order';
import { BoardOrder, GLOBAL_BOARD } from './board';
import { boardEntries } from './board-entries.sql';

/** A board's rank order: the better score first (by the board's order), then who reached it first, then lower id. */
export const boardRankOrder = (order: BoardOrder, reverse = false): string => {
  const [score, rest] = reverse ? [order === 'desc' ? 'ASC' : 'DESC', 'DESC'] : [order === 'desc' ? 'DESC' : 'ASC', 'ASC'];
  return `score ${score}, reached_at ${rest}, user_id ${rest}`;
};
/** The comparison that makes a score better than another on a board of this order. */
export const better = (order: BoardOrder): '>' | '<' => (order === 'desc' ? '>' : '<');

/** Counts, per wanted user (m), the entries ahead of them: better scores, then equal scores reached earlier or by a lower id. */
const ranksSql = (order: BoardOrder) => `
SELECT m.user_id,
       1 + (SELECT count(*) FROM ${boardEntries()} o WHERE o.score ${better(order)} m.score)
         + (SELECT count(*) FROM ${boardEntries()} o WHERE o.score = m.score
              AND (o.reached_at, o.user_id) < (m.reached_at, m.user_id)) AS rank
  FROM ${boardEntries()} m WHERE m.user_id = ANY($3::bigint[])`;

interface RankedBoard {
  key: string;
  order: BoardOrder;
}

/**
 * Owns board ranks. `global` is users' ranks (the Redis rank index, O(log n)); other boards are counted in
 * SQL over the (board, period) rank indexes for now: O(rank), to be backed by a rank index per board and period.
 */
@Injectable()
export class BoardRanks {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ranks: Ranks,
  ) {}

  /** The user's rank in that period; undefined when they have no score there. */
  async rankOf(board: RankedBoard, period: number, userId: number): Promise<number | undefined> {
    return (await this.ranksOf(board, period, [userId])).get(userId);
  }

  /** Ranks of those of `userIds` that have a score in that period (on `global`: that exist). */
  async ranksOf(board: RankedBoard, period: number, userIds: number[]): Promise<Map<number, number>> {
    if (board.key === GLOBAL_BOARD) {
      const [{ ids, as_of }]: { ids: string[]; as_of: string }[] = await this.dataSource.query(
        `SELECT coalesce(array_agg(id), '{}') AS ids, ${READ_AS_OF} FROM users WHERE id = ANY($1::bigint[]) AND ${ON_BOARD}`,
        [userIds],
      );
      return new Map(await Promise.all(ids.map(async (id) => [Number(id), await this.ranks.rankOf(Number(id), BigInt(as_of))] as [number, number])));
    }
    const rows: { user_id: string; rank: string }[] = await this.dataSource.query(ranksSql(board.order), [board.key, period, userIds]);
    return new Map(rows.map((row) => [Number(row.user_id), Number(row.rank)]));
  }
}
