import { GLOBAL_BOARD } from '../boards/board';
import { RedisConnection } from '../redis/redis-connection';
import { SharedRead } from './shared-read';
import { Snapshot } from './snapshot';
import { isTombstone, SnapshotStore, StoreResult, Tombstone } from './snapshot-store';

/** Unused snapshots (and tombstones) expire (e.g. test prefixes); any change rewrites the key with a fresh TTL. */
const SNAPSHOT_TTL_MS = 24 * 3600 * 1000;

/**
 * KEYS: the board's snapshot. ARGV: version, hash, entry JSON, floor, TTL, channel, PUBLISH or SPUBLISH, period.
 * The rule of SnapshotStore.store, and the publication of new standings in the same script: Redis runs scripts one
 * at a time, so publications leave in version order (on a cluster, SPUBLISH on a channel in the snapshots' slot).
 * A tombstone has no hash, so it is never "the same standings".
 */
const COMPARE_AND_SET_LUA = `
local current = redis.call('GET', KEYS[1])
local version, same = -1, false
if current then
  local stored = cjson.decode(current)
  version = tonumber(stored.version)
  same = ARGV[2] ~= '' and stored.hash == ARGV[2] and tostring(stored.period) == ARGV[8]
end
if tonumber(ARGV[1]) <= version then return 0 end
if same and version >= tonumber(ARGV[4]) then return 3 end
redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[5])
if same then return 1 end
redis.call(ARGV[7], ARGV[6], ARGV[3])
return 2`;
const RESULTS: Record<number, StoreResult> = { 0: 'superseded', 1: 'bumped', 2: 'stored', 3: 'unchanged' };

/**
 * The leaderboard's keys, in one cluster slot: each board's snapshot (global's keeps its name from before boards,
 * so instances of both releases share it during a rolling upgrade) and the one channel every instance hears new
 * standings on.
 */
export const leaderboardKeys = (redis: RedisConnection) => ({
  /** global's snapshot. */
  snapshot: redis.key('{leaderboard}', 'snapshot'),
  snapshotOf: (board: string) =>
    board === GLOBAL_BOARD ? redis.key('{leaderboard}', 'snapshot') : redis.key('{leaderboard}', 'snapshot', board),
  updates: redis.key('{leaderboard}', 'updates'),
});

export class RedisSnapshotStore implements SnapshotStore {
  private readonly keys;
  private readonly reads = new Map<string, SharedRead<Snapshot | undefined>>();
  /** Parsed once per stored text: the same board is read far more often than it changes. */
  private readonly parsed = new Map<string, { text: string; snapshot: Snapshot }>();

  constructor(private readonly redis: RedisConnection) {
    this.keys = leaderboardKeys(redis);
  }

  /** Concurrent reads of a board share GETs (SharedRead); idle readers are dropped, so unknown keys leave nothing behind. */
  read(board: string): Promise<Snapshot | undefined> {
    let shared = this.reads.get(board);
    if (!shared) this.reads.set(board, (shared = new SharedRead(() => this.readNow(board))));
    return shared.read().finally(() => shared.idle && this.reads.get(board) === shared && this.reads.delete(board));
  }

  async store(entry: Snapshot | Tombstone, floor: number): Promise<StoreResult> {
    if (!this.redis.available) return 'unavailable';
    const [hash, period] = isTombstone(entry) ? ['', ''] : [entry.hash, String(entry.period)];
    const args = [
      String(entry.version),
      hash,
      JSON.stringify(entry),
      String(floor),
      String(SNAPSHOT_TTL_MS),
      this.keys.updates,
      this.redis.publishCommand,
      period,
    ];
    try {
      return RESULTS[Number(await this.redis.script(COMPARE_AND_SET_LUA, [this.keys.snapshotOf(entry.board)], args))];
    } catch {
      return 'unavailable';
    }
  }

  private async readNow(board: string): Promise<Snapshot | undefined> {
    if (!this.redis.available) return undefined;
    const text = await this.redis.call((client) => client.get(this.keys.snapshotOf(board))).catch(() => null);
    const cached = this.parsed.get(board);
    if (text !== null && cached?.text === text) return cached.snapshot;
    const entry = text === null ? undefined : (JSON.parse(text) as Snapshot | Tombstone);
    if (!entry || isTombstone(entry)) {
      this.parsed.delete(board);
      return undefined;
    }
    this.parsed.set(board, { text: text!, snapshot: entry });
    return entry;
  }
}
