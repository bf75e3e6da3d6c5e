import { Query } from '@nestjs/cqrs';
import { GLOBAL_BOARD } from '../../boards/board';
import { Snapshot } from '../snapshot';

/** A board's current top-10 snapshot; 404 for an unknown board (other modules, e.g. the first page of GET /api/users, ask through the bus). */
export class GetLeaderboardQuery extends Query<Snapshot> {
  constructor(readonly board: string = GLOBAL_BOARD) {
    super();
  }
}
