import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Public } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { SnapshotCache } from '../http/http-cache';
import { AroundResponse } from '../users/dto/around.response';
import { AroundDto } from '../users/dto/list-users.dto';
import { Snapshot } from '../leaderboard/snapshot';
import { BoardReads } from './board-reads';
import { SubmitBoardScoreCommand } from './commands/submit-board-score.command';
import { BoardEntriesResponse, BoardEntryResponse, PeriodListResponse } from './dto/board-entries.response';
import { BoardKeyParam, BoardUserIdParam, PeriodParam } from './dto/board-params';
import { BoardEntriesDto, ListPeriodsDto } from './dto/board-queries.dto';
import { BoardScoreResult, SubmitBoardScoreDto } from './dto/submit-board-score.dto';

/** Scores, standings, snapshots and periods of one board (contract §8). */
@ApiTags('boards')
@ApiParam({ name: 'key', example: 'weekly-race' })
@Controller('boards/:key')
export class BoardStandingsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly reads: BoardReads,
  ) {}

  /**
   * Submits a score in the current period (by the database's clock): added on `incr` boards, kept if better on
   * `best`, kept as the latest on `latest`. The player's own token (`sub` = userId) or `scores:write`. A repeated
   * actionId on this board answers `applied: false`, naming the period it counted in.
   */
  @Post('scores')
  @HttpCode(200)
  @ApiBearerAuth()
  submit(
    @BoardKeyParam() key: string,
    @Body() body: SubmitBoardScoreDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<BoardScoreResult> {
    return this.commandBus.execute(new SubmitBoardScoreCommand(principal, key, body.userId, body.score, body.actionId));
  }

  /** The current period's standings by board rank; `ids=` for just those users (e.g. friends). */
  @Public()
  @Get('entries')
  entries(@BoardKeyParam() key: string, @Query() query: BoardEntriesDto): Promise<BoardEntriesResponse> {
    return this.reads.entries(key, query);
  }

  /** One user's entry in the current period; 404 when they have no score in it. */
  @Public()
  @Get('entries/:userId')
  @ApiParam({ name: 'userId', type: 'integer', example: 7 })
  entry(@BoardKeyParam() key: string, @BoardUserIdParam() userId: number): Promise<BoardEntryResponse> {
    return this.reads.entry(key, userId);
  }

  /** The user with up to `limit` entries directly above and below, in rank order (fewer near either end). */
  @Public()
  @Get('entries/:userId/around')
  @ApiParam({ name: 'userId', type: 'integer', example: 7 })
  around(@BoardKeyParam() key: string, @BoardUserIdParam() userId: number, @Query() query: AroundDto): Promise<AroundResponse> {
    return this.reads.around(key, userId, query.limit);
  }

  /** The current period's top-10 snapshot (§5, plus `board` and `period`), with its hash as the ETag (If-None-Match → 304). */
  @Public()
  @Get('leaderboard')
  @SnapshotCache()
  leaderboard(@BoardKeyParam() key: string): Promise<Snapshot> {
    return this.reads.leaderboard(key);
  }

  /** Closed periods, newest first (`before` exclusive), including periods nobody played in. */
  @Public()
  @Get('periods')
  periods(@BoardKeyParam() key: string, @Query() query: ListPeriodsDto): Promise<PeriodListResponse> {
    return this.reads.periodList(key, query.limit, query.before);
  }

  /** The frozen final standings of a closed period, or the live ones of the current period. */
  @Public()
  @Get('periods/:period/entries')
  @ApiParam({ name: 'period', type: 'integer', example: 2 })
  periodEntries(
    @BoardKeyParam() key: string,
    @PeriodParam() period: number,
    @Query() query: BoardEntriesDto,
  ): Promise<BoardEntriesResponse> {
    return this.reads.entries(key, query, period);
  }
}
