import { BadRequestException, ForbiddenException, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { canAddScore } from '../../auth/principal';
import { ScoreRateLimiter } from '../../rate-limit/score-rate-limiter';
import { UpdateScoreCommand } from '../../scores/commands/update-score.command';
import { Refused, refusal } from '../../scores/refused-outcome';
import { BoardWithPeriod, GLOBAL_BOARD } from '../board';
import { BoardRanks } from '../board-ranks';
import { BoardOutcome } from '../board-outcome';
import { BoardScoreWriter } from '../board-score-writer';
import { BoardStandings } from '../board-standings';
import { BoardsRepository } from '../boards.repository';
import { BoardScoreResult } from '../dto/submit-board-score.dto';
import { PeriodCloser } from '../period-closer';
import { SubmitBoardScoreCommand } from './submit-board-score.command';

/** Retries after a period that ended (closed here first) or an entry another writer changed meanwhile (raced). */
const ATTEMPTS = 4;

@CommandHandler(SubmitBoardScoreCommand)
export class SubmitBoardScoreHandler implements ICommandHandler<SubmitBoardScoreCommand> {
  constructor(
    private readonly boards: BoardsRepository,
    private readonly writer: BoardScoreWriter,
    private readonly closer: PeriodCloser,
    private readonly standings: BoardStandings,
    private readonly ranks: BoardRanks,
    private readonly rateLimiter: ScoreRateLimiter,
    private readonly commandBus: CommandBus,
  ) {}

  async execute(command: SubmitBoardScoreCommand): Promise<BoardScoreResult> {
    const board = await this.boards.find(command.board);
    if (!board) throw new NotFoundException(`Board ${command.board} not found`);
    const { principal, userId, score, actionId } = command;
    if (board.operator === 'incr') checkIncrement(score, board.maxIncrement!);
    if (board.key === GLOBAL_BOARD) {
      const result = await this.commandBus.execute(new UpdateScoreCommand(principal, userId, score, actionId));
      return { board: board.key, period: board.period, ...result };
    }
    if (!canAddScore(principal, userId)) throw new ForbiddenException(`Token may not add to the score of user ${userId}`);
    await this.rateLimiter.check(principal);
    const outcome = await this.applyWithRetries(board, userId, score, actionId);
    switch (outcome.status) {
      case 'unknown-user':
      case 'banned':
      case 'over-maximum':
        throw refusal(userId, outcome as Refused);
      case 'period-ended':
      case 'raced':
        throw new ServiceUnavailableException('The period is closing; retry');
      case 'duplicate':
        return this.duplicate(board, userId, actionId!);
      case 'applied': {
        const rank = await this.ranks.rankAfterWrite(board, outcome.period, userId, outcome.asOf);
        return { board: board.key, period: outcome.period, id: userId, name: outcome.name, score: outcome.score, rank, applied: true };
      }
    }
  }

  private async applyWithRetries(board: BoardWithPeriod, userId: number, score: number, actionId?: string): Promise<BoardOutcome> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.writer.apply(board, userId, score, actionId);
      if (outcome.status !== 'period-ended' && outcome.status !== 'raced') return outcome;
      if (attempt === ATTEMPTS) {
        if (!(await this.boards.find(board.key))) throw new NotFoundException(`Board ${board.key} not found`);
        return outcome;
      }
      if (outcome.status === 'period-ended') await this.closer.closeDue(board.key);
    }
  }

  /** A repeated actionId: the answer names the period it counted in, with the user's value and rank there. */
  private async duplicate(board: BoardWithPeriod, userId: number, actionId: string): Promise<BoardScoreResult> {
    const period = (await this.boards.periodOfAction(board.key, userId, actionId)) ?? board.period;
    const entry = await this.standings.entry(board, period, userId);
    if (!entry) throw new NotFoundException(`User ${userId} not found`);
    return { board: board.key, period, id: userId, name: entry.name, score: entry.score, rank: entry.rank, applied: false };
  }
}

function checkIncrement(score: number, maxIncrement: number): void {
  if (score < 1) throw new BadRequestException(['score must not be less than 1']);
  if (score > maxIncrement) throw new BadRequestException([`score must not be greater than ${maxIncrement}`]);
}
