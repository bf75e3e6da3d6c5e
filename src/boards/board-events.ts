/** A committed change to a board's current standings (an applied submission): its snapshot may have changed. */
export class BoardChangedEvent {
  constructor(readonly board: string) {}
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
