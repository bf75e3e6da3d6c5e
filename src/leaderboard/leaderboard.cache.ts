import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { RedisConnection } from '../redis/redis-connection';
import { Snapshot } from './snapshot';

/** Unused snapshots expire (e.g. test prefixes); any change rewrites the key with a fresh TTL. */
const SNAPSHOT_TTL_MS = 24 * 3600 * 1000;
export const SNAPSHOT_KEY = ['leaderboard', 'snapshot'] as const;
export const UPDATES_CHANNEL = ['leaderboard', 'updates'] as const;

/**
 * Compare-and-set: store only a higher version with a different hash, and publish it in the same script.
 * Redis runs scripts one at a time, so publications leave in version order. Same hash: no write, no push,
 * except a silent version bump when this instance already served a higher version (ARGV[4], e.g. from
 * PostgreSQL during a Redis outage), so no instance serves a lower one afterwards.
 * The value is a Keyv entry ({"value": snapshot}), so reads go through cache-manager.
 */
const COMPARE_AND_SET_LUA = `
local current = redis.call('GET', KEYS[1])
local version, hash = -1, ''
if current then
  local entry = cjson.decode(current)
  version, hash = tonumber(entry.value.version), entry.value.hash
end
if tonumber(ARGV[1]) <= version then return 0 end
if ARGV[2] == hash and version >= tonumber(ARGV[4]) then return 0 end
local entry = '{"value":' .. ARGV[3] .. '}'
redis.call('SET', KEYS[1], entry, 'PX', ARGV[5])
if ARGV[2] == hash then return 1 end
redis.call('PUBLISH', ARGV[6], ARGV[3])
return 2`;

/** stored: written and published (new hash); bumped: same hash, version raised; kept: nothing written. */
export type StoreResult = 'stored' | 'bumped' | 'kept' | 'unavailable';

/** Owns every leaderboard key, channel and TTL: reads through cache-manager, the atomic write through the client. */
@Injectable()
export class LeaderboardCache {
  private readonly logger = new Logger(LeaderboardCache.name);
  readonly channel: string;
  private readonly key: string;
  private memoryQueue: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    private readonly redis: RedisConnection,
  ) {
    this.key = redis.key(...SNAPSHOT_KEY);
    this.channel = redis.key(...UPDATES_CHANNEL);
  }

  /** The stored snapshot; undefined when missing or when Redis is unreachable (never waits on a dead Redis). */
  async read(): Promise<Snapshot | undefined> {
    if (this.redis.client && !this.redis.available) return undefined;
    try {
      return (await this.cache.get<Snapshot>(this.key)) ?? undefined;
    } catch (error) {
      this.logger.warn(`snapshot read failed: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** Compare-and-set (see the script); `floor` is the highest version this instance has served. */
  async store(snapshot: Snapshot, floor: number): Promise<StoreResult> {
    const client = this.redis.client;
    if (!client) return this.storeInMemory(snapshot, floor);
    if (!this.redis.available) return 'unavailable';
    try {
      const json = JSON.stringify(snapshot);
      const args = [String(snapshot.version), snapshot.hash, json, String(floor), String(SNAPSHOT_TTL_MS), this.channel];
      const result = await client.eval(COMPARE_AND_SET_LUA, { keys: [this.key], arguments: args });
      return result === 2 ? 'stored' : result === 1 ? 'bumped' : 'kept';
    } catch (error) {
      this.logger.warn(`snapshot store failed: ${(error as Error).message}`);
      return 'unavailable';
    }
  }

  /** Embedded mode: the same rule against the in-process store, serialised like Redis runs scripts. */
  private storeInMemory(snapshot: Snapshot, floor: number): Promise<StoreResult> {
    const result = this.memoryQueue.then(() => this.compareAndSetInMemory(snapshot, floor));
    this.memoryQueue = result.catch(() => undefined);
    return result;
  }

  private async compareAndSetInMemory(snapshot: Snapshot, floor: number): Promise<StoreResult> {
    const current = await this.cache.get<Snapshot>(this.key);
    if (current && snapshot.version <= current.version) return 'kept';
    if (current?.hash === snapshot.hash && current.version >= floor) return 'kept';
    await this.cache.set(this.key, snapshot, SNAPSHOT_TTL_MS);
    return current?.hash === snapshot.hash ? 'bumped' : 'stored';
  }
}
