import { Command } from '@nestjs/cqrs';
import { Principal } from '../../auth/principal';
import { AdjustmentResponse } from '../dto/moderation.dto';

/** An operator's signed correction of a user's total on an `incr` board. */
export class AdjustScoreCommand extends Command<AdjustmentResponse> {
  constructor(
    readonly principal: Principal,
    readonly userId: number,
    readonly points: number,
    readonly reason: string,
    readonly board: string,
  ) {
    super();
  }
}
