import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { RedisConnection } from '../redis/redis-connection';
import { withDeadline } from '../redis/with-deadline';
import { Snapshot } from './snapshot';

/** Unused snapshots expire (e.g. test prefixes); any change rewrites the key with a fresh TTL. */
const SNAPSHOT_TTL_MS = 24 * 3600 * 1000;
export const SNAPSHOT_KEY = ['leaderboard', 'snapshot'] as const;
export const UPDATES_CHANNEL = ['leaderboard', 'updates'] as const;
/** A call that takes longer is abandoned (a hung Redis): the snapshot is computed from PostgreSQL / pushed locally. */
const CALL_DEADLINE_MS = 300;
/** After a failed or slow Redis call, skip Redis this long, so a hung Redis costs one slow call per second, not one per request. */
const BACKOFF_MS = 1000;

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
if ARGV[2] == hash and version >= tonumber(ARGV[4]) then return 3 end
local entry = '{"value":' .. ARGV[3] .. '}'
redis.call('SET', KEYS[1], entry, 'PX', ARGV[5])
if ARGV[2] == hash then return 1 end
redis.call('PUBLISH', ARGV[6], ARGV[3])
return 2`;

/**
 * stored: written and published (new hash); bumped: same hash, version raised silently; unchanged: same hash,
 * nothing written; superseded: Redis already holds a higher version; unavailable: Redis down or not answering.
 */
export type StoreResult = 'stored' | 'bumped' | 'unchanged' | 'superseded' | 'unavailable';
const RESULTS: Record<number, StoreResult> = { 0: 'superseded', 1: 'bumped', 2: 'stored', 3: 'unchanged' };

/** Owns every leaderboard key, channel and TTL: reads through cache-manager, the atomic write through the client. */
@Injectable()
export class LeaderboardCache {
  private readonly logger = new Logger(LeaderboardCache.name);
  readonly channel: string;
  private readonly key: string;
  private memoryQueue: Promise<unknown> = Promise.resolve();
  private failedAt = -Infinity;
  private reading?: Promise<Snapshot | undefined>;
  private nextRead?: Promise<Snapshot | undefined>;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    private readonly redis: RedisConnection,
  ) {
    this.key = redis.key(...SNAPSHOT_KEY);
    this.channel = redis.key(...UPDATES_CHANNEL);
    redis.onAvailable(() => (this.failedAt = -Infinity)); // back: the resync that follows must not be skipped
  }

  /**
   * The stored snapshot; undefined when missing or when Redis is unreachable (never waits on a dead Redis).
   * Concurrent reads share GETs: a call made while a GET is in flight waits for the next one, sent after that
   * GET's answer, so every caller sees at least what Redis held when it called (versions never go down).
   */
  read(): Promise<Snapshot | undefined> {
    if (!this.reading) return (this.reading = this.readNow().finally(() => (this.reading = undefined)));
    return (this.nextRead ??= this.reading.then(undefined, () => undefined).then(() => {
      this.nextRead = undefined;
      return this.read();
    }));
  }

  /** Through cache-manager (Keyv over @keyv/redis on this instance's client, or in-process without Redis). */
  private async readNow(): Promise<Snapshot | undefined> {
    if (!this.redis.client) return (await this.cache.get<Snapshot>(this.key)) ?? undefined;
    if (!this.usable) return undefined;
    try {
      return (await withDeadline(this.cache.get<Snapshot>(this.key), CALL_DEADLINE_MS)) ?? undefined;
    } catch (error) {
      return this.failed(error, undefined);
    }
  }

  /** Compare-and-set (see the script); `floor` is the highest version this instance has served. */
  async store(snapshot: Snapshot, floor: number): Promise<StoreResult> {
    const client = this.redis.client;
    if (!client) return this.storeInMemory(snapshot, floor);
    if (!this.usable) return 'unavailable';
    try {
      const args = [String(snapshot.version), snapshot.hash, JSON.stringify(snapshot), String(floor), String(SNAPSHOT_TTL_MS), this.channel];
      const result = await withDeadline(client.eval(COMPARE_AND_SET_LUA, { keys: [this.key], arguments: args }), CALL_DEADLINE_MS);
      return RESULTS[Number(result)];
    } catch (error) {
      return this.failed(error, 'unavailable');
    }
  }

  private get usable(): boolean {
    return this.redis.available && Date.now() - this.failedAt > BACKOFF_MS;
  }

  private failed<T>(error: unknown, result: T): T {
    if (Date.now() - this.failedAt > 10 * BACKOFF_MS) this.logger.warn(`Redis call failed, serving from PostgreSQL: ${(error as Error).message}`);
    this.failedAt = Date.now();
    return result;
  }

  /** Embedded mode: the same rule against the in-process store, serialised like Redis runs scripts. */
  private storeInMemory(snapshot: Snapshot, floor: number): Promise<StoreResult> {
    const result = this.memoryQueue.then(() => this.compareAndSetInMemory(snapshot, floor));
    this.memoryQueue = result.catch(() => undefined);
    return result;
  }

  private async compareAndSetInMemory(snapshot: Snapshot, floor: number): Promise<StoreResult> {
    const current = await this.cache.get<Snapshot>(this.key);
    if (current && snapshot.version <= current.version) return 'superseded';
    if (current?.hash === snapshot.hash && current.version >= floor) return 'unchanged';
    await this.cache.set(this.key, snapshot, SNAPSHOT_TTL_MS);
    return current?.hash === snapshot.hash ? 'bumped' : 'stored';
  }
}
