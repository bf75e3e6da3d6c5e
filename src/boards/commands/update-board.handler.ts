import { BadRequestException, NotFoundException } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Board, GLOBAL_BOARD } from '../board';
import { refuseMaxIncrement, validSchedule } from '../board-definition';
import { nextBoundary } from '../board-schedule';
import { BoardsRepository } from '../boards.repository';
import { PeriodScheduler } from '../period-scheduler';
import { UpdateBoardCommand } from './update-board.command';

@CommandHandler(UpdateBoardCommand)
export class UpdateBoardHandler implements ICommandHandler<UpdateBoardCommand> {
  constructor(
    private readonly boards: BoardsRepository,
    private readonly scheduler: PeriodScheduler,
  ) {}

  async execute({ key, changes }: UpdateBoardCommand): Promise<Board> {
    if (key === GLOBAL_BOARD) throw new BadRequestException(['the global board cannot be changed']);
    const current = await this.boards.find(key);
    if (!current) throw new NotFoundException(`Board ${key} not found`);
    refuseMaxIncrement(current.operator, changes.maxIncrement);
    const { reset, timezone } = validSchedule(changes.reset ?? current.reset, changes.timezone ?? current.timezone);
    const { order, operator } = current;
    const board: Board = {
      key,
      name: changes.name ?? current.name,
      order,
      operator,
      reset,
      timezone,
      maxIncrement: changes.maxIncrement ?? current.maxIncrement,
    };
    const rescheduled = reset !== current.reset || timezone !== current.timezone;
    await this.boards.update(key, board, rescheduled ? (now) => nextBoundary(reset, timezone, now) : undefined);
    if (rescheduled) await this.scheduler.sync();
    return board;
  }
}
