import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { GLOBAL_BOARD } from '../boards/board';
import { BoardChangedEvent, PeriodClosedEvent } from '../boards/board-events';
import { ScoreChangedEvent } from '../scores/events/score-changed.event';
import { MeWatch } from './me-watch';

/** A feed page with changes marks `global` changed up to its position: O(1) per page, whatever the watchers. */
@EventsHandler(ScoreChangedEvent)
export class MarkGlobalChangedHandler implements IEventHandler<ScoreChangedEvent> {
  constructor(private readonly watch: MeWatch) {}

  handle(page: ScoreChangedEvent): void {
    if (page.users.length || page.removed.length || page.reset) this.watch.changed(GLOBAL_BOARD, page.to);
  }
}

/** A board's standings changed (a submission, or a new period): its watchers are looked at on the next tick. */
@EventsHandler(BoardChangedEvent, PeriodClosedEvent)
export class MarkBoardChangedHandler implements IEventHandler<BoardChangedEvent | PeriodClosedEvent> {
  constructor(private readonly watch: MeWatch) {}

  handle(event: BoardChangedEvent | PeriodClosedEvent): void {
    this.watch.changed(event.board);
  }
}
