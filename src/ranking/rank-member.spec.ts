import { rankMember, zsetScore } from './rank-member';

describe('rank member encoding', () => {
  it('orders members lexicographically like (reached at, id) numerically', () => {
    const entries = [
      { userId: 9, score: 1, reachedAt: 1_764_201_600_000_001 },
      { userId: 10, score: 1, reachedAt: 1_764_201_600_000_000 },
      { userId: 2, score: 1, reachedAt: 1_764_201_600_000_000 },
      { userId: 9_007_199_254_740_991, score: 1, reachedAt: 99 },
    ];
    const sut = [...entries].sort((a, b) => (rankMember(a) < rankMember(b) ? -1 : 1));
    expect(sut.map((e) => e.userId)).toEqual([9_007_199_254_740_991, 2, 10, 9]);
  });

  it('keeps every member the same width', () => {
    expect(
      new Set(
        [
          rankMember({ userId: 1, score: 0, reachedAt: 0 }),
          rankMember({ userId: 123456789, score: 0, reachedAt: 1_764_201_600_123_456 }),
        ].map((m) => m.length),
      ).size,
    ).toBe(1);
  });

  it('negates scores exactly up to 2^53 − 1, and 0 stays 0', () => {
    expect(zsetScore(9_007_199_254_740_991)).toBe('-9007199254740991');
    expect(zsetScore(0)).toBe('0');
  });
});
