import { cannotChangeBoard, hashBoard, BoardEntry, sameBoard, showsUsers, snapshotVersion, toSnapshot } from './snapshot';

const board = (scores: number[]): BoardEntry[] => scores.map((score, i) => ({ id: i + 1, rank: i + 1, name: `u${i + 1}`, score }));

describe('snapshot', () => {
  it('hashes JSON.stringify(data) with md5', () => {
    const data = board([30, 20]);
    expect(toSnapshot('global', 1, data, 5).hash).toBe(hashBoard(data));
    expect(hashBoard(data)).toMatch(/^[0-9a-f]{32}$/);
    expect(hashBoard(board([30, 21]))).not.toBe(hashBoard(data));
  });

  it('orders versions by xmax, then by fewer in-progress transactions', () => {
    expect(snapshotVersion(100, 0)).toBeGreaterThan(snapshotVersion(100, 1));
    expect(snapshotVersion(101, 50)).toBeGreaterThan(snapshotVersion(100, 0));
    expect(snapshotVersion(100, 5000)).toBe(snapshotVersion(100, 1023));
    expect(Number.isSafeInteger(snapshotVersion(2 ** 42, 0))).toBe(true);
  });

  describe('cannotChangeBoard (fast path)', () => {
    const full = board([100, 90, 80, 70, 60, 50, 40, 30, 20, 10]);
    it('skips a user below the 10th score who is not on the board', () => expect(cannotChangeBoard(full, 99, 9)).toBe(true));
    it('refreshes on a tie with the 10th score', () => expect(cannotChangeBoard(full, 99, 10)).toBe(false));
    it('refreshes when the user is on the board', () => expect(cannotChangeBoard(full, 10, 11)).toBe(false));
    it('refreshes when the board is not full or unknown', () => {
      expect(cannotChangeBoard(full.slice(0, 9), 99, 1)).toBe(false);
      expect(cannotChangeBoard(undefined, 99, 1)).toBe(false);
    });
    it('on an ascending board (times) skips only a worse, i.e. higher, value', () => {
      const fastest = board([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
      expect(cannotChangeBoard(fastest, 99, 101, 'asc')).toBe(true);
      expect(cannotChangeBoard(fastest, 99, 99, 'asc')).toBe(false);
      expect(cannotChangeBoard(fastest, 99, 100, 'asc')).toBe(false);
    });
  });

  it('tells standings apart by period and hash', () => {
    const one = toSnapshot('b', 1, [], 5);
    expect(sameBoard(one, toSnapshot('b', 1, [], 6))).toBe(true);
    expect(sameBoard(one, toSnapshot('b', 2, [], 6))).toBe(false);
    expect(sameBoard(one, toSnapshot('b', 1, board([1]), 6))).toBe(false);
    expect(sameBoard(undefined, one)).toBe(false);
  });

  it('sees a rename or a deletion of a user on the standings, and nothing else', () => {
    const shown = board([30, 20]);
    expect(showsUsers(shown, [{ userId: 2, name: 'u2' }], [])).toBe(false);
    expect(showsUsers(shown, [{ userId: 2, name: 'Bo' }], [])).toBe(true);
    expect(showsUsers(shown, [], [1])).toBe(true);
    expect(showsUsers(shown, [{ userId: 9, name: 'x' }], [8])).toBe(false);
    expect(showsUsers(undefined, [], [1])).toBe(false);
  });
});
