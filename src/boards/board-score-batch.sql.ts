import { SERVICE_WRITER_SQL } from '../database/migrations/1764800000000-change-feed';
import { WRITE_AS_OF } from '../ranking/rank-order';
import { MAX_BOARD_VALUE } from './board';

/** The batch's entries (s) in the open periods, each found by its key (an index probe), after its user and period were locked. */
const ENTRIES = `(SELECT DISTINCT board, user_id FROM input) i JOIN periods p USING (board) JOIN usr u ON u.id = i.user_id
  JOIN board_scores s ON (s.board, s.period, s.user_id) = (i.board, p.period, i.user_id)`;
/** Submissions of one entry, in arrival order. */
const PER_ENTRY = `WINDOW w AS (PARTITION BY board, user_id ORDER BY idx)`;

/**
 * ONE statement (its own transaction) applies a batch of submissions to boards other than `global` and returns one
 * outcome per submission ($1 boards, $2 users, $3 scores, $4 actionIds, row `idx` = position + 1):
 * - `periods`: each board's open period by the database's clock, share-locked (a closer waits for the batch, and the
 *   batch for a closer, then finds the period closed: `period-ended`); `usr`: the users, key-share-locked in id order
 *   (as the global batch locks them, so the two cannot deadlock; no one deletes them meanwhile).
 * - The new values are computed from the entries as this statement's snapshot saw them (`seen`). An entry that
 *   another writer changed or deleted since (`kept`, key-share-locked, holds another version or none), or created
 *   since (the upsert meets it), is left alone and its submissions answer `raced` (retried): so a value is never
 *   computed from a stale one, and an equal actionId committed meanwhile is never missed.
 * - Per entry, in arrival order: the first of equal actionIds counts (repeats and ones already in the ledger are
 *   `duplicate`); incr adds (a submission taking the running total past 2^53−1 is `over-maximum`, and so is any later
 *   one of that entry in the batch, as on global), best keeps the better by the board's order, latest the last.
 * - The entries are upserted once each in key order (no deadlocks between instances); the time a value was reached
 *   moves only when some submission changed it. One ledger row per applied submission: its exact change, and on
 *   best/latest its value. Marked as the service's writer, like the global batch.
 */
export const APPLY_BOARD_BATCH_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::varchar[], $2::bigint[], $3::bigint[], $4::varchar[]) WITH ORDINALITY AS t(board, user_id, score, action_id, idx)
   WHERE ${SERVICE_WRITER_SQL} IS NOT NULL
), periods AS (
  SELECT p.board, p.period, b.operator, b.sort_order FROM board_periods p JOIN boards b ON b.key = p.board
   WHERE p.board IN (SELECT board FROM input) AND p.closed_at IS NULL AND (p.ends_at IS NULL OR p.ends_at > now())
   ORDER BY p.board FOR SHARE OF p
), usr AS (
  SELECT id, name, banned_at IS NOT NULL AS banned, ban_reason FROM users
   WHERE id IN (SELECT user_id FROM input) AND erased_at IS NULL ORDER BY id FOR KEY SHARE
), seen AS (
  SELECT s.board, s.user_id, s.score, s.reached_at, s.xmin FROM ${ENTRIES}
), kept AS (
  SELECT s.board, s.user_id, s.xmin FROM ${ENTRIES} ORDER BY s.board, s.user_id FOR KEY SHARE OF s
), entry AS (
  SELECT e.*, k.xmin IS DISTINCT FROM e.xmin AS raced FROM seen e LEFT JOIN kept k USING (board, user_id)
), checked AS (
  SELECT i.idx, i.board, i.user_id, i.score, i.action_id, p.period, p.operator, p.sort_order, u.id IS NOT NULL AS known, u.name,
         u.banned, u.ban_reason, e.score AS base, e.reached_at AS base_reached_at, coalesce(e.raced, false) AS raced,
         i.action_id IS NOT NULL AND (row_number() OVER (PARTITION BY i.user_id, i.board, i.action_id ORDER BY i.idx) > 1
           OR EXISTS (SELECT 1 FROM score_events l WHERE (l.user_id, l.board, l.action_id) = (i.user_id, i.board, i.action_id))) AS duplicate
    FROM input i LEFT JOIN periods p USING (board) LEFT JOIN usr u ON u.id = i.user_id LEFT JOIN entry e USING (board, user_id)
), counted AS (
  SELECT c.*, c.operator = 'incr' AND coalesce(c.base, 0) + sum(c.score) OVER w > ${MAX_BOARD_VALUE} AS over_maximum
    FROM checked c WHERE c.period IS NOT NULL AND c.known AND NOT c.banned AND NOT c.duplicate AND NOT c.raced ${PER_ENTRY}
), valued AS (
  SELECT c.*, (CASE WHEN c.operator = 'incr' THEN coalesce(c.base, 0) + sum(c.score) OVER w
                    WHEN c.operator = 'latest' THEN c.score
                    WHEN c.sort_order = 'desc' THEN greatest(c.base, max(c.score) OVER w)
                    ELSE least(c.base, min(c.score) OVER w) END)::bigint AS after
    FROM counted c WHERE NOT c.over_maximum ${PER_ENTRY}
), changed AS (
  SELECT v.*, v.after - coalesce(lag(v.after) OVER w, v.base, 0) AS points,
         v.after IS DISTINCT FROM coalesce(lag(v.after) OVER w, v.base) AS moves
    FROM valued v ${PER_ENTRY}
), final AS (
  SELECT DISTINCT ON (board, user_id) board, period, user_id, after, base_reached_at, bool_or(moves) OVER (PARTITION BY board, user_id) AS moved
    FROM changed ORDER BY board, user_id, idx DESC
), upserted AS (
  INSERT INTO board_scores AS s (board, period, user_id, score, reached_at)
  SELECT board, period, user_id, after, CASE WHEN moved THEN now() ELSE base_reached_at END FROM final ORDER BY board, user_id
  ON CONFLICT (board, period, user_id) DO UPDATE SET previous_score = s.score, score = EXCLUDED.score, reached_at = EXCLUDED.reached_at
   WHERE s.xmin = (SELECT e.xmin FROM entry e WHERE (e.board, e.user_id) = (s.board, s.user_id))
  RETURNING board, user_id
), recorded AS (
  -- ids in arrival order: the sorted subquery is not flattened, so the id default is drawn after the sort
  INSERT INTO score_events (user_id, board, period, points, value, action_id)
  SELECT * FROM (SELECT c.user_id, c.board, c.period, c.points, CASE WHEN c.operator <> 'incr' THEN c.score END, c.action_id
                   FROM changed c JOIN upserted USING (board, user_id) ORDER BY c.idx) arrived
)
SELECT c.idx, c.board, c.period, c.name, c.ban_reason, v.after AS score,
       CASE WHEN c.period IS NULL THEN 'period-ended' WHEN NOT c.known THEN 'unknown-user' WHEN c.banned THEN 'banned'
            WHEN c.duplicate THEN 'duplicate' WHEN o.over_maximum THEN 'over-maximum' WHEN up.user_id IS NOT NULL THEN 'applied'
            ELSE 'raced' END AS status, ${WRITE_AS_OF}
  FROM checked c LEFT JOIN counted o USING (idx) LEFT JOIN changed v USING (idx) LEFT JOIN upserted up ON (up.board, up.user_id) = (c.board, c.user_id)`;
