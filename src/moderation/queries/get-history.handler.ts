import { ForbiddenException, NotFoundException } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { hasScope, SCOPES } from '../../auth/principal';
import { toNumber } from '../../database/bigint.transformer';
import { HistoryEntry, HistoryPage } from '../dto/history.dto';
import { GetHistoryQuery } from './get-history.query';

/**
 * $1 user, $2 before (exclusive), $3 board, $4 limit + 1 (one more row says whether there is a next page). A
 * keyset scan of score_events_history_idx; `known` tells an unknown (or erased) user or board from an empty page.
 */
const HISTORY_SQL = `
SELECT EXISTS (SELECT FROM users WHERE id = $1 AND erased_at IS NULL) AS user_known,
       $3::varchar IS NULL OR EXISTS (SELECT FROM boards WHERE key = $3) AS board_known,
       coalesce((SELECT json_agg(e ORDER BY e.id DESC) FROM (
         SELECT id, board, points, action_id, reason, created_at FROM score_events
          WHERE user_id = $1 AND ($2::bigint IS NULL OR id < $2) AND ($3::varchar IS NULL OR board = $3)
          ORDER BY id DESC LIMIT $4) e), '[]') AS rows`;

interface Row {
  user_known: boolean;
  board_known: boolean;
  rows: {
    id: number | string;
    board: string;
    points: number | string;
    action_id: string | null;
    reason: string | null;
    created_at: string;
  }[];
}

@QueryHandler(GetHistoryQuery)
export class GetHistoryHandler implements IQueryHandler<GetHistoryQuery> {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async execute({ principal, userId, limit, before, board }: GetHistoryQuery): Promise<HistoryPage> {
    if (principal.sub !== String(userId) && !hasScope(principal, SCOPES.scoresAdmin)) {
      throw new ForbiddenException(`Token may not read the history of user ${userId}`);
    }
    const [row]: Row[] = await this.dataSource.query(HISTORY_SQL, [userId, before ?? null, board ?? null, limit + 1]);
    if (!row.user_known) throw new NotFoundException(`User ${userId} not found`);
    if (!row.board_known) throw new NotFoundException(`Board ${board} not found`);
    const data: HistoryEntry[] = row.rows.slice(0, limit).map((e) => ({
      id: toNumber(e.id),
      board: e.board,
      points: toNumber(e.points),
      actionId: e.action_id,
      reason: e.reason,
      at: new Date(e.created_at),
    }));
    return { data, next: row.rows.length > limit ? data[data.length - 1].id : null };
  }
}
