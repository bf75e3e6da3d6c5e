import { RankIndex } from '../src/ranking/rank-index';
import { RankIndexRebuilder } from '../src/ranking/rank-index-rebuilder';
import { RankStore } from '../src/ranking/rank-store';
import { RedisConnection } from '../src/redis/redis-connection';
import { startTestApp, TestContext } from './support/fixture';
import { sqlRanks } from './support/sql-order';

describe('rank index', () => {
  let sut: TestContext;
  let index: RankIndex;
  let ids: number[];

  beforeAll(async () => {
    sut = await startTestApp({ redis: true, env: { SCORE_RATE_LIMIT: '0', RANK_INDEX_MIN_USERS: '0' } });
    index = sut.app.get(RankIndex);
    await sut.app.get(RankIndexRebuilder).rebuild(false);
    ids = await sut.createUsers(Array.from({ length: 40 }, (_, i) => `p${i}`));
  });

  /** Asks the index itself (not the SQL fallback) for every user's rank and compares with SQL. */
  async function expectIndexEqualsSql(): Promise<void> {
    const expected = await sqlRanks(sut.db);
    const actual = new Map<number, number | undefined>();
    for (const id of expected.keys()) actual.set(id, await index.rankOf(id));
    expect(actual).toEqual(expected);
  }

  it('ranks new users (score 0, tied) by who was there first, then id', async () => {
    await expectIndexEqualsSql();
  });

  it('equals SQL after concurrent submissions with many equal scores', async () => {
    // Few distinct point values so that many users share totals and the tie-break decides
    const responses = await Promise.all(ids.flatMap((id, i) => [sut.submit(id, 1 + (i % 3)), sut.submit(id, 1 + (i % 2))]));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    await expectIndexEqualsSql();
    const ranks = await sqlRanks(sut.db);
    const { body } = await sut.request('GET', `/api/users/${ids[7]}`);
    expect(body.rank).toBe(ranks.get(ids[7]));
  });

  it('breaks exact ties (same score and same time) by id, and keeps 53-bit scores exact', async () => {
    await sut.db.query(`UPDATE users SET score = 9007199254740991, updated_at = '2026-01-01T00:00:00.000001Z' WHERE id = ANY($1)`, [
      ids.slice(0, 3),
    ]);
    await sut.db.query(`UPDATE users SET score = 9007199254740990, updated_at = '2026-01-01T00:00:00.000000Z' WHERE id = ANY($1)`, [
      ids.slice(3, 5),
    ]);
    await sut.db.query(`UPDATE users SET score = 9007199254740991, updated_at = '2026-01-01T00:00:00.000000Z' WHERE id = $1`, [ids[10]]);
    await sut.app.get(RankIndexRebuilder).rebuild(true);
    expect(await index.rankOf(ids[10])).toBe(1);
    expect(await index.rankOf(ids[0])).toBe(2);
    expect(await index.rankOf(ids[4])).toBe(6);
    await expectIndexEqualsSql();
  });

  it('ignores an update older than what it holds (late or out-of-order events)', async () => {
    const store = sut.app.get(RankStore);
    const before = await index.rankOf(ids[20]);
    expect(await store.apply([{ userId: ids[20], score: 0, reachedAt: 0 }])).toBe(0);
    expect(await index.rankOf(ids[20])).toBe(before);
    await expectIndexEqualsSql();
  });

  it('falls back to SQL while the index is missing, and rebuilds it', async () => {
    const redis = sut.app.get(RedisConnection);
    await redis.client!.del(['z', 'members', 'ready'].map((k) => redis.key('rank', k)));
    const ranks = await sqlRanks(sut.db);
    const user = await sut.request('GET', `/api/users/${ids[15]}`);
    expect(user.body.rank).toBe(ranks.get(ids[15]));
    await sut.app.get(RankIndexRebuilder).rebuild(false);
    await expectIndexEqualsSql();
  });
});

describe('ranks without Redis', () => {
  let sut: TestContext;

  beforeAll(async () => {
    // No Redis configured: the index never answers (a Redis outage mid-run is covered by the faults suite)
    sut = await startTestApp({ env: { SCORE_RATE_LIMIT: '0' } });
  });

  it('counts ranks in PostgreSQL', async () => {
    const [a, b] = await sut.createUsers(['a', 'b']);
    expect(await sut.app.get(RankIndex).rankOf(a)).toBeUndefined();
    const res = await sut.submit(b, 5);
    expect(res.body.rank).toBe(1);
    expect((await sut.request('GET', `/api/users/${a}`)).body.rank).toBe(2);
  });
});
