import { BadRequestException, NotFoundException } from '@nestjs/common';
import { CommandHandler, EventBus, ICommandHandler } from '@nestjs/cqrs';
import { GLOBAL_BOARD } from '../board';
import { BoardDeletedEvent } from '../board-events';
import { BoardsRepository } from '../boards.repository';
import { PeriodScheduler } from '../period-scheduler';
import { DeleteBoardCommand } from './delete-board.command';

@CommandHandler(DeleteBoardCommand)
export class DeleteBoardHandler implements ICommandHandler<DeleteBoardCommand> {
  constructor(
    private readonly boards: BoardsRepository,
    private readonly scheduler: PeriodScheduler,
    private readonly eventBus: EventBus,
  ) {}

  async execute({ key }: DeleteBoardCommand): Promise<void> {
    if (key === GLOBAL_BOARD) throw new BadRequestException(['the global board cannot be deleted']);
    if (!(await this.boards.delete(key))) throw new NotFoundException(`Board ${key} not found`);
    this.eventBus.publish(new BoardDeletedEvent(key));
    await this.scheduler.sync();
  }
}
