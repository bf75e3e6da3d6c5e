import { BoardOrder } from './board';
import { boardEntries } from './board-entries.sql';
import { better, boardRankOrder } from './board-ranks';

const ME = `(SELECT score FROM me)`;
const ME_AT = `(SELECT reached_at FROM me)`;
const ME_ID = `(SELECT user_id FROM me)`;

/** Keyset scans of the board's rank index, one per tie level, so each reads at most `limit` entries. */
const side = (parts: [string, string][]) =>
  parts
    .map(([where, order]) => `(SELECT user_id, score, reached_at FROM ${boardEntries()} e WHERE ${where} ORDER BY ${order} LIMIT $4)`)
    .join(' UNION ALL ');

/**
 * $1 board, $2 period, $3 user id, $4 limit; the same rules as users' /around (src/users/queries/around.sql.ts).
 * Rows carry `pos`: 0 for the user, −k for the k-th entry above, +k below. Empty when the user has no score.
 */
export function boardAroundSql(order: BoardOrder): string {
  const worse = better(order) === '>' ? '<' : '>';
  const above = side([
    [`score ${better(order)} ${ME}`, boardRankOrder(order, true)],
    [`score = ${ME} AND reached_at < ${ME_AT}`, 'reached_at DESC, user_id DESC'],
    [`score = ${ME} AND reached_at = ${ME_AT} AND user_id < ${ME_ID}`, 'user_id DESC'],
  ]);
  const below = side([
    [`score = ${ME} AND reached_at = ${ME_AT} AND user_id > ${ME_ID}`, 'user_id ASC'],
    [`score = ${ME} AND reached_at > ${ME_AT}`, 'reached_at ASC, user_id ASC'],
    [`score ${worse} ${ME}`, boardRankOrder(order)],
  ]);
  return `
WITH me AS MATERIALIZED (SELECT user_id, score, reached_at FROM ${boardEntries()} e WHERE user_id = $3),
near AS (
  SELECT user_id, score, 0 AS pos FROM me
  UNION ALL
  SELECT user_id, score, -pos FROM (SELECT user_id, score, row_number() OVER (ORDER BY ${boardRankOrder(order, true)}) AS pos FROM (${above}) a) a WHERE pos <= $4
  UNION ALL
  SELECT user_id, score, pos FROM (SELECT user_id, score, row_number() OVER (ORDER BY ${boardRankOrder(order)}) AS pos FROM (${below}) b) b WHERE pos <= $4
)
SELECT n.user_id AS id, u.name, n.score, n.pos FROM near n JOIN users u ON u.id = n.user_id`;
}
