import { RankIndex } from '../src/ranking/rank-index';
import { RankIndexRebuilder } from '../src/ranking/rank-index-rebuilder';
import { waitUntil } from './support/ports';
import { startApp, TestApp } from './support/app';
import { createTestDatabase, TestDatabase } from './support/database';
import { RedisServer, startRedisServer } from './support/redis-server';
import { sqlRanks } from './support/ranks';
import { backendToken } from './support/tokens';

jest.setTimeout(30_000);

describe('rank index across a Redis outage', () => {
  let db: TestDatabase;
  let redis: RedisServer;
  let sut: TestApp;
  let index: RankIndex;
  const ids: number[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = await startRedisServer();
    sut = await startApp({ DATABASE_URL: db.url, REDIS_URL: redis.url, SCORE_RATE_LIMIT: '0', RANK_INDEX_MIN_USERS: '0' });
    index = sut.app.get(RankIndex);
    await sut.app.get(RankIndexRebuilder).rebuild(false);
    for (let i = 0; i < 12; i++) ids.push((await sut.request('POST', '/api/users', { body: { name: `p${i}` }, token: backendToken() })).body.id);
  });
  afterAll(async () => {
    await sut?.close();
    await redis?.kill();
    await db?.drop();
  });

  const submit = (id: number, score: number) => sut.request('POST', `/api/users/${id}/score`, { body: { score }, token: backendToken() });

  async function indexRanks(): Promise<Map<number, number | undefined>> {
    const ranks = new Map<number, number | undefined>();
    for (const id of ids) ranks.set(id, await index.rankOf(id));
    return ranks;
  }

  it('counts in PostgreSQL while Redis is down, and is rebuilt with what it missed when Redis returns', async () => {
    for (const [i, id] of ids.entries()) await submit(id, 1 + (i % 4));
    expect(await indexRanks()).toEqual(await sqlRanks(db));

    await redis.kill();
    // Submitted while the index cannot hear about it: ranks come from SQL and stay right
    for (const id of ids.slice(6)) {
      const res = await submit(id, 7);
      expect(res.status).toBe(200);
      expect(res.body.rank).toBe((await sqlRanks(db)).get(id));
    }
    expect(await index.rankOf(ids[0])).toBeUndefined();

    await redis.start(); // empty: everything must come back from PostgreSQL
    await waitUntil('rank index rebuilt', async () => (await index.rankOf(ids[0])) !== undefined, 20_000);
    expect(await indexRanks()).toEqual(await sqlRanks(db));
  });
});
