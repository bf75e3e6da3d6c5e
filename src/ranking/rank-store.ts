import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { RedisConnection } from '../redis/redis-connection';
import { withDeadline } from '../redis/with-deadline';
import { APPLY_SCRIPT, RANK_SCRIPT } from './rank-index.scripts';
import { RankEntry, rankMember, zsetScore } from './rank-member';

const SHA1 = new Map([APPLY_SCRIPT, RANK_SCRIPT].map((script) => [script, createHash('sha1').update(script).digest('hex')]));
const REBUILD_LOCK_MS = 30_000;
/** A rank lookup is on the request path: past this, the caller counts in PostgreSQL instead. */
const LOOKUP_DEADLINE_MS = 300;

/** Owns the rank index keys in Redis and the scripts that read and write them atomically. */
@Injectable()
export class RankStore {
  private readonly zset: string;
  private readonly members: string;
  private readonly ready: string;
  private readonly lock: string;

  constructor(private readonly redis: RedisConnection) {
    [this.zset, this.members, this.ready, this.lock] = ['z', 'members', 'ready', 'lock'].map((k) => redis.key('rank', k));
  }

  get available(): boolean {
    return this.redis.available;
  }

  /** Stores each entry unless the index already holds a newer state of that user. */
  async apply(entries: RankEntry[]): Promise<number> {
    const args = entries.flatMap((e) => [String(e.userId), zsetScore(e.score), rankMember(e)]);
    return Number(await this.run(APPLY_SCRIPT, [this.zset, this.members], args));
  }

  /** 0-based rank; −1 when the user is not indexed; −2 when the index is incomplete. */
  async rank(userId: number): Promise<number> {
    return Number(await withDeadline(this.run(RANK_SCRIPT, [this.zset, this.members, this.ready], [String(userId)]), LOOKUP_DEADLINE_MS));
  }

  /** Members from `start` to `stop` (0-based, inclusive) in rank order. */
  range(start: number, stop: number): Promise<string[]> {
    return this.client.zRange(this.zset, start, stop);
  }

  async isReady(): Promise<boolean> {
    return (await this.client.exists(this.ready)) === 1;
  }

  size(): Promise<number> {
    return this.client.hLen(this.members);
  }

  markReady(): Promise<unknown> {
    return this.client.set(this.ready, '1');
  }

  /** One rebuilder at a time across instances; the lock expires if its holder dies. */
  async acquireLock(token: string): Promise<boolean> {
    return (await this.client.set(this.lock, token, { condition: 'NX', expiration: { type: 'PX', value: REBUILD_LOCK_MS } })) === 'OK';
  }

  extendLock(): Promise<unknown> {
    return this.client.pExpire(this.lock, REBUILD_LOCK_MS);
  }

  releaseLock(): Promise<unknown> {
    return this.client.del(this.lock);
  }

  private get client() {
    return this.redis.client!;
  }

  private async run(script: string, keys: string[], args: string[]): Promise<unknown> {
    try {
      return await this.client.evalSha(SHA1.get(script)!, { keys, arguments: args });
    } catch (error) {
      if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error;
      return this.client.eval(script, { keys, arguments: args });
    }
  }
}
