import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { RedisConnection } from '../redis/redis-connection';
import { LeaderboardService } from './leaderboard.service';
import { leaderboardKeys } from './redis-snapshot.store';
import { Snapshot } from './snapshot';
import { Tombstone } from './snapshot-store';

/**
 * Receives the snapshots (and tombstones) every instance publishes, for every board, on one channel (the
 * compare-and-set script publishes in version order), and resyncs when Redis comes back: it may have lost
 * snapshots, and publications made meanwhile were missed.
 */
@Injectable()
export class LeaderboardChannel implements OnApplicationBootstrap {
  private readonly logger = new Logger(LeaderboardChannel.name);

  constructor(
    private readonly redis: RedisConnection,
    private readonly leaderboard: LeaderboardService,
  ) {}

  onApplicationBootstrap(): void {
    const subscriber = this.redis.subscriber;
    if (!subscriber) return;
    // node-redis re-subscribes by itself after a reconnect
    this.redis
      .subscribe(leaderboardKeys(this.redis).updates, (message) => this.receive(message))
      .catch((error: Error) => this.logger.warn(`subscribe failed: ${error.message}`));
    let connectedBefore = false;
    subscriber.on('ready', () => {
      if (connectedBefore) this.leaderboard.resync();
      connectedBefore = true;
    });
    this.redis.health.onAvailable(() => this.leaderboard.resync());
  }

  private receive(message: string): void {
    try {
      this.leaderboard.published(JSON.parse(message) as Snapshot | Tombstone);
    } catch (error) {
      this.logger.warn(`bad leaderboard message: ${(error as Error).message}`);
    }
  }
}
