import { Injectable } from '@nestjs/common';
import type { Server } from 'socket.io';
import { LeaderboardMetrics } from './leaderboard.metrics';
import { LEADERBOARD_ROOM, ServerToClientEvents, SocketData } from './leaderboard.events';
import { Snapshot } from './snapshot';

export type LeaderboardServer = Server<Record<string, never>, ServerToClientEvents, Record<string, never>, SocketData>;

/**
 * This instance's view of the versions it has handed out. It pushes a snapshot to its own sockets only
 * when the hash is new and the version is higher than anything it has pushed and not lower than anything
 * it has served (acks, REST), so no client of this instance ever sees a version go down.
 */
@Injectable()
export class LeaderboardBroadcaster {
  private server?: LeaderboardServer;
  private lastPushed?: Snapshot;
  private highestServed = 0;
  /** The newest board known here (computed or received): the fast path compares against it. */
  latest?: Snapshot;

  constructor(private readonly metrics: LeaderboardMetrics) {}

  attach(server: LeaderboardServer): void {
    this.server = server;
  }

  /** Highest version this instance has pushed or served: nothing below it may be served again. */
  get floor(): number {
    return Math.max(this.highestServed, this.lastPushed?.version ?? 0);
  }

  /** What to serve (REST, subscribe ack): this snapshot, or a newer one known here (e.g. pushed meanwhile). */
  serve(snapshot: Snapshot): Snapshot {
    this.note(snapshot);
    const newest = this.latest!;
    this.highestServed = Math.max(this.highestServed, newest.version);
    return newest;
  }

  /** Pushes to local sockets in room `leaderboard` if the snapshot passes the gate. */
  offer(snapshot: Snapshot): void {
    this.note(snapshot);
    if (snapshot.version <= (this.lastPushed?.version ?? 0) || snapshot.version < this.highestServed) return;
    if (snapshot.hash === this.lastPushed?.hash) return;
    this.lastPushed = snapshot;
    // local: every instance receives each publication itself, so nothing goes through the adapter's bus
    this.server?.local.to(LEADERBOARD_ROOM).emit('leaderboard:update', snapshot);
    this.metrics.pushes.inc();
  }

  private note(snapshot: Snapshot): void {
    if (!this.latest || snapshot.version > this.latest.version) this.latest = snapshot;
  }
}
