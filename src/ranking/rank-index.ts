import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ChangeFeed } from '../changes/change-feed';
import { ChangeFeedReader } from '../changes/change-feed.reader';
import { before, encodePosition } from '../changes/feed-position';
import { ThrottledWarning } from '../logging/throttled-warning';
import { Metrics } from '../metrics/metrics.service';
import { RedisConnection } from '../redis/redis-connection';
import { ScoreChangedEvent } from '../scores/events/score-changed.event';
import { RankEntry } from './rank-member';
import { RankIndexRebuilder } from './rank-index-rebuilder';
import { BEHIND, boardNamespace, changesOf, GLOBAL, Namespace, Neighbourhood, NOT_READY, RankStore, Standing } from './rank-store';
import { ProgressWaiters } from './progress-waiters';

/** A rank asked right after a commit waits this long at most for the index to apply it, then is counted in SQL. */
const CATCH_UP_WAIT_MS = 1000;
const CLOSED_PERIOD_TTL_SECONDS = 3600;

/**
 * The Redis rank index follows the change feed: each page is applied once (compare-and-set on the position
 * stored beside the data), so every committed change, from anywhere, reaches ranks; after a crash or a Redis
 * restart it resumes from its position, and rebuilds only when that position is gone.
 */
@Injectable()
export class RankIndex implements OnApplicationBootstrap {
  private readonly warning = new ThrottledWarning(new Logger(RankIndex.name));
  private readonly progress = new ProgressWaiters();
  private readonly lookups;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: RankStore,
    private readonly reader: ChangeFeedReader,
    private readonly rebuilder: RankIndexRebuilder,
    private readonly redis: RedisConnection,
    private readonly feed: ChangeFeed,
    metrics: Metrics,
  ) {
    this.lookups = metrics.counter({
      name: 'rank_lookups_total',
      help: 'Rank lookups by source (index, or counted in the database)',
      labelNames: ['source'] as const,
    });
  }

  onApplicationBootstrap(): void {
    // Back after an outage or a hang (or at boot): resume from the stored position
    this.redis.health.onAvailable(() => void this.catchUp());
    if (this.store.available) void this.catchUp();
  }

  /** A page of the feed, as read by this instance. */
  follow(page: ScoreChangedEvent): Promise<void> {
    return this.serially(async () => {
      if (page.reset) return this.rebuild();
      const at = await this.store.follow(page.from, page.to, changesOf(page));
      if (at === '') return this.rebuild();
      this.progress.reached(at);
      if (at < page.to) await this.catchUpFrom(at, page.to);
    });
  }

  /** Resumes from the stored position (rebuilding when there is none). */
  catchUp(): Promise<void> {
    return this.serially(async () => {
      const at = await this.store.storedPosition();
      if (at === undefined) return this.rebuild();
      this.progress.reached(at);
      await this.catchUpFrom(at);
    });
  }

  /** 0-based rank reflecting every change committed by transactions below `asOf`; undefined: count in PostgreSQL. */
  async rankOf(userId: number, asOf: bigint, namespace: Namespace = GLOBAL): Promise<number | undefined> {
    const rank = await this.lookup(userId, asOf, namespace);
    this.lookups.inc({ source: rank === undefined ? 'database' : 'index' });
    return rank;
  }

  private async lookup(userId: number, asOf: bigint, namespace: Namespace): Promise<number | undefined> {
    if (!this.store.available) return undefined;
    const minimum = encodePosition(before(asOf));
    try {
      // Not applied yet as far as this instance knows (e.g. its own commit): wait for the feed rather than ask Redis twice
      if (!this.progress.has(minimum)) await this.caughtUp(minimum);
      let rank = await this.store.rank(namespace, userId, minimum);
      if (rank === BEHIND && (await this.caughtUp(minimum))) rank = await this.store.rank(namespace, userId, minimum);
      if (rank === NOT_READY) void this.catchUp();
      return rank >= 0 ? rank : undefined;
    } catch (error) {
      this.warning.warn(`rank index lookup failed: ${(error as Error).message}`);
      return undefined;
    }
  }

  /**
   * 0-based rank of a user just written, without waiting for the feed: the index moves them from `before` (what it must
   * still hold: nothing newer was applied) to `after`; undefined when it holds anything else (then wait for the feed).
   */
  async rankAfter(before: RankEntry, after: RankEntry): Promise<number | undefined> {
    if (!this.store.available) return undefined;
    const rank = await this.store.rankAfter(GLOBAL, before, after).catch(() => -1);
    if (rank >= 0) this.lookups.inc({ source: 'index' });
    return rank >= 0 ? rank : undefined;
  }

  /** Reads the feed now (the position may only need to move past transactions that changed nothing) and waits. */
  private caughtUp(minimum: string): Promise<boolean> {
    this.feed.poke();
    return this.progress.until(minimum, CATCH_UP_WAIT_MS);
  }

  /** A closed period's set is never written again: it serves ranks an hour longer, then PostgreSQL counts them. */
  async retire(board: string, period: number): Promise<void> {
    if (!this.store.available) return;
    // the order does not name the keys: any order addresses the same set
    await this.store
      .expire(boardNamespace(board, period, 'desc'), CLOSED_PERIOD_TTL_SECONDS)
      .catch((error: Error) => this.warning.warn(`retiring a closed period's ranks: ${error.message}`));
  }

  /** Many users' ranks and scores in one script, once the index has applied `minimum` (see `batch`). */
  standings(userIds: number[], minimum: string, namespace: Namespace = GLOBAL): Promise<(Standing | undefined)[] | 'behind' | undefined> {
    return this.batch(() => this.store.standings(namespace, userIds, minimum));
  }

  /** Many users' ranks and neighbours in one script, once the index has applied `minimum` (see `batch`). */
  neighbourhoods(
    userIds: number[],
    minimum: string,
    radius: number,
    namespace: Namespace = GLOBAL,
  ): Promise<(Neighbourhood | undefined)[] | 'behind' | undefined> {
    return this.batch(() => this.store.neighbourhoods(namespace, userIds, minimum, radius));
  }

  /** 'behind' while the index has not applied the position asked for; undefined when it cannot answer (no Redis, rebuilding, an error). */
  private async batch<T>(read: () => Promise<(T | undefined)[] | number>): Promise<(T | undefined)[] | 'behind' | undefined> {
    if (!this.store.available) return undefined;
    try {
      const reply = await read();
      if (reply === BEHIND) return 'behind';
      return typeof reply === 'number' ? undefined : reply;
    } catch (error) {
      this.warning.warn(`rank index lookup failed: ${(error as Error).message}`);
      return undefined;
    }
  }

  private async catchUpFrom(at: string, until?: string): Promise<void> {
    for (;;) {
      const page = await this.reader.read(at);
      if (page.gone || page.reset) return this.rebuild();
      if (page.to === at) return;
      const next = await this.store.follow(at, page.to, changesOf(page));
      if (next === '') return this.rebuild();
      this.progress.reached(next);
      // Another instance moved it meanwhile: its own reads carry on from there
      if (next !== page.to) return;
      at = next;
      if (!page.full && (until === undefined || at >= until)) return;
    }
  }

  private async rebuild(): Promise<void> {
    const at = await this.rebuilder.rebuild();
    if (at === undefined) return; // another instance is rebuilding: its position shows up when it is done
    this.progress.reached(at);
    await this.catchUpFrom(at);
  }

  /** One step at a time per instance (pages in order); a failure is logged and healed by a later catch-up. */
  private serially(step: () => Promise<void>): Promise<void> {
    const run = async () => {
      if (!this.store.available) return;
      try {
        await step();
      } catch (error) {
        this.warning.warn(`rank index update failed: ${(error as Error).message}`);
      }
    };
    this.queue = this.queue.then(run);
    return this.queue;
  }
}
