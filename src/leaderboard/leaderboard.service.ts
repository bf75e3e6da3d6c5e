import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { Coalescer } from '../changes/coalescer';
import { ThrottledWarning } from '../logging/throttled-warning';
import { RealtimeGateway } from '../realtime/realtime.gateway';
import { LEADERBOARD_ROOM } from '../realtime/socket.events';
import { ScoreChangedEvent } from '../scores/events/score-changed.event';
import { LeaderboardMetrics } from './leaderboard.metrics';
import { LeaderboardRepository } from './leaderboard.repository';
import { cannotChangeBoard, Snapshot, toSnapshot } from './snapshot';
import { SNAPSHOT_STORE, SnapshotStore, StoreResult } from './snapshot-store';
import { SnapshotVersions } from './snapshot-versions';

/** A read waits this long at most for the refresh its own writes triggered (read-your-writes on one instance). */
const READ_WAIT_MS = 1000;
/** At most ~40 top-10 queries per second per instance however fast scores arrive; a lone change runs at once. */
const MIN_REFRESH_INTERVAL_MS = 25;

/** Keeps the top-10 snapshot: refreshes it on committed changes (the feed), stores and serves it, and pushes new boards. */
@Injectable()
@EventsHandler(ScoreChangedEvent)
export class LeaderboardService implements IEventHandler<ScoreChangedEvent> {
  private readonly warning = new ThrottledWarning(new Logger(LeaderboardService.name));
  private readonly versions = new SnapshotVersions();
  private computing?: Promise<Snapshot>;
  private readonly refresher = new Coalescer(
    () => this.refreshOnce(),
    (error) => this.warning.warn(`leaderboard refresh failed: ${(error as Error).message}`),
    MIN_REFRESH_INTERVAL_MS,
  );

  constructor(
    private readonly repository: LeaderboardRepository,
    @Inject(SNAPSHOT_STORE) private readonly store: SnapshotStore,
    private readonly realtime: RealtimeGateway,
    private readonly metrics: LeaderboardMetrics,
  ) {}

  /** Committed changes, from any client: refresh unless none of them can reach the board. */
  handle({ users, removed, reset }: ScoreChangedEvent): void {
    const board = this.versions.latest?.data;
    const skip =
      !reset &&
      !this.refresher.busy &&
      users.every((user) => cannotChangeBoard(board, user.userId, user.score)) &&
      removed.every((userId) => cannotChangeBoard(board, userId, undefined));
    if (skip) this.metrics.skips.inc({ reason: 'fast_path' });
    else this.refresher.request();
  }

  /** Recompute regardless of the fast path (e.g. Redis came back and may have lost the snapshot). */
  resync(): void {
    this.refresher.request();
  }

  /** A snapshot published by any instance (through Redis). */
  published(snapshot: Snapshot): void {
    this.offer(snapshot);
  }

  /** The current snapshot: the store's when it is up and not behind what this instance served, else PostgreSQL. */
  async current(): Promise<Snapshot> {
    await this.refresher.settled(READ_WAIT_MS);
    const stored = await this.store.read();
    if (stored && this.versions.isCurrent(stored)) return this.versions.serve(stored);
    // Concurrent reads share one query (e.g. Redis down: reads would otherwise each hit PostgreSQL)
    this.computing ??= this.computeForRead().finally(() => (this.computing = undefined));
    return this.versions.serve(await this.computing);
  }

  private async computeForRead(): Promise<Snapshot> {
    const fresh = await this.compute();
    // floor = its own version: about to be served, so the store must not keep a lower one (silent bump if same hash)
    await this.publish(fresh, await this.store.store(fresh, fresh.version));
    return fresh;
  }

  private async refreshOnce(): Promise<void> {
    const snapshot = await this.compute();
    const result = await this.store.store(snapshot, this.versions.floor);
    if (result === 'unchanged' || result === 'bumped') this.metrics.skips.inc({ reason: 'equal_hash' });
    await this.publish(snapshot, result);
  }

  private async compute(): Promise<Snapshot> {
    const { data, version } = await this.repository.top();
    this.metrics.refreshes.inc();
    return toSnapshot(data, version);
  }

  /**
   * Stored: push locally now (our own publication echo is then dropped). Store down: local push only.
   * The store already had this board or a newer one: offer what it holds, in case this instance missed that
   * publication (subscriber reconnecting); the version rules drop it if it was already pushed here.
   */
  private async publish(snapshot: Snapshot, result: StoreResult): Promise<void> {
    if (result === 'stored' || result === 'bumped' || result === 'unavailable') return this.offer(snapshot);
    const stored = await this.store.read();
    if (stored) this.offer(stored);
  }

  private offer(snapshot: Snapshot): void {
    if (!this.versions.admit(snapshot)) return;
    this.realtime.pushLocal(LEADERBOARD_ROOM, 'leaderboard:update', snapshot);
    this.metrics.pushes.inc();
  }
}
