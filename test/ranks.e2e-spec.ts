import { randomBytes } from 'node:crypto';
import { RankStore } from '../src/ranking/rank-store';
import { RedisConnection } from '../src/redis/redis-connection';
import { startApp, TestApp } from './support/app';
import { createTestDatabase, TestDatabase } from './support/database';
import { counter } from './support/leaderboard';
import { waitUntil } from './support/ports';
import { indexRanks, sqlRanks } from './support/ranks';
import { backendToken } from './support/tokens';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('rank index', () => {
  let db: TestDatabase;
  let sut: TestApp;
  const ids: number[] = [];
  const env = () => ({ DATABASE_URL: db.url, REDIS_URL, REDIS_PREFIX: prefix, SCORE_RATE_LIMIT: '0' });
  const prefix = `test:${randomBytes(4).toString('hex')}:`;

  beforeAll(async () => {
    db = await createTestDatabase();
    sut = await startApp(env());
    for (let i = 0; i < 40; i++) ids.push((await sut.request('POST', '/api/users', { body: { name: `p${i}` }, token: backendToken() })).body.id);
  });
  afterAll(async () => {
    await sut?.close();
    await db?.drop();
  });

  const submit = (id: number, score: number) => sut.request('POST', `/api/users/${id}/score`, { body: { score }, token: backendToken() });

  /** Asks the index itself (not the SQL fallback) for every user's rank and compares with SQL. */
  async function expectIndexEqualsSql(app = sut): Promise<void> {
    const expected = await sqlRanks(db);
    await waitUntil('rank index equals SQL', async () => JSON.stringify([...(await indexRanks(app, db, [...expected.keys()]))]) === JSON.stringify([...expected]));
  }

  it('ranks new users (score 0, tied) by who was there first, then id', async () => {
    await expectIndexEqualsSql();
  });

  it('equals SQL after concurrent submissions with many equal scores, and answers each submitter its rank', async () => {
    // Few distinct point values so that many users share totals and the tie-break decides
    const responses = await Promise.all(ids.flatMap((id, i) => [submit(id, 1 + (i % 3)), submit(id, 1 + (i % 2))]));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    await expectIndexEqualsSql();
    const ranks = await sqlRanks(db);
    const { body } = await sut.request('GET', `/api/users/${ids[7]}`);
    expect(body.rank).toBe(ranks.get(ids[7]));
  });

  it('follows outside edits: exact ties (same score and time) break by id, 53-bit scores stay exact', async () => {
    await db.query(`UPDATE users SET score = 9007199254740991, updated_at = '2026-01-01T00:00:00.000001Z' WHERE id = ANY($1)`, [ids.slice(0, 3)]);
    await db.query(`UPDATE users SET score = 9007199254740990, updated_at = '2026-01-01T00:00:00.000000Z' WHERE id = ANY($1)`, [ids.slice(3, 5)]);
    await db.query(`UPDATE users SET score = 9007199254740991, updated_at = '2026-01-01T00:00:00.000000Z' WHERE id = $1`, [ids[10]]);
    await expectIndexEqualsSql();
    const ranks = await indexRanks(sut, db, [ids[10], ids[0], ids[4]]);
    expect([...ranks.values()]).toEqual([1, 2, 6]);
  });

  it('applies a feed page only at the position it starts from (a replayed or stale page changes nothing)', async () => {
    const store = sut.app.get(RankStore);
    const position = (await store.position())!;
    const stale = `${'0'.repeat(20)}:${'0'.repeat(20)}`;
    expect(await store.follow(stale, position, [{ userId: ids[20], score: 0, reachedAt: 0 }], [ids[21]])).toBe(position);
    await expectIndexEqualsSql();
  });

  it('falls back to SQL while the index is missing, and rebuilds it', async () => {
    const rebuilds = await counter(sut, 'rank_index_rebuilds_total');
    const redis = sut.app.get(RedisConnection);
    await redis.client!.del(['z', 'members', 'position'].map((k) => redis.key('rank', '{global}', k)));
    const ranks = await sqlRanks(db);
    const user = await sut.request('GET', `/api/users/${ids[15]}`);
    expect(user.body.rank).toBe(ranks.get(ids[15]));
    await expectIndexEqualsSql();
    expect(await counter(sut, 'rank_index_rebuilds_total')).toBe(rebuilds + 1);
  });

  it('resumes from its stored position after a restart, catching up on what changed meanwhile without a rebuild', async () => {
    await sut.close();
    // More rows than one feed page, written while no instance runs
    await db.query(`INSERT INTO users (name, score) SELECT 'late' || g, g FROM generate_series(1, 6000) g`);
    await db.query(`UPDATE users SET score = score + 3 WHERE id = ANY($1)`, [ids.slice(30)]);
    sut = await startApp(env());
    const sample = [...ids, ...(await db.query<{ id: string }>(`SELECT id FROM users WHERE name LIKE 'late%' ORDER BY random() LIMIT 50`)).map((r) => Number(r.id))];
    const expected = await sqlRanks(db);
    await waitUntil('caught up', async () => {
      const index = await indexRanks(sut, db, sample);
      return sample.every((id) => index.get(id) === expected.get(id));
    });
    expect(await counter(sut, 'rank_index_rebuilds_total')).toBe(0);
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
    expect([...(await indexRanks(sut, db, [a.id])).values()]).toEqual([undefined]);
    const res = await sut.request('POST', `/api/users/${b.id}/score`, { body: { score: 5 }, token: backendToken() });
    expect(res.body.rank).toBe(1);
    expect((await sut.request('GET', `/api/users/${a.id}`)).body.rank).toBe(2);
  });
});
