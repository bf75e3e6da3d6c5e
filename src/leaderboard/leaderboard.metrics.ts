import { Injectable } from '@nestjs/common';
import { Metrics } from '../metrics/metrics.service';
import { RedisConnection } from '../redis/redis-connection';

/** Counters behind the "bounded cost" claims: how often the top-10 query ran, was skipped, and pushed. */
@Injectable()
export class LeaderboardMetrics {
  readonly refreshes;
  readonly skips;
  readonly pushes;

  constructor(metrics: Metrics, redis: RedisConnection) {
    this.refreshes = metrics.counter({ name: 'leaderboard_refreshes_total', help: 'Top-10 queries run' });
    this.skips = metrics.counter({
      name: 'leaderboard_refresh_skips_total',
      help: 'Refreshes avoided: fast_path (no query) or equal_hash (no write, no push)',
      labelNames: ['reason'] as const,
    });
    this.pushes = metrics.counter({ name: 'leaderboard_pushes_total', help: "leaderboard:update emitted to this instance's sockets" });
    metrics.gauge({
      name: 'leaderboard_redis_available',
      help: '1 while Redis accepts commands (0: snapshot served from PostgreSQL, pushes local only)',
      collect() {
        this.set(redis.available ? 1 : 0);
      },
    });
  }
}
