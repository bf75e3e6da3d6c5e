import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Board, BOARD_COLUMNS, BoardDetail, GLOBAL_BOARD, toBoard } from './board';

const UNIQUE_VIOLATION = '23505';

/** Board definitions in PostgreSQL (the periods they own are PeriodCloser's). */
@Injectable()
export class BoardsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(): Promise<Board[]> {
    const rows: Board[] = await this.dataSource.query(
      `SELECT ${BOARD_COLUMNS} FROM boards b ORDER BY b.key <> '${GLOBAL_BOARD}', b.created_at, b.key`,
    );
    return rows.map((row) => toBoard(row, this.config.scoreMaxIncrement));
  }

  /** The board with its open period's number and end; undefined when there is no such board. */
  async find(key: string): Promise<BoardDetail | undefined> {
    const [row]: (Board & { period: number; periodEndsAt: Date | null })[] = await this.dataSource.query(
      `SELECT ${BOARD_COLUMNS}, p.period, p.ends_at AS "periodEndsAt" FROM boards b JOIN board_periods p ON p.board = b.key AND p.closed_at IS NULL WHERE b.key = $1`,
      [key],
    );
    return row && { ...toBoard(row, this.config.scoreMaxIncrement), period: row.period, periodEndsAt: row.periodEndsAt };
  }

  /** The period in which this actionId counted on this board (undefined if its ledger row is gone). */
  async periodOfAction(key: string, userId: number, actionId: string): Promise<number | undefined> {
    const [row]: { period: number }[] = await this.dataSource.query(
      `SELECT period FROM score_events WHERE user_id = $1 AND board = $2 AND action_id = $3`,
      [userId, key, actionId],
    );
    return row?.period;
  }

  /** Inserts the board and its period 1 (ending at `firstEnd`); false when the key exists. */
  async create(board: Board, firstEnd: (now: Date) => Date | null): Promise<boolean> {
    try {
      await this.dataSource.transaction(async (manager) => {
        await manager.query(
          `INSERT INTO boards (key, name, sort_order, operator, reset, timezone, max_increment) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [board.key, board.name, board.order, board.operator, board.reset, board.timezone, board.maxIncrement],
        );
        const now = await transactionTime(manager);
        await manager.query(`INSERT INTO board_periods (board, period, starts_at, ends_at) VALUES ($1, 1, $2, $3)`, [
          board.key,
          now,
          firstEnd(now),
        ]);
      });
      return true;
    } catch (error) {
      const { code, driverError } = error as { code?: string; driverError?: { code?: string } };
      if ((driverError?.code ?? code) === UNIQUE_VIOLATION) return false;
      throw error;
    }
  }

  /** Applies changed fields; a new schedule moves the open period's end to its next boundary after now. */
  async update(
    key: string,
    changes: Pick<Board, 'name' | 'reset' | 'timezone' | 'maxIncrement'>,
    newEnd?: (now: Date) => Date | null,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager: EntityManager) => {
      await manager.query(`UPDATE boards SET name = $2, reset = $3, timezone = $4, max_increment = $5, updated_at = now() WHERE key = $1`, [
        key,
        changes.name,
        changes.reset,
        changes.timezone,
        changes.maxIncrement,
      ]);
      if (newEnd)
        await manager.query(`UPDATE board_periods SET ends_at = $2 WHERE board = $1 AND closed_at IS NULL`, [
          key,
          newEnd(await transactionTime(manager)),
        ]);
    });
  }

  /** Deletes the board, its periods and scores (cascade) and its ledger rows; false when there was none. */
  async delete(key: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const [, deleted]: [unknown, number] = await manager.query(`DELETE FROM boards WHERE key = $1`, [key]);
      await manager.query(`DELETE FROM score_events WHERE board = $1 AND board <> '${GLOBAL_BOARD}'`, [key]);
      return deleted > 0;
    });
  }
}

/** The database's clock for this transaction (now() is fixed for a transaction). */
export async function transactionTime(manager: EntityManager): Promise<Date> {
  const [{ now }]: { now: Date }[] = await manager.query(`SELECT now() AS now`);
  return now;
}
