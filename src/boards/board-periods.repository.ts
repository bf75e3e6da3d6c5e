import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PeriodSummary } from './dto/board-entries.response';

/** Reads of a board's periods (PeriodCloser writes them). */
@Injectable()
export class BoardPeriodsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Closed periods, newest first, numbered below `before` (exclusive); periods nobody played in included. */
  listClosed(board: string, limit: number, before?: number): Promise<PeriodSummary[]> {
    return this.dataSource.query(
      `SELECT p.period, p.starts_at AS "startsAt", p.ends_at AS "endsAt",
              (SELECT count(*)::int FROM board_scores s WHERE s.board = p.board AND s.period = p.period) AS players
         FROM board_periods p WHERE p.board = $1 AND p.closed_at IS NOT NULL AND ($2::int IS NULL OR p.period < $2)
        ORDER BY p.period DESC LIMIT $3`,
      [board, before ?? null, limit],
    );
  }

  async exists(board: string, period: number): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM board_periods WHERE board = $1 AND period = $2`, [board, period]);
    return rows.length > 0;
  }
}
