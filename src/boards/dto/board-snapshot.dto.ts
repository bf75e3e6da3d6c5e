import { Snapshot } from '../../leaderboard/snapshot.dto';

/** A board's top-10 snapshot: contract §5 plus the board and the period it shows. */
export class BoardSnapshot extends Snapshot {
  /** @example "weekly-race" */
  board: string;
  /** @example 3 */
  period: number;
}
