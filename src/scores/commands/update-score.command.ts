import { Command } from '@nestjs/cqrs';
import { Principal } from '../../auth/principal';
import { ScoreResult } from '../update-score.dto';

/** Add points to a user's score; dispatched by the REST controller and the Socket.IO gateway alike. */
export class UpdateScoreCommand extends Command<ScoreResult> {
  constructor(
    readonly principal: Principal,
    readonly userId: number,
    readonly points: number,
    readonly actionId?: string,
  ) {
    super();
  }
}
