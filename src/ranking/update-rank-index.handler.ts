import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { ScoreChangedEvent } from '../scores/events/score-changed.event';
import { RankIndex } from './rank-index';

/**
 * Moves the user in the rank index after each committed change. Called synchronously on publish,
 * so the Redis command is queued before the submitter asks for its rank on the same connection.
 */
@EventsHandler(ScoreChangedEvent)
export class UpdateRankIndexHandler implements IEventHandler<ScoreChangedEvent> {
  constructor(private readonly index: RankIndex) {}

  handle({ userId, score, reachedAt }: ScoreChangedEvent): Promise<void> {
    return this.index.record({ userId, score, reachedAt });
  }
}
