import { LeaderboardBroadcaster, LeaderboardServer } from './leaderboard.broadcaster';
import { LeaderboardMetrics } from './leaderboard.metrics';
import { Snapshot } from './snapshot';

const snap = (version: number, hash = `h${version}`): Snapshot => ({ version, hash, updatedAt: '', data: [] });

describe('LeaderboardBroadcaster (the per-instance version gate)', () => {
  let sut: LeaderboardBroadcaster;
  let pushed: number[];

  beforeEach(() => {
    pushed = [];
    const room = { emit: (_event: string, s: Snapshot) => pushed.push(s.version) };
    sut = new LeaderboardBroadcaster({ pushes: { inc: () => undefined } } as unknown as LeaderboardMetrics);
    sut.attach({ local: { to: () => room } } as unknown as LeaderboardServer);
  });

  it('pushes new hashes in increasing version order and drops older or repeated versions', () => {
    [snap(5), snap(7), snap(6), snap(7), snap(9, 'h7')].forEach((s) => sut.offer(s));
    expect(pushed).toEqual([5, 7]); // 6 is older; the second 7 a repeat; 9 has the same board as 7
  });

  it('never pushes below a version already served, and serves the newest known snapshot', () => {
    expect(sut.serve(snap(10)).version).toBe(10);
    sut.offer(snap(8));
    expect(pushed).toEqual([]);
    sut.offer(snap(10));
    sut.offer(snap(12));
    expect(pushed).toEqual([10, 12]);
    expect(sut.serve(snap(11)).version).toBe(12);
    expect(sut.floor).toBe(12);
  });
});
