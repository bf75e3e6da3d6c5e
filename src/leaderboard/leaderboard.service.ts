import { Injectable, Logger } from '@nestjs/common';
import { Coalescer } from './coalescer';
import { LeaderboardBroadcaster } from './leaderboard.broadcaster';
import { LeaderboardCache, StoreResult } from './leaderboard.cache';
import { LeaderboardMetrics } from './leaderboard.metrics';
import { LeaderboardRepository } from './leaderboard.repository';
import { cannotChangeBoard, Snapshot, toSnapshot } from './snapshot';

/** A read waits this long at most for the refresh its own writes triggered (read-your-writes on one instance). */
const READ_WAIT_MS = 1000;
/** At most ~40 top-10 queries per second per instance however fast scores arrive; a lone change runs at once. */
const MIN_REFRESH_INTERVAL_MS = 25;

/** Keeps the top-10 snapshot: refreshes it on score changes, serves it, and hands new ones to the broadcaster. */
@Injectable()
export class LeaderboardService {
  private readonly logger = new Logger(LeaderboardService.name);
  private computing?: Promise<Snapshot>;
  private lastWarning = 0;
  private readonly refresher = new Coalescer(
    () => this.refreshOnce(),
    (error) => this.warnThrottled(`leaderboard refresh failed: ${(error as Error).message}`),
    MIN_REFRESH_INTERVAL_MS,
  );

  constructor(
    private readonly repository: LeaderboardRepository,
    private readonly cache: LeaderboardCache,
    private readonly broadcaster: LeaderboardBroadcaster,
    private readonly metrics: LeaderboardMetrics,
  ) {}

  /** A user's score changed: refresh unless the change provably cannot reach the board. */
  scoreChanged(userId: number, score: number): void {
    if (cannotChangeBoard(this.broadcaster.latest?.data, userId, score)) {
      this.metrics.skips.inc({ reason: 'fast_path' });
      return;
    }
    this.refresher.request();
  }

  /** Recompute regardless of the fast path (e.g. Redis came back and may have lost the snapshot). */
  resync(): void {
    this.refresher.request();
  }

  /** A snapshot published by any instance (through Redis). */
  published(snapshot: Snapshot): void {
    this.broadcaster.offer(snapshot);
  }

  /** The current snapshot: Redis when it is up and not behind what this instance served, else PostgreSQL. */
  async current(): Promise<Snapshot> {
    await this.refresher.settled(READ_WAIT_MS);
    const stored = await this.cache.read();
    if (stored && stored.version >= this.broadcaster.floor) return this.broadcaster.serve(stored);
    // Concurrent reads share one query (e.g. Redis down: reads would otherwise each hit PostgreSQL)
    this.computing ??= this.computeForRead().finally(() => (this.computing = undefined));
    return this.broadcaster.serve(await this.computing);
  }

  private async computeForRead(): Promise<Snapshot> {
    const fresh = await this.compute();
    // floor = its own version: about to be served, so Redis must not keep a lower one (silent bump if same hash)
    await this.publish(fresh, await this.cache.store(fresh, fresh.version));
    return fresh;
  }

  private async refreshOnce(): Promise<void> {
    const snapshot = await this.compute();
    const result = await this.cache.store(snapshot, this.broadcaster.floor);
    if (result === 'unchanged' || result === 'bumped') this.metrics.skips.inc({ reason: 'equal_hash' });
    await this.publish(snapshot, result);
  }

  private async compute(): Promise<Snapshot> {
    const { data, version } = await this.repository.top();
    this.metrics.refreshes.inc();
    return toSnapshot(data, version);
  }

  /**
   * Stored: push locally now (our own publication echo is then dropped). Redis down: local push only.
   * Redis already had this board or a newer one: offer what it holds, in case this instance missed that
   * publication (subscriber reconnecting); the broadcaster drops it if it was already pushed here.
   */
  private async publish(snapshot: Snapshot, result: StoreResult): Promise<void> {
    if (result === 'stored' || result === 'bumped' || result === 'unavailable') return this.broadcaster.offer(snapshot);
    const stored = await this.cache.read();
    if (stored) this.broadcaster.offer(stored);
  }

  /** PostgreSQL down would otherwise log every coalesced refresh (up to ~40/s). */
  private warnThrottled(message: string): void {
    if (Date.now() - this.lastWarning < 10_000) return;
    this.lastWarning = Date.now();
    this.logger.warn(message);
  }
}
