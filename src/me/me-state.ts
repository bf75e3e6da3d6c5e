import { BoardEntry } from '../users/dto/user.response';

/** A player's own view of a board (contract §9): `around` as /around?limit=2; score and rank null while they are not on it. */
export interface MeState {
  id: number;
  score: number | null;
  rank: number | null;
  around: BoardEntry[];
}

/** Neighbours on each side in `around`. */
export const ME_RADIUS = 2;

/** What a `me:update` is pushed for: a moved rank or score (not a change among the neighbours alone). */
export const standingMoved = (before: Pick<MeState, 'score' | 'rank'>, after: Pick<MeState, 'score' | 'rank'>): boolean =>
  before.score !== after.score || before.rank !== after.rank;

/** Standing only: what the tick compares, before it reads anyone's neighbours. */
export type Standing = Pick<MeState, 'id' | 'score' | 'rank'>;
