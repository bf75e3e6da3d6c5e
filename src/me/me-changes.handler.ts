import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { GLOBAL_BOARD } from '../boards/board';
import { PeriodClosedEvent } from '../boards/board-events';
import { ScoreChangedEvent } from '../scores/events/score-changed.event';
import { MeWatch } from './me-watch';

/**
 * A feed page marks the boards it changed, up to its position: O(boards) per page, whatever the watchers. The
 * feed carries every committed change, from any instance or from outside, so every instance's watchers follow it.
 */
@EventsHandler(ScoreChangedEvent)
export class MarkChangedBoardsHandler implements IEventHandler<ScoreChangedEvent> {
  constructor(private readonly watch: MeWatch) {}

  handle(page: ScoreChangedEvent): void {
    if (page.users.length || page.removed.length || page.reset) this.watch.changed(GLOBAL_BOARD, page.to);
    for (const { board } of page.boards) this.watch.changed(board, page.to);
  }
}

/** A new period started empty: its watchers get their (empty) standing on the next tick. */
@EventsHandler(PeriodClosedEvent)
export class MarkPeriodClosedHandler implements IEventHandler<PeriodClosedEvent> {
  constructor(private readonly watch: MeWatch) {}

  handle(event: PeriodClosedEvent): void {
    this.watch.changed(event.board);
  }
}
