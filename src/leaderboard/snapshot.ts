import { createHash } from 'node:crypto';
import { BoardEntry } from '../users/dto/user.response';
import { Snapshot } from './snapshot.dto';

export { BoardEntry, Snapshot };

export const BOARD_SIZE = 10;
const XIP_SLOTS = 1024;

/**
 * Orders PostgreSQL statement snapshots: a later snapshot has a larger xmax, or the same xmax with fewer
 * in-progress xids (none can join below xmax), so its key is never smaller, and strictly larger when it sees
 * more committed data. Capped at 1023 in-progress xids; stays a JSON-safe integer while xmax < 2^43.
 */
export function snapshotVersion(xmax: number, inProgress: number): number {
  return xmax * XIP_SLOTS + (XIP_SLOTS - 1 - Math.min(inProgress, XIP_SLOTS - 1));
}

export function toSnapshot(board: string, period: number, data: BoardEntry[], version: number, now = new Date()): Snapshot {
  return { hash: hashBoard(data), version, updatedAt: now.toISOString(), data, board, period };
}

/** Same standings: same period and same hash (a new period's empty board is news even after an empty one). */
export function sameBoard(a: { hash?: string; period?: number } | undefined, b: { hash?: string; period?: number }): boolean {
  return a?.hash !== undefined && a.hash === b.hash && a.period === b.period;
}

export function hashBoard(data: BoardEntry[]): string {
  return createHash('md5').update(JSON.stringify(data)).digest('hex');
}

/**
 * True when a user's change (new score, or undefined: deleted) cannot change the board, so the top-10 query can
 * be skipped: the board is full, the user is not on it, and they are gone or strictly worse than its 10th score. Only
 * valid while no refresh is pending (a pending one may follow a drop of a board member that lowered the 10th).
 * An equal score is not skipped: updated_at is the writing transaction's start time, so a concurrent writer may
 * commit a tie that ranks above the 10th entry although its change is read later.
 */
export function cannotChangeBoard(
  board: BoardEntry[] | undefined,
  userId: number,
  score: number | undefined,
  order: 'desc' | 'asc' = 'desc',
): boolean {
  if (!board || board.length < BOARD_SIZE) return false;
  if (board.some((entry) => entry.id === userId)) return false;
  const tenth = board[BOARD_SIZE - 1].score;
  return score === undefined || (order === 'desc' ? score < tenth : score > tenth);
}

/** True when a rename or a deletion of users shows on these standings (their names come from users). */
export function showsUsers(data: BoardEntry[] | undefined, users: { userId: number; name: string }[], removed: number[]): boolean {
  if (!data?.length) return false;
  const shown = new Map(data.map((entry) => [entry.id, entry.name]));
  return (
    removed.some((userId) => shown.has(userId)) || users.some((user) => shown.has(user.userId) && shown.get(user.userId) !== user.name)
  );
}
