import { Injectable } from '@nestjs/common';
import { BACKGROUND_DEADLINE_MS, RedisConnection } from '../redis/redis-connection';
import { ScoreChangedEvent } from '../scores/events/score-changed.event';
import {
  FILL_SCRIPT,
  FOLLOW_SCRIPT,
  MOVE_RANK_SCRIPT,
  NEIGHBOURHOODS_SCRIPT,
  RANK_SCRIPT,
  RELEASE_SCRIPT,
  STANDINGS_SCRIPT,
  SWAP_SCRIPT,
} from './rank-index.scripts';
import { memberUserId, RankEntry, rankMember, scoreOfZset, zsetScore } from './rank-member';

const REBUILD_LOCK_MS = 30_000;

export const NOT_INDEXED = -1;
export const NOT_READY = -2;
export const BEHIND = -3;

/** One ranked set: `global` (users), or one period of a board; `asc` boards rank the lowest score first. */
export interface Namespace {
  name: string;
  order: 'desc' | 'asc';
}
export const GLOBAL: Namespace = { name: 'global', order: 'desc' };
export const boardNamespace = (board: string, period: number, order: 'desc' | 'asc'): Namespace => ({
  name: `board:${board}:${period}`,
  order,
});

/** A namespace's changes in one feed page. */
export interface NamespaceChanges {
  namespace: Namespace;
  entries: RankEntry[];
  removed: number[];
}

/**
 * Owns the rank index keys in Redis and the scripts that read and write them atomically. The index's feed
 * position lives beside its data, so whoever finds it after a crash or a restart resumes from there.
 * One hash tag: every key a script touches is in one Redis Cluster slot.
 */
@Injectable()
export class RankStore {
  private readonly position: string;
  private readonly lock: string;

  constructor(private readonly redis: RedisConnection) {
    [this.position, this.lock] = [this.key('position'), this.key('lock')];
  }

  get available(): boolean {
    return this.redis.available;
  }

  /** Applies a feed page if the index stands at `from`; returns where it stands afterwards ('' = nowhere). */
  async follow(from: string, to: string, changes: NamespaceChanges[]): Promise<string> {
    const keys = [this.position, ...changes.flatMap(({ namespace }) => this.setKeys(namespace))];
    const args = changes.flatMap(({ namespace, entries, removed }) => [
      String(entries.length),
      String(removed.length),
      ...entries.flatMap((entry) => entryArgs(namespace, entry)),
      ...removed.map(String),
    ]);
    return String(await this.redis.script(FOLLOW_SCRIPT, keys, [from, to, ...args], BACKGROUND_DEADLINE_MS));
  }

  /** 0-based rank once the index has applied `minimum`; NOT_INDEXED, NOT_READY or BEHIND otherwise. */
  async rank(namespace: Namespace, userId: number, minimum: string): Promise<number> {
    return Number(await this.redis.script(RANK_SCRIPT, [...this.setKeys(namespace), this.position], [String(userId), minimum]));
  }

  /**
   * For each id, its 0-based rank and score (undefined: not indexed), once the index has applied `minimum`;
   * NOT_READY or BEHIND otherwise.
   */
  async standings(namespace: Namespace, userIds: number[], minimum: string): Promise<(Standing | undefined)[] | number> {
    const reply = (await this.redis.script(
      STANDINGS_SCRIPT,
      [...this.setKeys(namespace), this.position],
      [minimum, ...userIds.map(String)],
      BACKGROUND_DEADLINE_MS,
    )) as number | (number | string)[];
    if (typeof reply === 'number') return reply;
    return userIds.map((_, i) => {
      const rank = Number(reply[2 * i]);
      return rank < 0 ? undefined : { rank, score: scoreOfZset(String(reply[2 * i + 1]), namespace.order) };
    });
  }

  /**
   * For each id, its 0-based rank and the entries within `radius` ranks (undefined: not indexed), once the index
   * has applied `minimum`; NOT_READY or BEHIND otherwise.
   */
  async neighbourhoods(
    namespace: Namespace,
    userIds: number[],
    minimum: string,
    radius: number,
  ): Promise<(Neighbourhood | undefined)[] | number> {
    const args = [minimum, String(radius), ...userIds.map(String)];
    const reply = (await this.redis.script(
      NEIGHBOURHOODS_SCRIPT,
      [...this.setKeys(namespace), this.position],
      args,
      BACKGROUND_DEADLINE_MS,
    )) as number | [number, number?, string[]?][];
    if (typeof reply === 'number') return reply;
    return reply.map(([rank, first, window]) => (rank < 0 ? undefined : { rank, window: toWindow(namespace, first!, window!) }));
  }

  /** Moves a user from `before` to `after` if the set holds exactly `before` (or `after`): 0-based rank, else BEHIND. */
  async rankAfter(namespace: Namespace, before: RankEntry, after: RankEntry): Promise<number> {
    const args = [...entryArgs(namespace, before), ...entryArgs(namespace, after).slice(1)];
    return Number(await this.redis.script(MOVE_RANK_SCRIPT, [...this.setKeys(namespace), this.position], args));
  }

  async storedPosition(): Promise<string | undefined> {
    return (await this.redis.call((client) => client.get(this.position))) ?? undefined;
  }

  /** A rebuild writes keys of its own, then swaps them all in with the position it started at. */
  async startRebuild(namespaces: Namespace[]): Promise<void> {
    const keys = namespaces.flatMap((namespace) => this.setKeys(namespace, ':new'));
    await this.redis.call((client) => client.del(keys), BACKGROUND_DEADLINE_MS);
  }

  async fill(namespace: Namespace, entries: RankEntry[]): Promise<void> {
    const args = entries.flatMap((entry) => entryArgs(namespace, entry));
    await this.redis.script(FILL_SCRIPT, this.setKeys(namespace, ':new'), args, BACKGROUND_DEADLINE_MS);
  }

  async finishRebuild(namespaces: Namespace[], position: string): Promise<void> {
    const keys = namespaces.flatMap((namespace) => [...this.setKeys(namespace), ...this.setKeys(namespace, ':new')]);
    await this.redis.script(SWAP_SCRIPT, [this.position, ...keys], [position], BACKGROUND_DEADLINE_MS);
  }

  /** A closed period's set is never written again: it may go (ranks there are then counted in PostgreSQL). */
  async expire(namespace: Namespace, seconds: number): Promise<void> {
    await this.redis.call(
      (client) => Promise.all(this.setKeys(namespace).map((key) => client.expire(key, seconds))),
      BACKGROUND_DEADLINE_MS,
    );
  }

  /** One rebuilder at a time across instances; the lock expires if its holder dies. */
  async acquireLock(token: string): Promise<boolean> {
    const reply = await this.redis.call((client) =>
      client.set(this.lock, token, { condition: 'NX', expiration: { type: 'PX', value: REBUILD_LOCK_MS } }),
    );
    return reply === 'OK';
  }

  async extendLock(): Promise<void> {
    await this.redis.call((client) => client.pExpire(this.lock, REBUILD_LOCK_MS));
  }

  async releaseLock(token: string): Promise<void> {
    await this.redis.script(RELEASE_SCRIPT, [this.lock], [token]);
  }

  private key(...parts: string[]): string {
    return this.redis.key('rank', '{ranks}', ...parts);
  }

  private setKeys(namespace: Namespace, suffix = ''): [string, string] {
    return [this.key(namespace.name, `z${suffix}`), this.key(namespace.name, `members${suffix}`)];
  }
}

const entryArgs = (namespace: Namespace, entry: RankEntry) => [
  String(entry.userId),
  zsetScore(entry.score, namespace.order),
  rankMember(entry),
];

/** A feed page as the index stores it: one set for `global`, one per board period. */
export function changesOf(page: ScoreChangedEvent): NamespaceChanges[] {
  return [
    { namespace: GLOBAL, entries: page.users, removed: page.removed },
    ...page.boards.map((b) => ({ namespace: boardNamespace(b.board, b.period, b.order), entries: b.entries, removed: b.removed })),
  ].filter((changes) => changes.entries.length || changes.removed.length);
}

/** A user's 0-based rank and score. */
export interface Standing {
  rank: number;
  score: number;
}

/** A user's 0-based rank and their neighbours' (id, score, 0-based rank), themselves included. */
export interface Neighbourhood {
  rank: number;
  window: { userId: number; score: number; rank: number }[];
}

const toWindow = (namespace: Namespace, first: number, flat: string[]) =>
  Array.from({ length: flat.length / 2 }, (_, i) => ({
    userId: memberUserId(flat[2 * i]),
    score: scoreOfZset(flat[2 * i + 1], namespace.order),
    rank: first + i,
  }));
