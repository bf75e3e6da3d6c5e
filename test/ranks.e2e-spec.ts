import { GLOBAL, RankStore } from '../src/ranking/rank-store';
import { RedisConnection } from '../src/redis/redis-connection';
import { startTestApp, TestContext } from './support/fixture';
import { counter } from './support/metrics';
import { expectIndexEqualsSql, indexRanks } from './support/rank-index';
import { sqlRanks } from './support/sql-order';

describe('rank index', () => {
  let sut: TestContext;
  let ids: number[];

  beforeAll(async () => {
    sut = await startTestApp({ redis: true, env: { SCORE_RATE_LIMIT: '0' } });
    ids = await sut.createUsers(Array.from({ length: 40 }, (_, i) => `p${i}`));
  });

  it('ranks new users (score 0, tied) by who was there first, then id', async () => {
    await expectIndexEqualsSql(sut);
  });

  it('equals SQL after concurrent submissions with many equal scores, and answers each submitter its rank', async () => {
    const counted = await counter(sut, 'rank_lookups_total', 'source="database"');
    // Few distinct point values so that many users share totals and the tie-break decides
    const responses = await Promise.all(ids.flatMap((id, i) => [sut.submit(id, 1 + (i % 3)), sut.submit(id, 1 + (i % 2))]));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(await counter(sut, 'rank_lookups_total', 'source="database"')).toBe(counted); // every submitter's rank from the index
    await expectIndexEqualsSql(sut);
    const ranks = await sqlRanks(sut.db);
    const { body } = await sut.request('GET', `/api/users/${ids[7]}`);
    expect(body.rank).toBe(ranks.get(ids[7]));
  });

  it('follows outside edits: exact ties (same score and time) break by id, 53-bit scores stay exact', async () => {
    await sut.db.query(`UPDATE users SET score = 9007199254740991, updated_at = '2026-01-01T00:00:00.000001Z' WHERE id = ANY($1)`, [
      ids.slice(0, 3),
    ]);
    await sut.db.query(`UPDATE users SET score = 9007199254740990, updated_at = '2026-01-01T00:00:00.000000Z' WHERE id = ANY($1)`, [
      ids.slice(3, 5),
    ]);
    await sut.db.query(`UPDATE users SET score = 9007199254740991, updated_at = '2026-01-01T00:00:00.000000Z' WHERE id = $1`, [ids[10]]);
    await expectIndexEqualsSql(sut);
    expect([...(await indexRanks(sut, [ids[10], ids[0], ids[4]])).values()]).toEqual([1, 2, 6]);
  });

  it('applies a feed page only at the position it starts from (a replayed or stale page changes nothing)', async () => {
    const store = sut.app.get(RankStore);
    const position = (await store.storedPosition())!;
    const stale = `${'0'.repeat(20)}:${'0'.repeat(20)}`;
    expect(
      await store.follow(stale, position, [
        { namespace: GLOBAL, entries: [{ userId: ids[20], score: 0, reachedAt: 0 }], removed: [ids[21]] },
      ]),
    ).toBe(position);
    await expectIndexEqualsSql(sut);
  });

  it('falls back to SQL while the index is missing, and rebuilds it', async () => {
    const rebuilds = await counter(sut, 'rank_index_rebuilds_total');
    const redis = sut.app.get(RedisConnection);
    await redis.client!.del([
      redis.key('rank', '{ranks}', 'global', 'z'),
      redis.key('rank', '{ranks}', 'global', 'members'),
      redis.key('rank', '{ranks}', 'position'),
    ]);
    const ranks = await sqlRanks(sut.db);
    const user = await sut.request('GET', `/api/users/${ids[15]}`);
    expect(user.body.rank).toBe(ranks.get(ids[15]));
    await expectIndexEqualsSql(sut);
    expect(await counter(sut, 'rank_index_rebuilds_total')).toBe(rebuilds + 1);
  });

  it('resumes from its stored position after a restart, catching up on what changed meanwhile without a rebuild', async () => {
    await sut.close();
    // More rows than one feed page, written while no instance runs
    await sut.db.query(`INSERT INTO users (name, score) SELECT 'late' || g, g FROM generate_series(1, 6000) g`);
    await sut.db.query(`UPDATE users SET score = score + 3 WHERE id = ANY($1)`, [ids.slice(30)]);
    const restarted = await sut.startInstance();
    const late = await sut.db.query<{ id: string }>(`SELECT id FROM users WHERE name LIKE 'late%' ORDER BY random() LIMIT 50`);
    await expectIndexEqualsSql(restarted, [...ids, ...late.map((r) => Number(r.id))]);
    expect(await counter(restarted, 'rank_index_rebuilds_total')).toBe(0);
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
    expect([...(await indexRanks(sut, [a])).values()]).toEqual([undefined]);
    expect((await sut.submit(b, 5)).body.rank).toBe(1);
    expect((await sut.request('GET', `/api/users/${a}`)).body.rank).toBe(2);
  });
});
