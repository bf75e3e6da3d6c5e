import { Command } from '@nestjs/cqrs';
import { BoardWithPeriod } from '../board';
import { CreateBoardDto } from '../dto/create-board.dto';

export class CreateBoardCommand extends Command<BoardWithPeriod> {
  constructor(readonly definition: CreateBoardDto) {
    super();
  }
}
