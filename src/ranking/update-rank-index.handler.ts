import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { ScoreChangedEvent } from '../scores/events/score-changed.event';
import { RankIndex } from './rank-index';

/** Applies each page of the change feed to the rank index (once, by whichever instance gets there first). */
@EventsHandler(ScoreChangedEvent)
export class UpdateRankIndexHandler implements IEventHandler<ScoreChangedEvent> {
  constructor(private readonly index: RankIndex) {}

  handle(page: ScoreChangedEvent): Promise<void> {
    return this.index.follow(page);
  }
}
