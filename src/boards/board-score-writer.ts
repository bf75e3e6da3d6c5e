import { Injectable } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PreparedStatement } from '../database/prepared-statement';
import { GroupCommit, GroupCommits } from '../scores/group-commit';
import { BoardOrder } from './board';
import { BoardChangedEvent } from './board-events';
import { BoardBatchRow, BoardOutcome, BoardSubmission, changesByBoard, resolveBoardOutcomes } from './board-outcome';
import { APPLY_BOARD_BATCH_SQL } from './board-score-batch.sql';

const UNIQUE_VIOLATION = '23505';
const APPLY_BOARD_BATCH = new PreparedStatement('apply-board-batch', APPLY_BOARD_BATCH_SQL);

/**
 * Applies submissions to boards other than `global` by group commit, like global's: those that arrive while a commit
 * is in flight go together into the next one, ONE statement for the batch (any mix of boards), whose outcomes are values.
 */
@Injectable()
export class BoardScoreWriter {
  private readonly queue: GroupCommit<BoardSubmission, BoardOutcome>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly eventBus: EventBus,
    groupCommits: GroupCommits,
  ) {
    this.queue = groupCommits.create('boards', (batch) => this.commit(batch));
  }

  /** Resolves once the commit that holds this submission has committed. */
  apply(board: { key: string; order: BoardOrder }, userId: number, value: number, actionId?: string): Promise<BoardOutcome> {
    return this.queue.submit({ board: board.key, order: board.order, userId, value, actionId });
  }

  private async commit(batch: BoardSubmission[]): Promise<BoardOutcome[]> {
    let rows: BoardBatchRow[];
    try {
      rows = await APPLY_BOARD_BATCH.rows<BoardBatchRow>(this.dataSource, [
        batch.map((s) => s.board),
        batch.map((s) => s.userId),
        batch.map((s) => s.value),
        batch.map((s) => s.actionId ?? null),
      ]);
    } catch (error) {
      // Only a ledger row written outside the service's writers can collide with the batch's: nothing applied, all retry
      const { code, driverError } = error as { code?: string; driverError?: { code?: string } };
      if ((driverError?.code ?? code) === UNIQUE_VIOLATION) return batch.map((): BoardOutcome => ({ status: 'raced' }));
      throw error;
    }
    const outcomes = resolveBoardOutcomes(batch.length, rows);
    // Autocommitted: the changes are visible to everyone now
    for (const [board, changes] of changesByBoard(batch, outcomes)) this.eventBus.publish(new BoardChangedEvent(board, changes));
    return outcomes;
  }
}
