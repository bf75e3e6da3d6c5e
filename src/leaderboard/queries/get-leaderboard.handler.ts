import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { LeaderboardService } from '../leaderboard.service';
import { Snapshot } from '../snapshot';
import { GetLeaderboardQuery } from './get-leaderboard.query';

@QueryHandler(GetLeaderboardQuery)
export class GetLeaderboardHandler implements IQueryHandler<GetLeaderboardQuery> {
  constructor(private readonly leaderboard: LeaderboardService) {}

  execute(): Promise<Snapshot> {
    return this.leaderboard.current();
  }
}
