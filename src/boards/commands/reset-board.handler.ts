import { BadRequestException, NotFoundException } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { GLOBAL_BOARD } from '../board';
import { ResetResponse } from '../dto/board.response';
import { PeriodCloser } from '../period-closer';
import { PeriodScheduler } from '../period-scheduler';
import { ResetBoardCommand } from './reset-board.command';

@CommandHandler(ResetBoardCommand)
export class ResetBoardHandler implements ICommandHandler<ResetBoardCommand> {
  constructor(
    private readonly closer: PeriodCloser,
    private readonly scheduler: PeriodScheduler,
  ) {}

  async execute({ key }: ResetBoardCommand): Promise<ResetResponse> {
    // global is the board of §3–§5: one period, users.score, never reset
    if (key === GLOBAL_BOARD) throw new BadRequestException(['the global board cannot be reset']);
    const result = await this.closer.closeNow(key);
    if (!result) throw new NotFoundException(`Board ${key} not found`);
    await this.scheduler.sync();
    return result;
  }
}
