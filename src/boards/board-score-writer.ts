import { Injectable } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BoardOperator, BoardOrder } from './board';
import { BoardChangedEvent } from './board-events';

/** The new value of an entry (s: the stored row, EXCLUDED: the submission) by the board's operator. */
const NEW_VALUE: Record<BoardOperator, (order: BoardOrder) => string> = {
  incr: () => 's.score + EXCLUDED.score',
  best: (order) => `${order === 'desc' ? 'GREATEST' : 'LEAST'}(s.score, EXCLUDED.score)`,
  latest: () => 'EXCLUDED.score',
};

/**
 * ONE statement decides the period by the database's clock and applies the submission to it: the open
 * period is share-locked (a closer waits for it, and it for a closer, then finds the period closed), the
 * entry is upserted by the operator (the time it was reached moves only when the value changes), and the
 * ledger row records the exact change (and, on best/latest boards, the submitted value). A repeated
 * actionId writes nothing; two racing ones fail on the ledger's unique key and the loser is retried.
 */
const applySql = (operator: BoardOperator, order: BoardOrder) => `
WITH period AS (
  SELECT period FROM board_periods
   WHERE board = $1 AND closed_at IS NULL AND (ends_at IS NULL OR ends_at > now())
   FOR SHARE
), usr AS (
  SELECT id, name, banned_at, ban_reason FROM users WHERE id = $2 AND erased_at IS NULL
), fresh AS (
  SELECT p.period, u.id FROM period p, usr u
   WHERE u.banned_at IS NULL AND ($4::varchar IS NULL OR NOT EXISTS (SELECT 1 FROM score_events e WHERE e.user_id = $2 AND e.board = $1 AND e.action_id = $4))
), upserted AS (
  INSERT INTO board_scores AS s (board, period, user_id, score, reached_at)
  SELECT $1, period, id, $3, now() FROM fresh
  ON CONFLICT (board, period, user_id) DO UPDATE SET
    previous_score = s.score,
    score = ${NEW_VALUE[operator](order)},
    reached_at = CASE WHEN ${NEW_VALUE[operator](order)} = s.score THEN s.reached_at ELSE now() END
  RETURNING period, score, score - coalesce(previous_score, 0) AS points
), recorded AS (
  INSERT INTO score_events (user_id, board, period, points, value, action_id)
  SELECT $2, $1, period, points, ${operator === 'incr' ? 'NULL' : '$3'}, $4 FROM upserted
)
SELECT (SELECT period FROM period) AS period, (SELECT name FROM usr) AS name, u.score,
       (SELECT ban_reason FROM usr WHERE banned_at IS NOT NULL) AS ban_reason
  FROM (SELECT 1) one LEFT JOIN upserted u ON true`;

/** period-ended: the open period's end has passed (close it, retry); raced: an equal actionId committed first (retry). */
export type BoardOutcome =
  | { status: 'applied'; period: number; name: string; score: number }
  | { status: 'banned'; reason: string }
  | { status: 'duplicate' | 'unknown-user' | 'period-ended' | 'raced' | 'over-maximum' };

const CHECK_VIOLATION = '23514';
const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';

interface Row {
  period: number | null;
  name: string | null;
  score: string | null;
  ban_reason: string | null;
}

/** Applies one submission to a board other than `global` (one statement per submission: no group commit yet). */
@Injectable()
export class BoardScoreWriter {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly eventBus: EventBus,
  ) {}

  async apply(
    board: { key: string; operator: BoardOperator; order: BoardOrder },
    userId: number,
    value: number,
    actionId?: string,
  ): Promise<BoardOutcome> {
    let row: Row;
    try {
      [row] = await this.dataSource.query(applySql(board.operator, board.order), [board.key, userId, value, actionId ?? null]);
    } catch (error) {
      const { code, driverError } = error as { code?: string; driverError?: { code?: string } };
      if ((driverError?.code ?? code) === CHECK_VIOLATION) return { status: 'over-maximum' };
      if ((driverError?.code ?? code) === UNIQUE_VIOLATION) return { status: 'raced' };
      if ((driverError?.code ?? code) === FOREIGN_KEY_VIOLATION) return { status: 'unknown-user' }; // deleted meanwhile
      throw error;
    }
    if (row.period === null) return { status: 'period-ended' };
    if (row.name === null) return { status: 'unknown-user' };
    if (row.ban_reason !== null) return { status: 'banned', reason: row.ban_reason };
    if (row.score === null) return { status: 'duplicate' };
    // Autocommitted: the change is visible to everyone now
    this.eventBus.publish(new BoardChangedEvent(board.key));
    return { status: 'applied', period: row.period, name: row.name, score: Number(row.score) };
  }
}
