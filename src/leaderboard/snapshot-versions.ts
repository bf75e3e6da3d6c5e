import { sameBoard, Snapshot } from './snapshot';

/**
 * The version rules of one instance for one board, in one place: it pushes a board only when its standings are new and its version
 * is above anything pushed and not below anything served (acks, REST); it serves the newest board it knows; and
 * a stored board below what it has served is stale for it. So no client of this instance sees a version go down.
 */
export class SnapshotVersions {
  private lastPushed?: Snapshot;
  private highestServed = 0;
  /** The newest board known here (computed or received): the fast path compares against it. */
  latest?: Snapshot;

  /** Highest version pushed or served: nothing below it may be served again. */
  get floor(): number {
    return Math.max(this.highestServed, this.lastPushed?.version ?? 0);
  }

  /** A stored board this instance may still serve. */
  isCurrent(snapshot: Snapshot): boolean {
    return snapshot.version >= this.floor;
  }

  /** What to serve: this board, or a newer one known here (e.g. pushed meanwhile). */
  serve(snapshot: Snapshot): Snapshot {
    this.note(snapshot);
    this.highestServed = Math.max(this.highestServed, this.latest!.version);
    return this.latest!;
  }

  /** True when this board is to be pushed now (recorded as pushed). */
  admit(snapshot: Snapshot): boolean {
    this.note(snapshot);
    if (snapshot.version <= (this.lastPushed?.version ?? 0) || snapshot.version < this.highestServed) return false;
    if (sameBoard(this.lastPushed, snapshot)) return false;
    this.lastPushed = snapshot;
    return true;
  }

  private note(snapshot: Snapshot): void {
    if (!this.latest || snapshot.version > this.latest.version) this.latest = snapshot;
  }
}
