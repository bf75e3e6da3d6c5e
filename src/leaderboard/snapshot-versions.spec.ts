import { Snapshot } from './snapshot';
import { SnapshotVersions } from './snapshot-versions';

const snap = (version: number, hash = `h${version}`, period = 1): Snapshot => ({
  version,
  hash,
  updatedAt: '',
  data: [],
  board: 'b',
  period,
});

describe('SnapshotVersions (the per-instance version rules)', () => {
  let sut: SnapshotVersions;

  beforeEach(() => (sut = new SnapshotVersions()));

  const pushedOf = (snapshots: Snapshot[]) => snapshots.filter((s) => sut.admit(s)).map((s) => s.version);

  it('pushes new hashes in increasing version order and drops older or repeated versions', () => {
    expect(pushedOf([snap(5), snap(7), snap(6), snap(7), snap(9, 'h7')])).toEqual([5, 7]); // 6 older; 7 again; 9 = board of 7
  });

  it('never pushes below a version already served, and serves the newest known snapshot', () => {
    expect(sut.serve(snap(10)).version).toBe(10);
    expect(pushedOf([snap(8)])).toEqual([]);
    expect(pushedOf([snap(10), snap(12)])).toEqual([10, 12]);
    expect(sut.serve(snap(11)).version).toBe(12);
    expect(sut.floor).toBe(12);
  });

  it("pushes the same hash again when the period is new (a new period's empty board after an empty one)", () => {
    expect(pushedOf([snap(5, 'empty', 1), snap(6, 'empty', 1), snap(7, 'empty', 2)])).toEqual([5, 7]);
  });

  it('treats a stored board below what it served as stale', () => {
    sut.serve(snap(20));
    expect(sut.isCurrent(snap(19))).toBe(false);
    expect(sut.isCurrent(snap(20))).toBe(true);
  });
});
