import { RankEntry } from '../../ranking/rank-member';

/** A user's state as committed, read after the change: what everything derived is computed from. */
export interface UserState extends RankEntry {
  name: string;
}

/** Committed changes to one board's scores in one period (boards other than `global`). */
export interface BoardChanges {
  board: string;
  period: number;
  order: 'desc' | 'asc';
  entries: RankEntry[];
  removed: number[];
}

/**
 * Committed changes to `users` and to board scores, from the service or any other client, in feed order (one event per page of
 * the change feed). Only committed changes ever reach the feed, so nothing downstream sees a rolled-back score.
 */
export class ScoreChangedEvent {
  constructor(
    /** Feed positions (encoded) this page covers: after `from`, up to and including `to`. */
    readonly from: string,
    readonly to: string,
    /** The current state of every user changed in the page. */
    readonly users: UserState[],
    /** Users changed in the page that no longer exist. */
    readonly removed: number[],
    /** The table was truncated (or the feed lost this consumer's position): rebuild everything derived. */
    readonly reset: boolean,
    /** Changes to boards other than `global`, per board and period. */
    readonly boards: BoardChanges[] = [],
  ) {}
}
