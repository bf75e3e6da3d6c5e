import { toNumber } from '../database/bigint.transformer';

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

/** Each submission's outcome, in batch order, and the boards whose standings the batch changed (once each). */
export function resolveBoardOutcomes(size: number, rows: BoardBatchRow[]): { outcomes: BoardOutcome[]; changed: string[] } {
  const outcomes = new Array<BoardOutcome>(size);
  const changed = new Set<string>();
  for (const row of rows) {
    outcomes[toNumber(row.idx) - 1] = toOutcome(row);
    if (row.status === 'applied') changed.add(row.board);
  }
  const missing = outcomes.findIndex((outcome) => outcome === undefined);
  if (outcomes.length !== size || missing >= 0) throw new Error(`board batch statement answered no outcome for submission ${missing}`);
  return { outcomes, changed: [...changed] };
}
