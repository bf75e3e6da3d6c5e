import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequireScope } from '../auth/auth.decorators';
import { Principal, SCOPES } from '../auth/principal';
import { GLOBAL_BOARD } from '../boards/board';
import { UserIdParam } from '../users/dto/user-id.pipe';
import { AdjustScoreCommand } from './commands/adjust-score.command';
import { MarkUserCommand } from './commands/mark-user.command';
import { HistoryDto, HistoryPage } from './dto/history.dto';
import { AdjustmentDto, AdjustmentResponse, BanDto, BanResponse } from './dto/moderation.dto';
import { GetHistoryQuery } from './queries/get-history.query';

/** Moderation (contract §9): bans, corrections, erasure, and a player's ledger history. */
@ApiTags('moderation')
@ApiBearerAuth()
@Controller('users')
export class ModerationController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  /** Bans a user (`users:admin`): they leave every board at once, keep their scores, and their submissions answer 403. */
  @Post(':id/ban')
  @HttpCode(200)
  @RequireScope(SCOPES.usersAdmin)
  @ApiParam({ name: 'id', type: 'integer', example: 1 })
  async ban(@UserIdParam() id: number, @Body() body: BanDto, @CurrentPrincipal() principal: Principal): Promise<BanResponse> {
    await this.commandBus.execute(new MarkUserCommand(principal, 'ban', id, body.reason));
    return { id, banned: true, reason: body.reason };
  }

  /** Lifts a ban (`users:admin`): the user is back on every board with the scores they had. */
  @Delete(':id/ban')
  @HttpCode(200)
  @RequireScope(SCOPES.usersAdmin)
  @ApiParam({ name: 'id', type: 'integer', example: 1 })
  async unban(@UserIdParam() id: number, @CurrentPrincipal() principal: Principal): Promise<BanResponse> {
    await this.commandBus.execute(new MarkUserCommand(principal, 'unban', id));
    return { id, banned: false };
  }

  /** Corrects a total (`scores:admin`) with a signed, reasoned ledger row; never below 0. `board`: an incr board (default global). */
  @Post(':id/adjustments')
  @HttpCode(200)
  @RequireScope(SCOPES.scoresAdmin)
  @ApiParam({ name: 'id', type: 'integer', example: 1 })
  adjust(@UserIdParam() id: number, @Body() body: AdjustmentDto, @CurrentPrincipal() principal: Principal): Promise<AdjustmentResponse> {
    return this.commandBus.execute(new AdjustScoreCommand(principal, id, body.points, body.reason, body.board ?? GLOBAL_BOARD));
  }

  /** The user's ledger rows, newest first (the user themself, or `scores:admin`); `next` goes in `before` for the next page. */
  @Get(':id/history')
  @ApiParam({ name: 'id', type: 'integer', example: 1 })
  history(@UserIdParam() id: number, @Query() query: HistoryDto, @CurrentPrincipal() principal: Principal): Promise<HistoryPage> {
    return this.queryBus.execute(new GetHistoryQuery(principal, id, query.limit, query.before, query.board));
  }

  /** Erases a user's personal data (`users:admin`): name replaced, off every board, tokens can no longer submit; the ledger stays. */
  @Delete(':id')
  @HttpCode(204)
  @RequireScope(SCOPES.usersAdmin)
  @ApiParam({ name: 'id', type: 'integer', example: 1 })
  async erase(@UserIdParam() id: number, @CurrentPrincipal() principal: Principal): Promise<void> {
    await this.commandBus.execute(new MarkUserCommand(principal, 'erase', id));
  }
}
