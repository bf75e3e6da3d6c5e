import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { RedisConnection } from '../redis/redis-connection';
import { LeaderboardCache } from './leaderboard.cache';
import { LeaderboardService } from './leaderboard.service';
import { Snapshot } from './snapshot';

/**
 * Changes made outside the service (an operator's SQL, the seed script) raise no ScoreChangedEvent: this
 * periodic resync brings the board to PostgreSQL's state within seconds. An unchanged board costs one
 * top-10 query and no write or push.
 */
export const RESYNC_INTERVAL_MS = 2000;

/**
 * Receives the snapshots every instance publishes (the compare-and-set script publishes in version order)
 * and resyncs when Redis comes back: it may have lost the snapshot, and publications made meanwhile were missed.
 */
@Injectable()
export class LeaderboardChannel implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LeaderboardChannel.name);
  private resyncTimer?: NodeJS.Timeout;

  constructor(
    private readonly redis: RedisConnection,
    private readonly cache: LeaderboardCache,
    private readonly leaderboard: LeaderboardService,
  ) {}

  onApplicationBootstrap(): void {
    this.resyncTimer = setInterval(() => this.leaderboard.resync(), RESYNC_INTERVAL_MS).unref();
    const subscriber = this.redis.subscriber();
    if (!subscriber) return;
    // node-redis re-subscribes by itself after a reconnect
    subscriber.subscribe(this.cache.channel, (message) => this.receive(message)).catch((error: Error) => this.logger.warn(`subscribe failed: ${error.message}`));
    let connectedBefore = false;
    subscriber.on('ready', () => {
      if (connectedBefore) this.leaderboard.resync();
      connectedBefore = true;
    });
    this.redis.onAvailable(() => this.leaderboard.resync());
  }

  onApplicationShutdown(): void {
    clearInterval(this.resyncTimer);
  }

  private receive(message: string): void {
    try {
      this.leaderboard.published(JSON.parse(message) as Snapshot);
    } catch (error) {
      this.logger.warn(`bad leaderboard message: ${(error as Error).message}`);
    }
  }
}
