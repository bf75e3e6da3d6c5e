import { RankIndex } from '../src/ranking/rank-index';
import { RankIndexRebuilder } from '../src/ranking/rank-index-rebuilder';
import { privateRedis, startTestApp, TestContext } from './support/fixture';
import { RedisServer } from './support/redis-server';
import { sqlRanks } from './support/sql-order';
import { waitUntil } from './support/wait';

describe('rank index across a Redis outage', () => {
  let redis: RedisServer;
  let sut: TestContext;
  let index: RankIndex;
  let ids: number[];

  beforeAll(async () => {
    redis = await privateRedis();
    sut = await startTestApp({ redis: redis.url, env: { SCORE_RATE_LIMIT: '0', RANK_INDEX_MIN_USERS: '0' } });
    index = sut.app.get(RankIndex);
    await sut.app.get(RankIndexRebuilder).rebuild(false);
    ids = await sut.createUsers(Array.from({ length: 12 }, (_, i) => `p${i}`));
  });

  async function indexRanks(): Promise<Map<number, number | undefined>> {
    const ranks = new Map<number, number | undefined>();
    for (const id of ids) ranks.set(id, await index.rankOf(id));
    return ranks;
  }

  it('counts in PostgreSQL while Redis is down, and is rebuilt with what it missed when Redis returns', async () => {
    for (const [i, id] of ids.entries()) await sut.submit(id, 1 + (i % 4));
    expect(await indexRanks()).toEqual(await sqlRanks(sut.db));

    await redis.kill();
    // Submitted while the index cannot hear about it: ranks come from SQL and stay right
    for (const id of ids.slice(6)) {
      const res = await sut.submit(id, 7);
      expect(res.status).toBe(200);
      expect(res.body.rank).toBe((await sqlRanks(sut.db)).get(id));
    }
    expect(await index.rankOf(ids[0])).toBeUndefined();

    await redis.start(); // empty: everything must come back from PostgreSQL
    await waitUntil('rank index rebuilt', async () => (await index.rankOf(ids[0])) !== undefined, 20_000);
    expect(await indexRanks()).toEqual(await sqlRanks(sut.db));
  });
});
