import { Command } from '@nestjs/cqrs';
import { Board } from '../board';
import { UpdateBoardDto } from '../dto/update-board.dto';

export class UpdateBoardCommand extends Command<Board> {
  constructor(
    readonly key: string,
    readonly changes: UpdateBoardDto,
  ) {
    super();
  }
}
