import { Module } from '@nestjs/common';
import { RealtimeModule } from '../realtime/realtime.module';
import { RedisConnection } from '../redis/redis-connection';
import { LeaderboardChannel } from './leaderboard.channel';
import { LeaderboardController } from './leaderboard.controller';
import { LeaderboardMetrics } from './leaderboard.metrics';
import { LeaderboardRepository } from './leaderboard.repository';
import { LeaderboardService } from './leaderboard.service';
import { MemorySnapshotStore } from './memory-snapshot.store';
import { GetLeaderboardHandler } from './queries/get-leaderboard.handler';
import { RedisSnapshotStore } from './redis-snapshot.store';
import { RefreshBoardSnapshotHandler } from './refresh-board-snapshot.handler';
import { SNAPSHOT_STORE } from './snapshot-store';

@Module({
  imports: [RealtimeModule],
  controllers: [LeaderboardController],
  providers: [
    LeaderboardRepository,
    // Redis shares the board between instances; without REDIS_URL (embedded dev mode) it lives in-process
    {
      provide: SNAPSHOT_STORE,
      inject: [RedisConnection],
      useFactory: (redis: RedisConnection) => (redis.client ? new RedisSnapshotStore(redis) : new MemorySnapshotStore()),
    },
    LeaderboardService,
    LeaderboardChannel,
    LeaderboardMetrics,
    GetLeaderboardHandler,
    RefreshBoardSnapshotHandler,
  ],
})
export class LeaderboardModule {}
