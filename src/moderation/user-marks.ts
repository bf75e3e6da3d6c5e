import { Injectable } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GLOBAL_BOARD } from '../boards/board';
import { BoardChangedEvent } from '../boards/board-events';
import { ChangeFeed } from '../changes/change-feed';

/** The name an erased user keeps (contract §9): the row stays for the ledger's foreign key, the person is gone. */
export const ERASED_NAME = 'deleted user';

/**
 * What each mark sets on a user that still exists for the API ($1 id, $2 reason). `updated_at` is left alone:
 * it is when the score was reached, so an unbanned user is back at exactly their old place.
 */
const MARKS = {
  ban: `banned_at = coalesce(banned_at, now()), ban_reason = $2`,
  unban: `banned_at = NULL, ban_reason = NULL`,
  erase: `name = '${ERASED_NAME}', erased_at = now(), banned_at = NULL, ban_reason = NULL`,
} as const;

export type Mark = keyof typeof MARKS;

/**
 * Bans, unbans and erases are UPDATEs of users: the change feed's trigger carries them to the rank index and the
 * top 10 (its reader reports a banned or erased user as removed), so nothing here touches derived state; boards
 * other than global are told through BoardChangedEvent.
 */
@Injectable()
export class UserMarks {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly feed: ChangeFeed,
    private readonly eventBus: EventBus,
  ) {}

  /** false when there is no such user (or they were erased); `reason` is the ban's. */
  async set(mark: Mark, userId: number, reason?: string): Promise<boolean> {
    const rows: { boards: string[] }[] = await this.dataSource.query(
      `WITH target AS (UPDATE users SET ${MARKS[mark]} WHERE id = $1 AND erased_at IS NULL RETURNING id)
       SELECT coalesce((SELECT array_agg(DISTINCT board) FROM board_scores WHERE user_id = $1), '{}') AS boards FROM target`,
      mark === 'ban' ? [userId, reason] : [userId],
    );
    if (!rows.length) return false;
    this.feed.poke(); // committed: the rank index and the top 10 follow now rather than on the NOTIFY
    for (const board of rows[0].boards) if (board !== GLOBAL_BOARD) this.eventBus.publish(new BoardChangedEvent(board));
    return true;
  }
}
