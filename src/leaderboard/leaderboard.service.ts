import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { BoardEntryChanges } from '../boards/board-events';
import { GLOBAL_BOARD } from '../boards/board';
import { Coalescer } from '../changes/coalescer';
import { ThrottledWarning } from '../logging/throttled-warning';
import { RealtimeGateway } from '../realtime/realtime.gateway';
import { boardRoom } from '../realtime/socket.events';
import { ScoreChangedEvent } from '../scores/events/score-changed.event';
import { LeaderboardMetrics } from './leaderboard.metrics';
import { LeaderboardRepository } from './leaderboard.repository';
import { cannotChangeBoard, showsUsers, Snapshot, toSnapshot } from './snapshot';
import { isTombstone, SNAPSHOT_STORE, SnapshotStore, StoreResult, Tombstone } from './snapshot-store';
import { SnapshotVersions } from './snapshot-versions';

/** A read waits this long at most for the refresh its own writes triggered (read-your-writes on one instance). */
const READ_WAIT_MS = 1000;
/** At most ~40 top-10 queries per second per board and instance however fast scores arrive; a lone change runs at once. */
const MIN_REFRESH_INTERVAL_MS = 25;

/** One board's live state on this instance: its version rules and its coalesced refresh. */
interface Live {
  versions: SnapshotVersions;
  refresher: Coalescer;
}

/**
 * Keeps every board's top-10 snapshot (global and the boards of §8, the same way): refreshes it on committed
 * changes, stores and serves it, and pushes new standings to the board's room. State exists only for boards
 * that have a snapshot, and goes when they are deleted.
 */
@Injectable()
@EventsHandler(ScoreChangedEvent)
export class LeaderboardService implements IEventHandler<ScoreChangedEvent> {
  private readonly warning = new ThrottledWarning(new Logger(LeaderboardService.name));
  private readonly boards = new Map<string, Live>();
  private readonly computing = new Map<string, Promise<Snapshot | undefined>>();

  constructor(
    private readonly repository: LeaderboardRepository,
    @Inject(SNAPSHOT_STORE) private readonly store: SnapshotStore,
    private readonly realtime: RealtimeGateway,
    private readonly metrics: LeaderboardMetrics,
  ) {}

  /** Committed changes to users, from any client: refresh global unless none can reach it, and boards that show a renamed or deleted user. */
  handle({ users, removed, reset }: ScoreChangedEvent): void {
    const global = this.live(GLOBAL_BOARD);
    const board = global.versions.latest?.data;
    const skip =
      !reset &&
      !global.refresher.busy &&
      users.every((user) => cannotChangeBoard(board, user.userId, user.score)) &&
      removed.every((userId) => cannotChangeBoard(board, userId, undefined));
    if (skip) this.metrics.skips.inc({ reason: 'fast_path' });
    else global.refresher.request();
    for (const [key, live] of this.boards) {
      if (key !== GLOBAL_BOARD && (reset || showsUsers(live.versions.latest?.data, users, removed))) live.refresher.request();
    }
  }

  /**
   * The board's standings may have changed (a submission, a new period): refresh, coalesced per board, unless the
   * commit's `changes` are known and none can reach the current period's top 10 (the same fast path as global's).
   */
  refresh(board: string, changes?: BoardEntryChanges): void {
    const live = this.live(board);
    const latest = live.versions.latest;
    const skip =
      changes !== undefined &&
      !live.refresher.busy &&
      latest?.period === changes.period &&
      changes.entries.every((entry) => cannotChangeBoard(latest.data, entry.userId, entry.score, changes.order));
    if (skip) this.metrics.skips.inc({ reason: 'fast_path' });
    else live.refresher.request();
  }

  /** Recompute every board known here regardless of the fast path (e.g. Redis came back and may have lost snapshots). */
  resync(): void {
    this.live(GLOBAL_BOARD);
    for (const live of this.boards.values()) live.refresher.request();
  }

  /** A snapshot or tombstone published by any instance (through Redis). */
  published(entry: Snapshot | Tombstone): void {
    if (isTombstone(entry)) this.boards.delete(entry.board);
    else this.offer(entry);
  }

  /** The board was deleted (committed): forget it here, and everywhere through its tombstone. */
  async delete(board: string): Promise<void> {
    this.boards.delete(board);
    await this.store.store({ board, version: await this.repository.version(), deleted: true }, 0);
  }

  /** The board's current snapshot: the store's when it is up and not behind what this instance served, else PostgreSQL; undefined: no such board. */
  async current(board: string): Promise<Snapshot | undefined> {
    await this.boards.get(board)?.refresher.settled(READ_WAIT_MS);
    const stored = await this.store.read(board);
    if (stored && this.live(board).versions.isCurrent(stored)) return this.live(board).versions.serve(stored);
    // Concurrent reads share one query (e.g. Redis down: reads would otherwise each hit PostgreSQL)
    let computing = this.computing.get(board);
    if (!computing) this.computing.set(board, (computing = this.computeForRead(board).finally(() => this.computing.delete(board))));
    const fresh = await computing;
    return fresh && this.live(board).versions.serve(fresh);
  }

  private live(board: string): Live {
    let live = this.boards.get(board);
    if (!live) {
      const refresher = new Coalescer(
        () => this.refreshOnce(board),
        (error) => this.warning.warn(`leaderboard refresh of ${board} failed: ${(error as Error).message}`),
        MIN_REFRESH_INTERVAL_MS,
      );
      this.boards.set(board, (live = { versions: new SnapshotVersions(), refresher }));
    }
    return live;
  }

  private async computeForRead(board: string): Promise<Snapshot | undefined> {
    const fresh = await this.compute(board);
    // floor = its own version: about to be served, so the store must not keep a lower one (silent bump if same standings)
    if (fresh) await this.publish(fresh, await this.store.store(fresh, fresh.version));
    return fresh;
  }

  private async refreshOnce(board: string): Promise<void> {
    const snapshot = await this.compute(board);
    if (!snapshot) return void this.boards.delete(board); // deleted meanwhile
    const result = await this.store.store(snapshot, this.live(board).versions.floor);
    if (result === 'unchanged' || result === 'bumped') this.metrics.skips.inc({ reason: 'equal_hash' });
    await this.publish(snapshot, result);
  }

  private async compute(board: string): Promise<Snapshot | undefined> {
    const top = await this.repository.top(board);
    this.metrics.refreshes.inc();
    return top && toSnapshot(board, top.period, top.data, top.version);
  }

  /**
   * Stored: push locally now (our own publication echo is then dropped). Store down: local push only.
   * The store already had these standings or newer ones: offer what it holds, in case this instance missed that
   * publication (subscriber reconnecting); the version rules drop it if it was already pushed here.
   */
  private async publish(snapshot: Snapshot, result: StoreResult): Promise<void> {
    if (result === 'stored' || result === 'bumped' || result === 'unavailable') return this.offer(snapshot);
    const stored = await this.store.read(snapshot.board);
    if (stored) this.offer(stored);
  }

  private offer(snapshot: Snapshot): void {
    if (!this.live(snapshot.board).versions.admit(snapshot)) return;
    this.realtime.pushLocal(boardRoom(snapshot.board), 'leaderboard:update', snapshot);
    this.metrics.pushes.inc();
  }
}
