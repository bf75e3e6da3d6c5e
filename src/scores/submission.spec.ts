import { ledgerKey, resolveOutcomes, Submission } from './submission';

describe('resolveOutcomes', () => {
  const users = new Map([
    [1, { name: 'Ann', score: 130 }],
    [2, { name: 'Bob', score: 5 }],
  ]);

  it('gives each submission the running total it would have seen alone', () => {
    const batch: Submission[] = [
      { userId: 1, points: 10 },
      { userId: 2, points: 5 },
      { userId: 1, points: 20, actionId: 'x' },
    ];
    const sut = resolveOutcomes(batch, { users, insertedKeys: new Set([ledgerKey(1, 'x')]), overMaximum: new Set() });
    expect(sut).toEqual([
      { status: 'applied', userId: 1, name: 'Ann', score: 110 },
      { status: 'applied', userId: 2, name: 'Bob', score: 5 },
      { status: 'applied', userId: 1, name: 'Ann', score: 130 },
    ]);
  });

  it('applies the first of equal actionIds in a batch and reports the rest as duplicates', () => {
    const batch: Submission[] = [
      { userId: 1, points: 30, actionId: 'a' },
      { userId: 1, points: 30, actionId: 'a' },
    ];
    const sut = resolveOutcomes(batch, { users, insertedKeys: new Set([ledgerKey(1, 'a')]), overMaximum: new Set() });
    expect(sut.map((o) => o.status)).toEqual(['applied', 'duplicate']);
    expect(sut.map((o) => 'score' in o && o.score)).toEqual([130, 130]);
  });

  it('reports an actionId already in the ledger as a duplicate with the current total', () => {
    const sut = resolveOutcomes([{ userId: 2, points: 9, actionId: 'old' }], { users, insertedKeys: new Set(), overMaximum: new Set() });
    expect(sut).toEqual([{ status: 'duplicate', userId: 2, name: 'Bob', score: 5 }]);
  });

  it('reports users the database does not know', () => {
    const sut = resolveOutcomes([{ userId: 3, points: 1 }], { users, insertedKeys: new Set(), overMaximum: new Set() });
    expect(sut).toEqual([{ status: 'unknown-user', userId: 3 }]);
  });

  it('reports a submission the statement left out (total past 2^53−1) without counting it in the running totals', () => {
    const batch: Submission[] = [
      { userId: 1, points: 10 },
      { userId: 1, points: 900 },
      { userId: 1, points: 20 },
    ];
    const sut = resolveOutcomes(batch, { users, insertedKeys: new Set(), overMaximum: new Set([1]) });
    expect(sut).toEqual([
      { status: 'applied', userId: 1, name: 'Ann', score: 110 },
      { status: 'over-maximum', userId: 1 },
      { status: 'applied', userId: 1, name: 'Ann', score: 130 },
    ]);
  });
});
