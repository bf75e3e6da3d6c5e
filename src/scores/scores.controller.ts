import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { UserIdParam } from '../users/dto/user-id.pipe';
import { UpdateScoreCommand } from './commands/update-score.command';
import { ScoreResult, UpdateScoreDto } from './update-score.dto';

@ApiTags('scores')
@Controller('users')
export class ScoresController {
  constructor(private readonly commandBus: CommandBus) {}

  /**
   * Adds the points of a completed action to a user's score. A player's token may add only to its own
   * score (`sub` = id); a `scores:write` token to anyone's. A repeated actionId answers `applied: false`.
   */
  @Post(':id/score')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiParam({ name: 'id', type: 'integer', example: 1 })
  submit(@UserIdParam() id: number, @Body() body: UpdateScoreDto, @CurrentPrincipal() principal: Principal): Promise<ScoreResult> {
    return this.commandBus.execute(new UpdateScoreCommand(principal, id, body.score, body.actionId));
  }
}
