import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { SnapshotCache } from '../http/http-cache';
import { GetLeaderboardQuery } from './queries/get-leaderboard.query';
import { Snapshot } from './snapshot';

@ApiTags('leaderboard')
@Controller('leaderboard')
export class LeaderboardController {
  constructor(private readonly queryBus: QueryBus) {}

  /**
   * The top-10 snapshot: the same object Socket.IO pushes as `leaderboard:update`. `version` never goes
   * down; `hash` is the md5 of `JSON.stringify(data)`, sent as the `ETag` (If-None-Match → 304). Shared caches
   * may keep it about a second: a client must ignore a snapshot older than one it already has.
   */
  @Public()
  @Get()
  @SnapshotCache()
  @ApiOkResponse({ type: Snapshot })
  get(): Promise<Snapshot> {
    return this.queryBus.execute(new GetLeaderboardQuery());
  }
}
