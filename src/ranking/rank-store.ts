import { Injectable } from '@nestjs/common';
import { BACKGROUND_DEADLINE_MS, RedisConnection } from '../redis/redis-connection';
import { FILL_SCRIPT, FOLLOW_SCRIPT, NEIGHBOURHOODS_SCRIPT, RANK_SCRIPT, RELEASE_SCRIPT, SWAP_SCRIPT } from './rank-index.scripts';
import { memberUserId, RankEntry, rankMember, scoreOfZset, zsetScore } from './rank-member';

const REBUILD_LOCK_MS = 30_000;

export const NOT_INDEXED = -1;
export const NOT_READY = -2;
export const BEHIND = -3;

/**
 * Owns the rank index keys in Redis and the scripts that read and write them atomically. The index's feed
 * position lives beside its data, so whoever finds it after a crash or a restart resumes from there.
 * One hash tag: every key a script touches is in one Redis Cluster slot.
 */
@Injectable()
export class RankStore {
  private readonly keys;

  constructor(private readonly redis: RedisConnection) {
    const key = (name: string) => redis.key('rank', '{global}', name);
    this.keys = { zset: key('z'), members: key('members'), position: key('position'), lock: key('lock'), newZset: key('z:new'), newMembers: key('members:new') };
  }

  get available(): boolean {
    return this.redis.available;
  }

  /** Applies a feed page if the index stands at `from`; returns where it stands afterwards ('' = nowhere). */
  async follow(from: string, to: string, entries: RankEntry[], removed: number[]): Promise<string> {
    const args = [from, to, String(entries.length), ...entries.flatMap(entryArgs), ...removed.map(String)];
    return String(await this.redis.script(FOLLOW_SCRIPT, [this.keys.zset, this.keys.members, this.keys.position], args, BACKGROUND_DEADLINE_MS));
  }

  /** 0-based rank once the index has applied `minimum`; NOT_INDEXED, NOT_READY or BEHIND otherwise. */
  async rank(userId: number, minimum: string): Promise<number> {
    const keys = [this.keys.zset, this.keys.members, this.keys.position];
    return Number(await this.redis.script(RANK_SCRIPT, keys, [String(userId), minimum]));
  }

  /**
   * For each id, its 0-based rank and the entries within `radius` ranks (undefined: not indexed), once the index
   * has applied `minimum`; NOT_READY or BEHIND otherwise.
   */
  async neighbourhoods(userIds: number[], minimum: string, radius: number): Promise<(Neighbourhood | undefined)[] | number> {
    const keys = [this.keys.zset, this.keys.members, this.keys.position];
    const args = [minimum, String(radius), ...userIds.map(String)];
    const reply = (await this.redis.script(NEIGHBOURHOODS_SCRIPT, keys, args, BACKGROUND_DEADLINE_MS)) as number | [number, number?, string[]?][];
    if (typeof reply === 'number') return reply;
    return reply.map(([rank, first, window]) => (rank < 0 ? undefined : { rank, window: toWindow(first!, window!) }));
  }

  async position(): Promise<string | undefined> {
    return (await this.redis.call((client) => client.get(this.keys.position))) ?? undefined;
  }

  /** A rebuild writes its own keys, then swaps them in with the position it started at. */
  async startRebuild(): Promise<void> {
    await this.redis.call((client) => client.del([this.keys.newZset, this.keys.newMembers]), BACKGROUND_DEADLINE_MS);
  }

  async fill(entries: RankEntry[]): Promise<void> {
    await this.redis.script(FILL_SCRIPT, [this.keys.newZset, this.keys.newMembers], entries.flatMap(entryArgs), BACKGROUND_DEADLINE_MS);
  }

  async finishRebuild(position: string): Promise<void> {
    const { zset, members, newZset, newMembers } = this.keys;
    await this.redis.script(SWAP_SCRIPT, [zset, members, this.keys.position, newZset, newMembers], [position], BACKGROUND_DEADLINE_MS);
  }

  /** One rebuilder at a time across instances; the lock expires if its holder dies. */
  async acquireLock(token: string): Promise<boolean> {
    const reply = await this.redis.call((client) => client.set(this.keys.lock, token, { condition: 'NX', expiration: { type: 'PX', value: REBUILD_LOCK_MS } }));
    return reply === 'OK';
  }

  async extendLock(): Promise<void> {
    await this.redis.call((client) => client.pExpire(this.keys.lock, REBUILD_LOCK_MS));
  }

  async releaseLock(token: string): Promise<void> {
    await this.redis.script(RELEASE_SCRIPT, [this.keys.lock], [token]);
  }
}

const entryArgs = (entry: RankEntry) => [String(entry.userId), zsetScore(entry.score), rankMember(entry)];

/** A user's 0-based rank and their neighbours' (id, score, 0-based rank), themselves included. */
export interface Neighbourhood {
  rank: number;
  window: { userId: number; score: number; rank: number }[];
}

const toWindow = (first: number, flat: string[]) =>
  Array.from({ length: flat.length / 2 }, (_, i) => ({ userId: memberUserId(flat[2 * i]), score: scoreOfZset(flat[2 * i + 1]), rank: first + i }));
