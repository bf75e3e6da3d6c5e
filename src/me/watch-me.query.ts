import { Query } from '@nestjs/cqrs';
import { MeState } from './me-state';

/** A socket of this player joined their `me` room on this board: their current view, the base of later pushes. */
export class WatchMeQuery extends Query<MeState> {
  constructor(
    readonly userId: number,
    readonly board: string,
  ) {
    super();
  }
}
