import { CacheModule } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import KeyvRedis from '@keyv/redis';
import { Keyv } from 'keyv';
import { RedisConnection } from '../redis/redis-connection';
import { LeaderboardBroadcaster } from './leaderboard.broadcaster';
import { LeaderboardCache } from './leaderboard.cache';
import { LeaderboardChannel } from './leaderboard.channel';
import { LeaderboardController } from './leaderboard.controller';
import { LeaderboardGateway } from './leaderboard.gateway';
import { LeaderboardMetrics } from './leaderboard.metrics';
import { LeaderboardRepository } from './leaderboard.repository';
import { LeaderboardService } from './leaderboard.service';
import { GetLeaderboardHandler } from './queries/get-leaderboard.handler';
import { RefreshLeaderboardHandler } from './refresh-leaderboard.handler';

/**
 * cache-manager over Keyv: @keyv/redis on the instance's node-redis client, or in-process without REDIS_URL.
 * Keys are passed whole (RedisConnection.key), and values are plain JSON so the compare-and-set script can
 * write what cache-manager reads (Keyv's default serializer would rewrite strings starting with ':').
 * The {"value": ...} envelope is Keyv 5's; the Redis-fault e2e test reads the raw key and would catch a change.
 */
function snapshotStore(redis: RedisConnection): Keyv {
  const store = redis.client ? new KeyvRedis(redis.client, { throwOnErrors: false }) : new Map();
  return new Keyv({ store, namespace: undefined, useKeyPrefix: false, serialize: JSON.stringify, deserialize: JSON.parse });
}

@Module({
  imports: [CacheModule.registerAsync({ inject: [RedisConnection], useFactory: (redis: RedisConnection) => ({ stores: [snapshotStore(redis)] }) })],
  controllers: [LeaderboardController],
  providers: [
    LeaderboardRepository,
    LeaderboardCache,
    LeaderboardBroadcaster,
    LeaderboardService,
    LeaderboardChannel,
    LeaderboardMetrics,
    LeaderboardGateway,
    RefreshLeaderboardHandler,
    GetLeaderboardHandler,
  ],
})
export class LeaderboardModule {}
