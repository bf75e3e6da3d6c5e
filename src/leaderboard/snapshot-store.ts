import { Snapshot } from './snapshot';

export const SNAPSHOT_STORE = Symbol('SNAPSHOT_STORE');

/**
 * stored: written (and published) as a new board; bumped: same hash, version raised silently; unchanged: same
 * hash, nothing written; superseded: the store already holds a higher version; unavailable: Redis down or hung.
 */
export type StoreResult = 'stored' | 'bumped' | 'unchanged' | 'superseded' | 'unavailable';

/**
 * Where the current top-10 snapshot lives: Redis (shared by every instance, publishing each new board), or
 * in-process (the embedded dev mode). Both apply the same rule, a versioned compare-and-set, which
 * cache-manager cannot express (it has no conditional write), so neither goes through it.
 */
export interface SnapshotStore {
  /** The stored snapshot; undefined when there is none or the store cannot answer now (never waits on a dead Redis). */
  read(): Promise<Snapshot | undefined>;
  /**
   * Stores only a higher version with a different hash. Same hash: nothing, except a silent version bump when
   * `floor` (the highest version this instance has served) is above the stored one, so nobody serves lower.
   */
  store(snapshot: Snapshot, floor: number): Promise<StoreResult>;
}
