import { sameBoard, Snapshot } from './snapshot';
import { isTombstone, SnapshotStore, StoreResult, Tombstone } from './snapshot-store';

/** The embedded dev mode's store: one instance, so a map is the whole store. */
export class MemorySnapshotStore implements SnapshotStore {
  private readonly boards = new Map<string, Snapshot | Tombstone>();

  read(board: string): Promise<Snapshot | undefined> {
    const entry = this.boards.get(board);
    return Promise.resolve(entry && !isTombstone(entry) ? entry : undefined);
  }

  store(entry: Snapshot | Tombstone, floor: number): Promise<StoreResult> {
    const current = this.boards.get(entry.board);
    if (current && entry.version <= current.version) return Promise.resolve('superseded');
    const same = current && !isTombstone(current) && !isTombstone(entry) && sameBoard(current, entry);
    if (same && current.version >= floor) return Promise.resolve('unchanged');
    this.boards.set(entry.board, entry);
    return Promise.resolve(same ? 'bumped' : 'stored');
  }
}
