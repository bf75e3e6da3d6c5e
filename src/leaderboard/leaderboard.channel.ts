import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { RedisConnection } from '../redis/redis-connection';
import { LeaderboardCache } from './leaderboard.cache';
import { LeaderboardService } from './leaderboard.service';
import { Snapshot } from './snapshot';

/**
 * Receives the snapshots every instance publishes (the compare-and-set script publishes in version order)
 * and resyncs when Redis comes back: it may have lost the snapshot, and publications made meanwhile were missed.
 * Also resyncs every LEADERBOARD_RESYNC_MS: edits made outside the service (an operator's SQL, the seed script)
 * raise no ScoreChangedEvent. An unchanged board costs one top-10 query and no write or push.
 */
@Injectable()
export class LeaderboardChannel implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LeaderboardChannel.name);
  private resyncTimer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisConnection,
    private readonly cache: LeaderboardCache,
    private readonly leaderboard: LeaderboardService,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.leaderboardResyncMs;
    if (every) this.resyncTimer = setInterval(() => this.leaderboard.resync(), every).unref();
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
