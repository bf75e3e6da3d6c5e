import { Command } from '@nestjs/cqrs';
import { ResetResponse } from '../dto/board.response';

/** Close the board's current period now (e.g. end a tournament early). */
export class ResetBoardCommand extends Command<ResetResponse> {
  constructor(readonly key: string) {
    super();
  }
}
