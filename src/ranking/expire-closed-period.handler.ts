import { Logger } from '@nestjs/common';
import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { PeriodClosedEvent } from '../boards/board-events';
import { ThrottledWarning } from '../logging/throttled-warning';
import { boardNamespace, RankStore } from './rank-store';

/** Frozen standings live in PostgreSQL; the closed period's Redis set serves ranks a while longer, then goes. */
const CLOSED_PERIOD_TTL_SECONDS = 3600;

@EventsHandler(PeriodClosedEvent)
export class ExpireClosedPeriodHandler implements IEventHandler<PeriodClosedEvent> {
  private readonly warning = new ThrottledWarning(new Logger(ExpireClosedPeriodHandler.name));

  constructor(private readonly store: RankStore) {}

  async handle({ board, closed }: PeriodClosedEvent): Promise<void> {
    if (!this.store.available) return;
    // the order does not name the keys: any order addresses the same set
    await this.store.expire(boardNamespace(board, closed, 'desc'), CLOSED_PERIOD_TTL_SECONDS).catch((error: Error) => this.warning.warn(`expiring a closed period's ranks: ${error.message}`));
  }
}
