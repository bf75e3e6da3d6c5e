import { ON_BOARD, READ_AS_OF } from './rank-order';

const COLUMNS = 'id, name, score, updated_at';
const ME = `(SELECT score FROM me)`;
const ME_AT = `(SELECT updated_at FROM me)`;
const ME_ID = `(SELECT id FROM me)`;

/** Keyset scans of users_board_rank_idx, one per tie level, so each reads at most `limit` index entries. */
const side = (parts: [string, string][]) =>
  parts
    .map(([where, order]) => `(SELECT ${COLUMNS} FROM users WHERE ${where} AND ${ON_BOARD} ORDER BY ${order} LIMIT $2)`)
    .join(' UNION ALL ');

const ABOVE = side([
  [`score > ${ME}`, 'score ASC, updated_at DESC, id DESC'],
  [`score = ${ME} AND updated_at < ${ME_AT}`, 'updated_at DESC, id DESC'],
  [`score = ${ME} AND updated_at = ${ME_AT} AND id < ${ME_ID}`, 'id DESC'],
]);
const BELOW = side([
  [`score = ${ME} AND updated_at = ${ME_AT} AND id > ${ME_ID}`, 'id ASC'],
  [`score = ${ME} AND updated_at > ${ME_AT}`, 'updated_at ASC, id ASC'],
  [`score < ${ME}`, 'score DESC, updated_at ASC, id ASC'],
]);

/**
 * $1 user id, $2 limit. Rows carry `pos`: 0 for the user, −k for the k-th player above, +k below; the
 * user's row (first) carries `as_of` for its rank. Empty when the user does not exist or is not on the board.
 */
export const AROUND_SQL = `
WITH me AS MATERIALIZED (SELECT ${COLUMNS} FROM users WHERE id = $1 AND ${ON_BOARD})
SELECT id, name, score, 0 AS pos, ${READ_AS_OF} FROM me
UNION ALL
SELECT id, name, score, -pos, NULL FROM (
  SELECT id, name, score, row_number() OVER (ORDER BY score ASC, updated_at DESC, id DESC) AS pos FROM (${ABOVE}) a
) a WHERE pos <= $2
UNION ALL
SELECT id, name, score, pos, NULL FROM (
  SELECT id, name, score, row_number() OVER (ORDER BY score DESC, updated_at ASC, id ASC) AS pos FROM (${BELOW}) b
) b WHERE pos <= $2`;
