import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { toNumber } from '../database/bigint.transformer';
import { PreparedStatement } from '../database/prepared-statement';
import { SERVICE_WRITER_SQL } from '../database/migrations/1764800000000-change-feed';
import { RankEntry } from '../ranking/rank-member';
import { BatchRows, ledgerKey, Outcome, resolveOutcomes, Submission } from './submission';

const MICROS = (column: string) => `(extract(epoch FROM ${column}) * 1000000)::bigint`;

/**
 * One statement (its own transaction) applies a whole batch and returns every outcome: lock the users in id order
 * (no deadlocks between instances), leave out submissions of banned users (the outcome carries the ban; an erased
 * user is reported as unknown) and those that would take a total past 2^53−1 (reported by index: a bad submission
 * never fails its batch), insert the ledger rows (idempotent on user + actionId), and add what was inserted to each
 * score in SQL. It marks itself as the service's writer, so the change-feed trigger records no outside adjustment,
 * and returns its xid: ranks answered for it must reflect it. (The maximum check counts repeated actionIds too:
 * only a total within one batch's points of 2^53−1 can tell the difference.)
 */
export const APPLY_BATCH_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::int[], $2::bigint[], $3::int[], $4::varchar[]) AS t(idx, user_id, points, action_id)
   WHERE ${SERVICE_WRITER_SQL} IS NOT NULL
), locked AS (
  SELECT id, name, score, updated_at, banned_at, ban_reason, erased_at FROM users WHERE id IN (SELECT user_id FROM input) ORDER BY id FOR UPDATE
), checked AS (
  SELECT i.*, l.score + sum(i.points) OVER (PARTITION BY i.user_id ORDER BY i.idx) > ${Number.MAX_SAFE_INTEGER} AS over_maximum
    FROM input i JOIN locked l ON l.id = i.user_id WHERE l.banned_at IS NULL AND l.erased_at IS NULL
), inserted AS (
  INSERT INTO score_events (user_id, points, action_id)
  SELECT user_id, points, action_id FROM checked WHERE NOT over_maximum ORDER BY idx
  ON CONFLICT (user_id, board, action_id) DO NOTHING
  RETURNING user_id, points, action_id
), updated AS (
  UPDATE users u SET score = u.score + s.points, updated_at = now()
  FROM (SELECT user_id, sum(points) AS points FROM inserted GROUP BY user_id) s
  WHERE u.id = s.user_id
  RETURNING u.id, u.score, u.updated_at
)
SELECT l.id AS user_id, l.name, COALESCE(up.score, l.score) AS score, NULL AS action_id, pg_current_xact_id()::text AS xid,
       CASE WHEN l.banned_at IS NOT NULL THEN l.ban_reason END AS ban_reason, NULL::int AS over_maximum,
       l.score AS old_score, ${MICROS('l.updated_at')} AS old_reached_at, ${MICROS('COALESCE(up.updated_at, l.updated_at)')} AS reached_at
  FROM locked l LEFT JOIN updated up ON up.id = l.id WHERE l.erased_at IS NULL
UNION ALL
SELECT user_id, NULL, NULL, action_id, NULL, NULL, NULL, NULL, NULL, NULL FROM inserted WHERE action_id IS NOT NULL
UNION ALL
SELECT user_id, NULL, NULL, NULL, NULL, NULL, idx, NULL, NULL, NULL FROM checked WHERE over_maximum`;

const APPLY_BATCH = new PreparedStatement('apply-score-batch', APPLY_BATCH_SQL);

interface Row {
  user_id: string;
  name: string | null;
  score: string | null;
  action_id: string | null;
  xid: string | null;
  ban_reason: string | null;
  over_maximum: number | null;
  old_score: string | null;
  old_reached_at: string | null;
  reached_at: string | null;
}

/** A user's place in the rank order before and after the batch (lets the rank index answer at once: see RankIndex.rankAfter). */
export interface Move {
  before: RankEntry;
  after: RankEntry;
}

@Injectable()
export class ScoreLedger {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Applies a batch in one statement; `asOf` is past its transaction (what ranks answered for it must reflect). */
  async apply(batch: Submission[]): Promise<{ outcomes: Outcome[]; asOf: bigint; moves: Map<number, Move> }> {
    const rows = await APPLY_BATCH.rows<Row>(this.dataSource, [
      batch.map((_, i) => i),
      batch.map((s) => s.userId),
      batch.map((s) => s.points),
      batch.map((s) => s.actionId ?? null),
    ]);
    const xid = rows.find((row) => row.xid !== null)?.xid ?? null;
    const moves = new Map<number, Move>();
    for (const row of rows.filter((r) => r.old_score !== null)) {
      const userId = toNumber(row.user_id);
      const before = { userId, score: toNumber(row.old_score!), reachedAt: toNumber(row.old_reached_at!) };
      moves.set(userId, { before, after: { userId, score: toNumber(row.score!), reachedAt: toNumber(row.reached_at!) } });
    }
    return { outcomes: resolveOutcomes(batch, toBatchRows(rows)), asOf: xid === null ? 0n : BigInt(xid) + 1n, moves };
  }
}

function toBatchRows(rows: Row[]): BatchRows {
  const result: BatchRows = { users: new Map(), insertedKeys: new Set(), overMaximum: new Set() };
  for (const row of rows) {
    if (row.over_maximum !== null) result.overMaximum.add(row.over_maximum);
    else if (row.action_id === null)
      result.users.set(toNumber(row.user_id), { name: row.name!, score: toNumber(row.score!), banned: row.ban_reason ?? undefined });
    else result.insertedKeys.add(ledgerKey(toNumber(row.user_id), row.action_id));
  }
  return result;
}
