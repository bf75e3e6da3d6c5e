import { NotFoundException } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { LeaderboardService } from '../leaderboard.service';
import { Snapshot } from '../snapshot';
import { GetLeaderboardQuery } from './get-leaderboard.query';

@QueryHandler(GetLeaderboardQuery)
export class GetLeaderboardHandler implements IQueryHandler<GetLeaderboardQuery> {
  constructor(private readonly leaderboard: LeaderboardService) {}

  async execute({ board }: GetLeaderboardQuery): Promise<Snapshot> {
    const snapshot = await this.leaderboard.current(board);
    if (!snapshot) throw new NotFoundException(`Board ${board} not found`);
    return snapshot;
  }
}
