/** A committed, applied submission: published only after its transaction commits. */
export class ScoreChangedEvent {
  constructor(
    readonly userId: number,
    readonly name: string,
    /** Points this submission added. */
    readonly points: number,
    /** The user's total right after this submission. */
    readonly score: number,
    /** users.updated_at after this submission, in epoch microseconds: equal scores rank by who reached them first. */
    readonly reachedAt: number,
  ) {}
}
