import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BoardOrder, GLOBAL_BOARD } from '../boards/board';
import { toNumber } from '../database/bigint.transformer';
import { SERVICE_WRITER_SQL } from '../database/migrations/1764800000000-change-feed';
import { WRITE_AS_OF } from '../ranking/rank-order';

/**
 * $1 user, $2 points, $3 reason. ONE statement: lock the user, refuse a total below 0, record the ledger row with
 * its reason and move the total (and the time it was reached). Marked as the service's write, so the change-feed
 * trigger records no second, "outside change" row; the feed carries the new total to ranks and the top 10.
 */
const GLOBAL_SQL = `
WITH usr AS (
  SELECT id, name, score, banned_at FROM users WHERE id = $1 AND erased_at IS NULL AND ${SERVICE_WRITER_SQL} IS NOT NULL FOR UPDATE
), recorded AS (
  INSERT INTO score_events (user_id, points, reason) SELECT id, $2, $3 FROM usr WHERE score + $2 >= 0 RETURNING user_id
), updated AS (
  UPDATE users u SET score = u.score + $2, updated_at = now() FROM recorded r WHERE u.id = r.user_id RETURNING u.score
)
SELECT 'incr' AS operator, 'desc' AS sort_order, u.name, u.banned_at IS NOT NULL AS banned, coalesce(up.score, u.score) AS score, up.score IS NOT NULL AS applied, ${WRITE_AS_OF}
  FROM (SELECT 1) one LEFT JOIN usr u ON true LEFT JOIN updated up ON true`;

/** $1 user, $2 points, $3 reason, $4 board: the same on the board's open period (an entry of 0 when there is none). */
const BOARD_SQL = `
WITH brd AS (
  SELECT b.operator, b.sort_order, p.period FROM boards b JOIN board_periods p ON p.board = b.key AND p.closed_at IS NULL WHERE b.key = $4 FOR SHARE OF p
), usr AS (
  SELECT id, name, banned_at FROM users WHERE id = $1 AND erased_at IS NULL FOR UPDATE
), cur AS (
  SELECT s.score FROM board_scores s JOIN brd b ON s.board = $4 AND s.period = b.period WHERE s.user_id = $1 FOR UPDATE OF s
), upserted AS (
  INSERT INTO board_scores AS s (board, period, user_id, score, reached_at)
  SELECT $4, b.period, u.id, $2, now() FROM brd b, usr u WHERE b.operator = 'incr' AND coalesce((SELECT score FROM cur), 0) + $2 >= 0
  ON CONFLICT (board, period, user_id) DO UPDATE SET previous_score = s.score, score = s.score + EXCLUDED.score, reached_at = now()
  RETURNING period, score
), recorded AS (
  INSERT INTO score_events (user_id, board, period, points, reason) SELECT $1, $4, period, $2, $3 FROM upserted
)
SELECT (SELECT operator FROM brd) AS operator, (SELECT sort_order FROM brd) AS sort_order, (SELECT period FROM brd) AS period, u.name, u.banned_at IS NOT NULL AS banned,
       coalesce(up.score, (SELECT score FROM cur), 0) AS score, up.score IS NOT NULL AS applied, NULL AS as_of
  FROM (SELECT 1) one LEFT JOIN usr u ON true LEFT JOIN upserted up ON true`;

const CHECK_VIOLATION = '23514';

interface Row {
  operator: string | null;
  sort_order: BoardOrder;
  period?: number | null;
  name: string | null;
  banned: boolean | null;
  score: string;
  applied: boolean;
  as_of: string | null;
}

/** `asOf`: past the writing transaction (global ranks must reflect it); `period`: the board's open period. */
export type AdjustOutcome =
  | { status: 'applied'; name: string; score: number; banned: boolean; order: BoardOrder; asOf?: bigint; period?: number }
  | { status: 'unknown-board' | 'not-incr' | 'unknown-user' | 'out-of-range' };

/** Applies an operator's correction to a user's total on one board. */
@Injectable()
export class ScoreAdjuster {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async adjust(userId: number, points: number, reason: string, board: string): Promise<AdjustOutcome> {
    let row: Row;
    try {
      [row] =
        board === GLOBAL_BOARD
          ? await this.dataSource.query(GLOBAL_SQL, [userId, points, reason])
          : await this.dataSource.query(BOARD_SQL, [userId, points, reason, board]);
    } catch (error) {
      const { code, driverError } = error as { code?: string; driverError?: { code?: string } };
      if ((driverError?.code ?? code) === CHECK_VIOLATION) return { status: 'out-of-range' }; // past 2^53−1
      throw error;
    }
    if (row.operator === null) return { status: 'unknown-board' };
    if (row.operator !== 'incr') return { status: 'not-incr' };
    if (row.name === null) return { status: 'unknown-user' };
    if (!row.applied) return { status: 'out-of-range' };
    const asOf = row.as_of === null ? undefined : BigInt(row.as_of);
    return {
      status: 'applied',
      name: row.name,
      score: toNumber(row.score),
      banned: row.banned!,
      order: row.sort_order,
      asOf,
      period: row.period ?? undefined,
    };
  }
}
