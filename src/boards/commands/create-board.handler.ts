import { ConflictException, Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { Board, BoardWithPeriod } from '../board';
import { refuseMaxIncrement, validSchedule } from '../board-definition';
import { nextBoundary, NEVER } from '../board-schedule';
import { BoardsRepository } from '../boards.repository';
import { PeriodScheduler } from '../period-scheduler';
import { CreateBoardCommand } from './create-board.command';

@CommandHandler(CreateBoardCommand)
export class CreateBoardHandler implements ICommandHandler<CreateBoardCommand> {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly boards: BoardsRepository,
    private readonly scheduler: PeriodScheduler,
  ) {}

  async execute({ definition }: CreateBoardCommand): Promise<BoardWithPeriod> {
    const operator = definition.operator ?? 'incr';
    refuseMaxIncrement(operator, definition.maxIncrement);
    const { reset, timezone } = validSchedule(definition.reset ?? NEVER, definition.timezone ?? 'UTC');
    const board: Board = {
      key: definition.key,
      name: definition.name,
      order: definition.order ?? 'desc',
      operator,
      reset,
      timezone,
      maxIncrement: operator === 'incr' ? (definition.maxIncrement ?? this.config.scoreMaxIncrement) : null,
    };
    if (!(await this.boards.create(board, (now) => nextBoundary(reset, timezone, now))))
      throw new ConflictException(`Board ${board.key} already exists`);
    await this.scheduler.sync();
    return { ...board, period: 1 };
  }
}
