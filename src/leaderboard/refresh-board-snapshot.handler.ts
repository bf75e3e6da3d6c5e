import { Logger } from '@nestjs/common';
import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { BoardChangedEvent, BoardDeletedEvent, PeriodClosedEvent } from '../boards/board-events';
import { ThrottledWarning } from '../logging/throttled-warning';
import { LeaderboardService } from './leaderboard.service';

type BoardEvent = BoardChangedEvent | PeriodClosedEvent | BoardDeletedEvent;

/**
 * A board's committed changes on this instance: a submission or a new period refreshes its snapshot (so a closed
 * period's subscribers get the new, empty board at once); a deletion drops it. Other instances hear the outcome
 * through the store's publication.
 */
@EventsHandler(BoardChangedEvent, PeriodClosedEvent, BoardDeletedEvent)
export class RefreshBoardSnapshotHandler implements IEventHandler<BoardEvent> {
  private readonly warning = new ThrottledWarning(new Logger(RefreshBoardSnapshotHandler.name));

  constructor(private readonly leaderboard: LeaderboardService) {}

  handle(event: BoardEvent): void {
    if (event instanceof BoardChangedEvent) return this.leaderboard.refresh(event.board, event.changes);
    if (event instanceof PeriodClosedEvent) return this.leaderboard.refresh(event.board);
    this.leaderboard
      .delete(event.board)
      .catch((error: Error) => this.warning.warn(`dropping the snapshot of ${event.board} failed: ${error.message}`));
  }
}
