import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { ScoreChangedEvent } from '../scores/events/score-changed.event';
import { LeaderboardService } from './leaderboard.service';

/** Refreshes the top 10 after a committed score change (coalesced; skipped when it cannot matter). */
@EventsHandler(ScoreChangedEvent)
export class RefreshLeaderboardHandler implements IEventHandler<ScoreChangedEvent> {
  constructor(private readonly leaderboard: LeaderboardService) {}

  handle(event: ScoreChangedEvent): void {
    this.leaderboard.scoreChanged(event.userId, event.score);
  }
}
