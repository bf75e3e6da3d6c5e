import { toNumber } from '../database/bigint.transformer';
import { BoardOrder } from './board';
import { BoardEntryChanges } from './board-events';

/** A submission to a board other than `global`, as the group commit queues it. */
export interface BoardSubmission {
  board: string;
  order: BoardOrder;
  userId: number;
  value: number;
  actionId?: string;
}

/**
 * A submission's outcome on a board other than `global`. period-ended: the open period's end has passed (close it,
 * retry); raced: another writer changed the entry since the statement's snapshot, so nothing was applied (retry).
 */
export type BoardOutcome =
  | { status: 'applied'; period: number; name: string; score: number; asOf: bigint }
  | { status: 'banned'; reason: string }
  | { status: 'duplicate' | 'unknown-user' | 'period-ended' | 'raced' | 'over-maximum' };

/** One row of APPLY_BOARD_BATCH_SQL: the outcome of the submission at position `idx` − 1 (score: the value after it). */
export interface BoardBatchRow {
  idx: string;
  board: string;
  period: number | null;
  name: string | null;
  ban_reason: string | null;
  score: string | null;
  status: BoardOutcome['status'];
  /** Past the batch's transaction: the submitter's rank must reflect at least this. */
  as_of: string;
}

function toOutcome(row: BoardBatchRow): BoardOutcome {
  switch (row.status) {
    case 'applied':
      return { status: 'applied', period: row.period!, name: row.name!, score: toNumber(row.score!), asOf: BigInt(row.as_of) };
    case 'banned':
      return { status: 'banned', reason: row.ban_reason! };
    default:
      return { status: row.status };
  }
}

/** Each submission's outcome, in batch order. */
export function resolveBoardOutcomes(size: number, rows: BoardBatchRow[]): BoardOutcome[] {
  const outcomes = new Array<BoardOutcome>(size);
  for (const row of rows) outcomes[toNumber(row.idx) - 1] = toOutcome(row);
  const missing = outcomes.findIndex((outcome) => outcome === undefined);
  if (outcomes.length !== size || missing >= 0) throw new Error(`board batch statement answered no outcome for submission ${missing}`);
  return outcomes;
}

/** Per board the batch changed, each changed entry's value after the batch (its last applied submission). */
export function changesByBoard(batch: BoardSubmission[], outcomes: BoardOutcome[]): Map<string, BoardEntryChanges> {
  const byBoard = new Map<string, BoardEntryChanges & { scores: Map<number, number> }>();
  outcomes.forEach((outcome, i) => {
    if (outcome.status !== 'applied') return;
    const { board, order, userId } = batch[i];
    let changes = byBoard.get(board);
    if (!changes) byBoard.set(board, (changes = { period: outcome.period, order, entries: [], scores: new Map() }));
    changes.scores.set(userId, outcome.score);
  });
  return new Map(
    [...byBoard].map(([board, { scores, ...changes }]) => [
      board,
      { ...changes, entries: [...scores].map(([userId, score]) => ({ userId, score })) },
    ]),
  );
}
