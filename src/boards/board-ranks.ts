import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RankIndex } from '../ranking/rank-index';
import { boardNamespace } from '../ranking/rank-store';
import { Ranks } from '../ranking/ranks.service';
import { ON_BOARD, READ_AS_OF } from '../ranking/rank-order';
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
 * Owns board ranks: O(log n) from the Redis rank index, which follows board scores through the change feed
 * like users' (`global` is users' ranks); counted in SQL when the index cannot answer (Redis down, a closed
 * period whose set has expired).
 */
@Injectable()
export class BoardRanks {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ranks: Ranks,
    private readonly index: RankIndex,
  ) {}

  /** The user's rank in that period; undefined when they have no score there. */
  async rankOf(board: RankedBoard, period: number, userId: number): Promise<number | undefined> {
    return (await this.ranksOf(board, period, [userId])).get(userId);
  }

  /**
   * A submitter's rank right after their commit: reflecting their own transaction (`asOf`: its xid + 1) rather than
   * everything committed when they ask, so it waits for the feed to pass their commit, not for whatever commits next.
   */
  async rankAfterWrite(board: RankedBoard, period: number, userId: number, asOf: bigint): Promise<number> {
    const rank = await this.index.rankOf(userId, asOf, boardNamespace(board.key, period, board.order));
    if (rank !== undefined) return rank + 1;
    const [row]: { rank: string }[] = await this.dataSource.query(ranksSql(board.order), [board.key, period, [userId]]);
    return Number(row.rank);
  }

  /** Ranks of those of `userIds` that have a score in that period (on `global`: that exist). */
  async ranksOf(board: RankedBoard, period: number, userIds: number[]): Promise<Map<number, number>> {
    if (board.key === GLOBAL_BOARD) {
      const [{ ids, as_of }]: { ids: string[]; as_of: string }[] = await this.dataSource.query(
        `SELECT coalesce(array_agg(id), '{}') AS ids, ${READ_AS_OF} FROM users WHERE id = ANY($1::bigint[]) AND ${ON_BOARD}`,
        [userIds],
      );
      return new Map(
        await Promise.all(ids.map(async (id) => [Number(id), await this.ranks.rankOf(Number(id), BigInt(as_of))] as [number, number])),
      );
    }
    const [{ ids, as_of }]: { ids: string[]; as_of: string }[] = await this.dataSource.query(
      `SELECT coalesce(array_agg(user_id), '{}') AS ids, ${READ_AS_OF} FROM board_scores WHERE board = $1 AND period = $2 AND user_id = ANY($3::bigint[])`,
      [board.key, period, userIds],
    );
    const namespace = boardNamespace(board.key, period, board.order);
    const fromIndex = await Promise.all(
      ids.map(async (id) => [Number(id), await this.index.rankOf(Number(id), BigInt(as_of), namespace)] as const),
    );
    const ranks = new Map(fromIndex.filter(([, rank]) => rank !== undefined).map(([id, rank]) => [id, rank! + 1]));
    const missing = fromIndex.filter(([, rank]) => rank === undefined).map(([id]) => id);
    if (missing.length) {
      const rows: { user_id: string; rank: string }[] = await this.dataSource.query(ranksSql(board.order), [board.key, period, missing]);
      rows.forEach((row) => ranks.set(Number(row.user_id), Number(row.rank)));
    }
    return ranks;
  }
}
