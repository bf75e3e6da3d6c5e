import { Command } from '@nestjs/cqrs';
import { Principal } from '../../auth/principal';
import { BoardScoreResult } from '../dto/submit-board-score.dto';

/** A score for one board: added, kept if better, or kept as the latest, by the board's operator. */
export class SubmitBoardScoreCommand extends Command<BoardScoreResult> {
  constructor(
    readonly principal: Principal,
    readonly board: string,
    readonly userId: number,
    readonly score: number,
    readonly actionId?: string,
  ) {
    super();
  }
}
