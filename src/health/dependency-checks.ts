import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { RedisConnection } from '../redis/redis-connection';

const TIMEOUT_MS = 1000;

/** Terminus indicators for PostgreSQL and Redis, bounded so a dead dependency answers `down` within a second. */
@Injectable()
export class DependencyChecks implements BeforeApplicationShutdown {
  /** Set when shutdown starts, so readiness fails and load balancers stop sending traffic. */
  shuttingDown = false;

  constructor(
    private readonly typeorm: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly redisConnection: RedisConnection,
  ) {}

  database(): PromiseLike<HealthIndicatorResult<'database'>> {
    return this.typeorm.pingCheck('database').withTimeout(TIMEOUT_MS);
  }

  async redis(): Promise<HealthIndicatorResult<'redis'>> {
    const check = this.indicators.check('redis');
    // Without REDIS_URL the cache and broadcasting run in-process: nothing can be down
    if (!this.redisConnection.client) return check.up({ mode: 'in-process' });
    if (!this.redisConnection.available) return check.down({ message: 'not connected' });
    return check.attempt(() => this.redisConnection.ping()).withTimeout(TIMEOUT_MS);
  }

  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }
}
