import { Injectable } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { PeriodClosedEvent } from './board-events';
import { nextBoundary } from './board-schedule';

/** Catching up after a long outage closes at most this many periods per call (the next call goes on). */
const MAX_CATCH_UP = 10_000;

const LOCK_OPEN_SQL = `
SELECT p.period, b.reset, b.timezone FROM board_periods p JOIN boards b ON b.key = p.board
 WHERE p.board = $1 AND p.closed_at IS NULL FOR UPDATE OF p`;
/** Scheduled: closes only when its end has passed by the database's clock, read after the lock. */
const CLOSE_DUE_SQL = `
UPDATE board_periods SET closed_at = clock_timestamp()
 WHERE board = $1 AND period = $2 AND ends_at <= clock_timestamp()
RETURNING ends_at, ends_at::text AS ends_at_text`;
const CLOSE_NOW_SQL = `
WITH c AS (SELECT clock_timestamp() AS t)
UPDATE board_periods SET closed_at = c.t, ends_at = c.t FROM c
 WHERE board = $1 AND period = $2
RETURNING ends_at, ends_at::text AS ends_at_text`;

interface Closed {
  closed: number;
  period: number;
}

/**
 * Closes periods exactly once with any number of instances: the open period's row is locked, and closed
 * only while still open, so a second closer finds nothing. Submissions hold a share lock on the same row
 * while they apply, so a closed period's standings never change afterwards.
 */
@Injectable()
export class PeriodCloser {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly eventBus: EventBus,
  ) {}

  /** Closes every period of the board whose end has passed (several after an outage), opening the next each time. */
  async closeDue(board: string): Promise<void> {
    for (let i = 0; i < MAX_CATCH_UP; i++) {
      if (!(await this.closeOnce(board, CLOSE_DUE_SQL))) return;
    }
  }

  /** Closes the current period now (POST …/reset); undefined when the board does not exist. */
  closeNow(board: string): Promise<Closed | undefined> {
    return this.closeOnce(board, CLOSE_NOW_SQL);
  }

  private async closeOnce(board: string, closeSql: string): Promise<Closed | undefined> {
    const closed = await this.dataSource.transaction(async (manager) => {
      const [open]: { period: number; reset: string; timezone: string }[] = await manager.query(LOCK_OPEN_SQL, [board]);
      if (!open) return undefined;
      const [rows]: [{ ends_at: Date; ends_at_text: string }[]] = await manager.query(closeSql, [board, open.period]);
      if (!rows.length) return undefined;
      await this.openNext(manager, board, open.period + 1, rows[0], nextBoundary(open.reset, open.timezone, rows[0].ends_at));
      return { closed: open.period, period: open.period + 1 };
    });
    if (closed) this.eventBus.publish(new PeriodClosedEvent(board, closed.closed, closed.period));
    return closed;
  }

  /** The next period starts exactly where the closed one ended (passed back as PostgreSQL's text: microseconds kept). */
  private async openNext(
    manager: EntityManager,
    board: string,
    period: number,
    start: { ends_at_text: string },
    end: Date | null,
  ): Promise<void> {
    await manager.query(`INSERT INTO board_periods (board, period, starts_at, ends_at) VALUES ($1, $2, $3, $4)`, [
      board,
      period,
      start.ends_at_text,
      end,
    ]);
  }
}
