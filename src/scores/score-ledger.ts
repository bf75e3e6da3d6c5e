import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { toNumber } from '../database/bigint.transformer';
import { ScoreChangedEvent } from './events/score-changed.event';
import { recordScoreChange } from './score-changes.subscriber';
import { BatchRows, ledgerKey, Outcome, resolveOutcomes, Submission } from './submission';

/**
 * One statement applies a whole batch: lock the users in id order (no deadlocks between instances),
 * insert the ledger rows (idempotent on user + actionId), and add what was inserted to each score in SQL.
 */
export const APPLY_BATCH_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::int[], $2::bigint[], $3::int[], $4::varchar[]) AS t(idx, user_id, points, action_id)
), locked AS (
  SELECT id, name, score, updated_at FROM users WHERE id IN (SELECT user_id FROM input) ORDER BY id FOR UPDATE
), inserted AS (
  INSERT INTO score_events (user_id, points, action_id)
  SELECT i.user_id, i.points, i.action_id FROM input i JOIN locked l ON l.id = i.user_id ORDER BY i.idx
  ON CONFLICT (user_id, board, action_id) DO NOTHING
  RETURNING user_id, points, action_id
), updated AS (
  UPDATE users u SET score = u.score + s.points, updated_at = now()
  FROM (SELECT user_id, sum(points) AS points FROM inserted GROUP BY user_id) s
  WHERE u.id = s.user_id
  RETURNING u.id, u.score, u.updated_at
)
SELECT l.id AS user_id, l.name, COALESCE(up.score, l.score) AS score, NULL AS action_id,
       (extract(epoch FROM COALESCE(up.updated_at, l.updated_at)) * 1000000)::bigint AS reached_at
  FROM locked l LEFT JOIN updated up ON up.id = l.id
UNION ALL
SELECT user_id, NULL, NULL, action_id, NULL FROM inserted WHERE action_id IS NOT NULL`;

interface Row {
  user_id: string;
  name: string | null;
  score: string | null;
  action_id: string | null;
  reached_at: string | null;
}

@Injectable()
export class ScoreLedger {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Applies a batch in one transaction; its ScoreChangedEvents are published after commit. */
  async apply(batch: Submission[]): Promise<Outcome[]> {
    return this.dataSource.transaction(async (manager) => {
      const rows: Row[] = await manager.query(APPLY_BATCH_SQL, [
        batch.map((_, i) => i),
        batch.map((s) => s.userId),
        batch.map((s) => s.points),
        batch.map((s) => s.actionId ?? null),
      ]);
      const outcomes = resolveOutcomes(batch, toBatchRows(rows));
      const reachedAt = new Map(rows.filter((r) => r.reached_at !== null).map((r) => [toNumber(r.user_id), toNumber(r.reached_at!)]));
      outcomes.forEach((outcome, i) => {
        if (outcome.status === 'applied') {
          const event = new ScoreChangedEvent(outcome.userId, outcome.name, batch[i].points, outcome.score, reachedAt.get(outcome.userId)!);
          recordScoreChange(manager.queryRunner!, event);
        }
      });
      return outcomes;
    });
  }
}

function toBatchRows(rows: Row[]): BatchRows {
  const result: BatchRows = { users: new Map(), insertedKeys: new Set() };
  for (const row of rows) {
    if (row.action_id === null) result.users.set(toNumber(row.user_id), { name: row.name!, score: toNumber(row.score!) });
    else result.insertedKeys.add(ledgerKey(toNumber(row.user_id), row.action_id));
  }
  return result;
}
