import { BoardOrder } from './board';

/** What a commit did to a board's entries: each changed entry's value after it, in that period. */
export interface BoardEntryChanges {
  period: number;
  order: BoardOrder;
  entries: { userId: number; score: number }[];
}

/** A committed change to a board's current standings (an applied submission): its snapshot may have changed. */
export class BoardChangedEvent {
  /** `changes` when known (the service's own submissions): entries that cannot reach the top 10 spare its refresh. */
  constructor(
    readonly board: string,
    readonly changes?: BoardEntryChanges,
  ) {}
}

/** A period closed (committed): `period` started empty, so subscribers should get the new board at once. */
export class PeriodClosedEvent {
  constructor(
    readonly board: string,
    readonly closed: number,
    readonly period: number,
  ) {}
}

/** A board was deleted (its Redis structures and socket room can go). */
export class BoardDeletedEvent {
  constructor(readonly board: string) {}
}
