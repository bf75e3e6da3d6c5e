import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { RedisConnection } from '../redis/redis-connection';
import { Decision, MemoryWindow } from './memory-window';
import { TooManyRequestsException } from './too-many-requests.exception';

/**
 * Sliding window on a sorted set: members are accepted attempts scored by Redis' own clock (instances'
 * clocks may differ), so "at most `limit` in any `window`" holds exactly, across all instances.
 */
const SLIDING_WINDOW_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return tonumber(oldest[2]) + window - now
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return 0`;

/** Counts attempts per key in Redis, shared by all instances; per instance in memory while Redis is down. */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger(RateLimiter.name);
  private readonly memory = new MemoryWindow();
  private readonly instance = randomBytes(6).toString('hex');
  private sequence = 0;
  private degraded = false;

  constructor(private readonly redis: RedisConnection) {}

  /** Counts one attempt under `key`; throws a 429 (with Retry-After) past `limit` per window; 0 = no limit. */
  async enforce(key: string, limit: number, windowMs: number, message: string): Promise<void> {
    if (limit === 0) return;
    const decision = await this.consume(key, limit, windowMs);
    if (!decision.allowed) throw new TooManyRequestsException(message, decision.retryAfterMs);
  }

  async consume(key: string, limit: number, windowMs: number): Promise<Decision> {
    if (this.redis.available) {
      try {
        const retryAfterMs = await this.consumeInRedis(this.redis.key('rate', key), limit, windowMs);
        this.setDegraded(false);
        return { allowed: retryAfterMs === 0, retryAfterMs };
      } catch (error) {
        this.setDegraded(true, (error as Error).message);
      }
    } else if (this.redis.client) {
      this.setDegraded(true, 'not connected');
    }
    return this.memory.consume(key, limit, windowMs);
  }

  private async consumeInRedis(key: string, limit: number, windowMs: number): Promise<number> {
    const member = `${this.instance}:${++this.sequence}`;
    // A Redis that stopped answering must not hold up submissions: past the call deadline, count in memory
    return Number(await this.redis.script(SLIDING_WINDOW_LUA, [key], [String(windowMs), String(limit), member]));
  }

  private setDegraded(degraded: boolean, why?: string): void {
    if (degraded === this.degraded) return;
    this.degraded = degraded;
    if (degraded) this.logger.warn(`Rate limits counted per instance until Redis is back (${why})`);
    else this.logger.log('Rate limits counted in Redis again');
  }
}
