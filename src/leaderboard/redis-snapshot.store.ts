import { RedisConnection } from '../redis/redis-connection';
import { Snapshot } from './snapshot';
import { SnapshotStore, StoreResult } from './snapshot-store';

/** Unused snapshots expire (e.g. test prefixes); any change rewrites the key with a fresh TTL. */
const SNAPSHOT_TTL_MS = 24 * 3600 * 1000;

/**
 * KEYS: snapshot. ARGV: version, hash, snapshot JSON, floor, TTL, channel, PUBLISH or SPUBLISH. The rule of
 * SnapshotStore.store, and the publication of a new board in the same script: Redis runs scripts one at a time,
 * so publications leave in version order (on a cluster, SPUBLISH on a channel in the snapshot's slot).
 */
const COMPARE_AND_SET_LUA = `
local current = redis.call('GET', KEYS[1])
local version, hash = -1, ''
if current then
  local stored = cjson.decode(current)
  version, hash = tonumber(stored.version), stored.hash
end
if tonumber(ARGV[1]) <= version then return 0 end
if ARGV[2] == hash and version >= tonumber(ARGV[4]) then return 3 end
redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[5])
if ARGV[2] == hash then return 1 end
redis.call(ARGV[7], ARGV[6], ARGV[3])
return 2`;
const RESULTS: Record<number, StoreResult> = { 0: 'superseded', 1: 'bumped', 2: 'stored', 3: 'unchanged' };

/** The leaderboard's keys: the snapshot and the channel every instance hears new boards on, in one cluster slot. */
export const leaderboardKeys = (redis: RedisConnection) => ({
  snapshot: redis.key('{leaderboard}', 'snapshot'),
  updates: redis.key('{leaderboard}', 'updates'),
});

export class RedisSnapshotStore implements SnapshotStore {
  private readonly keys;
  private reading?: Promise<Snapshot | undefined>;
  private nextRead?: Promise<Snapshot | undefined>;
  /** Parsed once per stored text: the same board is read far more often than it changes. */
  private parsed?: { text: string; snapshot: Snapshot };

  constructor(private readonly redis: RedisConnection) {
    this.keys = leaderboardKeys(redis);
  }

  /**
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

  async store(snapshot: Snapshot, floor: number): Promise<StoreResult> {
    if (!this.redis.available) return 'unavailable';
    const args = [String(snapshot.version), snapshot.hash, JSON.stringify(snapshot), String(floor), String(SNAPSHOT_TTL_MS), this.keys.updates, this.redis.publishCommand];
    try {
      return RESULTS[Number(await this.redis.script(COMPARE_AND_SET_LUA, [this.keys.snapshot], args))];
    } catch {
      return 'unavailable';
    }
  }

  private async readNow(): Promise<Snapshot | undefined> {
    if (!this.redis.available) return undefined;
    const text = await this.redis.call((client) => client.get(this.keys.snapshot)).catch(() => null);
    if (text === null) return undefined;
    if (this.parsed?.text !== text) this.parsed = { text, snapshot: JSON.parse(text) as Snapshot };
    return this.parsed.snapshot;
  }
}
