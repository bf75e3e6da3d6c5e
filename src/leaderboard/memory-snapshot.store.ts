import { Snapshot } from './snapshot';
import { SnapshotStore, StoreResult } from './snapshot-store';

/** The embedded dev mode's store: one instance, so a field is the whole store. */
export class MemorySnapshotStore implements SnapshotStore {
  private current?: Snapshot;

  read(): Promise<Snapshot | undefined> {
    return Promise.resolve(this.current);
  }

  store(snapshot: Snapshot, floor: number): Promise<StoreResult> {
    const current = this.current;
    if (current && snapshot.version <= current.version) return Promise.resolve('superseded');
    if (current?.hash === snapshot.hash && current.version >= floor) return Promise.resolve('unchanged');
    this.current = snapshot;
    return Promise.resolve(current?.hash === snapshot.hash ? 'bumped' : 'stored');
  }
}
