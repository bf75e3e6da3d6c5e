import { RankIndex } from '../src/ranking/rank-index';
import { RankIndexRebuilder } from '../src/ranking/rank-index-rebuilder';
import { RankStore } from '../src/ranking/rank-store';
import { RedisConnection } from '../src/redis/redis-connection';
import { startApp, TestApp } from './support/app';
import { createTestDatabase, TestDatabase } from './support/database';
import { sqlRanks } from './support/ranks';
import { backendToken } from './support/tokens';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('rank index', () => {
  let db: TestDatabase;
  let sut: TestApp;
  let index: RankIndex;
  const ids: number[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    sut = await startApp({ DATABASE_URL: db.url, REDIS_URL, SCORE_RATE_LIMIT: '0', RANK_INDEX_MIN_USERS: '0' });
    index = sut.app.get(RankIndex);
    await sut.app.get(RankIndexRebuilder).rebuild(false);
    for (let i = 0; i < 40; i++) ids.push((await sut.request('POST', '/api/users', { body: { name: `p${i}` }, token: backendToken() })).body.id);
  });
  afterAll(async () => {
    await sut?.close();
    await db?.drop();
  });

  const submit = (id: number, score: number) => sut.request('POST', `/api/users/${id}/score`, { body: { score }, token: backendToken() });

  /** Asks the index itself (not the SQL fallback) for every user's rank and compares with SQL. */
  async function expectIndexEqualsSql(): Promise<void> {
    const expected = await sqlRanks(db);
    const actual = new Map<number, number | undefined>();
    for (const id of expected.keys()) actual.set(id, await index.rankOf(id));
    expect(actual).toEqual(expected);
  }

  it('ranks new users (score 0, tied) by who was there first, then id', async () => {
    await expectIndexEqualsSql();
  });

  it('equals SQL after concurrent submissions with many equal scores', async () => {
    // Few distinct point values so that many users share totals and the tie-break decides
    const responses = await Promise.all(ids.flatMap((id, i) => [submit(id, 1 + (i % 3)), submit(id, 1 + (i % 2))]));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    await expectIndexEqualsSql();
    const ranks = await sqlRanks(db);
    const { body } = await sut.request('GET', `/api/users/${ids[7]}`);
    expect(body.rank).toBe(ranks.get(ids[7]));
  });

  it('breaks exact ties (same score and same time) by id, and keeps 53-bit scores exact', async () => {
    await db.query(`UPDATE users SET score = 9007199254740991, updated_at = '2026-01-01T00:00:00.000001Z' WHERE id = ANY($1)`, [ids.slice(0, 3)]);
    await db.query(`UPDATE users SET score = 9007199254740990, updated_at = '2026-01-01T00:00:00.000000Z' WHERE id = ANY($1)`, [ids.slice(3, 5)]);
    await db.query(`UPDATE users SET score = 9007199254740991, updated_at = '2026-01-01T00:00:00.000000Z' WHERE id = $1`, [ids[10]]);
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
    const ranks = await sqlRanks(db);
    const user = await sut.request('GET', `/api/users/${ids[15]}`);
    expect(user.body.rank).toBe(ranks.get(ids[15]));
    await sut.app.get(RankIndexRebuilder).rebuild(false);
    await expectIndexEqualsSql();
  });
});

describe('ranks without Redis', () => {
  let db: TestDatabase;
  let sut: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    // No Redis configured: the index never answers (a Redis outage mid-run is covered by the faults suite)
    sut = await startApp({ DATABASE_URL: db.url, SCORE_RATE_LIMIT: '0' });
  });
  afterAll(async () => {
    await sut?.close();
    await db?.drop();
  });

  it('counts ranks in PostgreSQL', async () => {
    const a = (await sut.request('POST', '/api/users', { body: { name: 'a' }, token: backendToken() })).body;
    const b = (await sut.request('POST', '/api/users', { body: { name: 'b' }, token: backendToken() })).body;
    expect(await sut.app.get(RankIndex).rankOf(a.id)).toBeUndefined();
    const res = await sut.request('POST', `/api/users/${b.id}/score`, { body: { score: 5 }, token: backendToken() });
    expect(res.body.rank).toBe(1);
    expect((await sut.request('GET', `/api/users/${a.id}`)).body.rank).toBe(2);
  });
});
