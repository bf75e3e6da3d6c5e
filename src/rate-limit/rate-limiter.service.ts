import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { RedisConnection } from '../redis/redis-connection';
import { LeasedWindow, LeaseRequest } from './leased-window';
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

/**
 * A lease for LeasedWindow: a per-window counter per key, and room = limit − this window's count − the previous
 * window's count × its remaining weight. KEYS share a hash tag, so a Redis Cluster keeps them on one node.
 */
const LEASE_LUA = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
local room = math.floor(tonumber(ARGV[2]) - current - previous * tonumber(ARGV[3]))
local granted = math.max(0, math.min(tonumber(ARGV[1]), room))
if granted > 0 then
  redis.call('INCRBY', KEYS[1], granted)
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
end
return {granted, current, previous}`;

/** `exact`: every attempt is one Redis call (sliding log). `leased`: about the limit, a Redis call per lease. */
export type Counting = 'exact' | 'leased';

/** Counts attempts per key in Redis, shared by all instances; per instance in memory while Redis is down. */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger(RateLimiter.name);
  private readonly memory = new MemoryWindow();
  private readonly leased = new LeasedWindow((request) => this.leaseInRedis(request));
  private readonly instance = randomBytes(6).toString('hex');
  private sequence = 0;
  private degraded = false;

  constructor(private readonly redis: RedisConnection) {}

  /** Counts one attempt under `key`; throws a 429 (with Retry-After) past `limit` per window; 0 = no limit. */
  async enforce(key: string, limit: number, windowMs: number, message: string, counting: Counting = 'exact'): Promise<void> {
    if (limit === 0) return;
    const decision = await this.consume(key, limit, windowMs, counting);
    if (!decision.allowed) throw new TooManyRequestsException(message, decision.retryAfterMs);
  }

  async consume(key: string, limit: number, windowMs: number, counting: Counting = 'exact'): Promise<Decision> {
    if (this.redis.available) {
      try {
        const decision =
          counting === 'exact'
            ? await this.consumeInRedis(this.redis.key('rate', key), limit, windowMs)
            : await this.leased.consume(key, limit, windowMs);
        this.setDegraded(false);
        return decision;
      } catch (error) {
        this.setDegraded(true, (error as Error).message);
      }
    } else if (this.redis.client) {
      this.setDegraded(true, 'not connected');
    }
    return this.memory.consume(key, limit, windowMs);
  }

  private async consumeInRedis(key: string, limit: number, windowMs: number): Promise<Decision> {
    const member = `${this.instance}:${++this.sequence}`;
    // A Redis that stopped answering must not hold up submissions: past the call deadline, count in memory
    const retryAfterMs = Number(await this.redis.script(SLIDING_WINDOW_LUA, [key], [String(windowMs), String(limit), member]));
    return { allowed: retryAfterMs === 0, retryAfterMs };
  }

  private async leaseInRedis({ key, window, windowMs, want, limit, previousWeight }: LeaseRequest) {
    const keys = [this.redis.key('rate', `{${key}}`, window), this.redis.key('rate', `{${key}}`, window - 1)];
    const args = [String(want), String(limit), String(previousWeight), String(2 * windowMs)];
    const [granted, current, previous] = (await this.redis.script(LEASE_LUA, keys, args)) as number[];
    return { granted, current, previous };
  }

  private setDegraded(degraded: boolean, why?: string): void {
    if (degraded === this.degraded) return;
    this.degraded = degraded;
    if (degraded) this.logger.warn(`Rate limits counted per instance until Redis is back (${why})`);
    else this.logger.log('Rate limits counted in Redis again');
  }
}
