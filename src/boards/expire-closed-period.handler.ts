import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { RankIndex } from '../ranking/rank-index';
import { PeriodClosedEvent } from './board-events';

/** Frozen standings live in PostgreSQL: the closed period's rank set serves ranks a while longer, then goes. */
@EventsHandler(PeriodClosedEvent)
export class ExpireClosedPeriodHandler implements IEventHandler<PeriodClosedEvent> {
  constructor(private readonly index: RankIndex) {}

  handle({ board, closed }: PeriodClosedEvent): Promise<void> {
    return this.index.retire(board, closed);
  }
}
