import { toNumber } from '../database/bigint.transformer';
import { RankEntry } from './rank-member';

/** The contract's order, defined once: score, then who reached it first, then lower id (`asc` is its exact reverse). */
export const RANK_ORDER_DESC = 'score DESC, updated_at ASC, id ASC';
export const RANK_ORDER_ASC = 'score ASC, updated_at DESC, id DESC';

/** Who is on the boards: neither banned nor erased (users_board_rank_idx covers exactly them); `u.` for an alias. */
export const onBoard = (alias = ''): string => `${alias}banned_at IS NULL AND ${alias}erased_at IS NULL`;
export const ON_BOARD = onBoard();

/** Selects what a rank needs of a user; updated_at as exact epoch microseconds. */
export const RANK_COLUMNS = `id, score, (extract(epoch FROM updated_at) * 1000000)::bigint AS reached_at`;
/** The same of a board entry. */
export const BOARD_RANK_COLUMNS = `user_id AS id, score, (extract(epoch FROM reached_at) * 1000000)::bigint AS reached_at`;

export interface RankRow {
  id: string;
  score: string;
  reached_at: string;
}

export const toRankEntry = (row: RankRow): RankEntry => ({
  userId: toNumber(row.id),
  score: toNumber(row.score),
  reachedAt: toNumber(row.reached_at),
});

/** O(n): the exact rank counted in SQL (compared in SQL so timestamps keep their microseconds). */
export const COUNT_RANK_SQL = `
SELECT count(o.id)::int + 1 AS rank FROM users u JOIN users o
    ON (o.score > u.score OR (o.score = u.score AND (o.updated_at < u.updated_at OR (o.updated_at = u.updated_at AND o.id < u.id)))) AND ${onBoard('o.')}
 WHERE u.id = $1`;

/** The xid a rank must reflect (see Ranks.rankOf), for reads: every transaction below the reader's snapshot xmax is finished, and seen. */
export const READ_AS_OF = `pg_snapshot_xmax(pg_current_snapshot())::text AS as_of`;
/** For writes: past the writer's own transaction. */
export const WRITE_AS_OF = `(pg_current_xact_id()::text::numeric + 1)::text AS as_of`;
