import { Snapshot } from './snapshot';

export const SNAPSHOT_STORE = Symbol('SNAPSHOT_STORE');

/**
 * What a store keeps for a deleted board: its version refuses a refresh that raced the deletion (computed
 * before it, so lower), reads find nothing, and its publication tells every instance to forget the board.
 */
export interface Tombstone {
  board: string;
  version: number;
  deleted: true;
}

export const isTombstone = (entry: Snapshot | Tombstone): entry is Tombstone => 'deleted' in entry;

/**
 * stored: written (and published) as new standings; bumped: same standings, version raised silently; unchanged:
 * same standings, nothing written; superseded: the store already holds a higher version; unavailable: Redis down or hung.
 */
export type StoreResult = 'stored' | 'bumped' | 'unchanged' | 'superseded' | 'unavailable';

/**
 * Where each board's current top-10 snapshot lives, by board key: Redis (shared by every instance, publishing
 * each new board), or in-process (the embedded dev mode). Both apply the same rule, a versioned compare-and-set,
 * which cache-manager cannot express (it has no conditional write), so neither goes through it.
 */
export interface SnapshotStore {
  /** The board's stored snapshot; undefined when there is none, it was deleted, or the store cannot answer now (never waits on a dead Redis). */
  read(board: string): Promise<Snapshot | undefined>;
  /**
   * Stores only a higher version with different standings (period and hash). Same standings: nothing, except a
   * silent version bump when `floor` (the highest version this instance has served) is above the stored one, so
   * nobody serves lower. A tombstone follows the same rule (it never has the same standings).
   */
  store(entry: Snapshot | Tombstone, floor: number): Promise<StoreResult>;
}
