import { privateRedis, startTestApp, TestContext } from './support/fixture';
import { counter } from './support/metrics';
import { expectIndexEqualsSql, indexRanks } from './support/rank-index';
import { RedisServer } from './support/redis-server';
import { sqlRanks } from './support/sql-order';

describe('rank index across Redis faults while the feed moves', () => {
  let redis: RedisServer;
  let sut: TestContext;
  let ids: number[];

  beforeAll(async () => {
    redis = await privateRedis();
    sut = await startTestApp({ redis: redis.url, env: { SCORE_RATE_LIMIT: '0' } });
    ids = await sut.createUsers(Array.from({ length: 12 }, (_, i) => `p${i}`));
    for (const [i, id] of ids.entries()) await sut.submit(id, 1 + (i % 4));
    await expectIndexEqualsSql(sut);
  });

  it('a hung Redis (stopped, connections open): ranks counted in SQL meanwhile, then resumed from its position without a rebuild', async () => {
    const rebuilds = await counter(sut, 'rank_index_rebuilds_total');
    redis.signal('SIGSTOP');
    try {
      for (const id of ids.slice(0, 4)) {
        const res = await sut.submit(id, 9);
        expect(res.status).toBe(200);
        expect(res.body.rank).toBe((await sqlRanks(sut.db)).get(id));
      }
      await sut.db.query('UPDATE users SET score = score + 20 WHERE id = $1', [ids[11]]); // and an outside change
    } finally {
      redis.signal('SIGCONT');
    }
    await expectIndexEqualsSql(sut);
    expect(await counter(sut, 'rank_index_rebuilds_total')).toBe(rebuilds);
  });

  it('a killed Redis (data lost): ranks counted in SQL meanwhile, then the index is rebuilt with what it missed', async () => {
    const rebuilds = await counter(sut, 'rank_index_rebuilds_total');
    await redis.kill();
    // Submitted while the index cannot hear about it: ranks come from SQL and stay right
    for (const id of ids.slice(6)) {
      const res = await sut.submit(id, 7);
      expect(res.status).toBe(200);
      expect(res.body.rank).toBe((await sqlRanks(sut.db)).get(id));
    }
    await sut.db.query('DELETE FROM users WHERE id = $1', [ids[5]]);
    expect([...(await indexRanks(sut, [ids[0]])).values()]).toEqual([undefined]);

    await redis.start(); // empty: everything must come back from PostgreSQL
    await expectIndexEqualsSql(sut, undefined, 20_000);
    expect(await counter(sut, 'rank_index_rebuilds_total')).toBe(rebuilds + 1);
  });
});
