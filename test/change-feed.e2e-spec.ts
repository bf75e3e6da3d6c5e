import { Client } from 'pg';
import { startTestApp, startTestDatabase, TestContext } from './support/fixture';
import { counter } from './support/metrics';
import { expectIndexEqualsSql } from './support/rank-index';
import { eventsWithin, nextEvent, record, Socket } from './support/socket';
import { sqlRanks, sqlTop10 } from './support/sql-order';
import { waitUntil } from './support/wait';

type Update = { version: number; data: { id: number; score: number }[] };

/** Every user's score equals the sum of their ledger rows, whoever changed it. */
async function ledgerMismatches(t: TestContext): Promise<unknown[]> {
  return t.db
    .query(`SELECT u.id, u.score, coalesce(sum(e.points), 0) AS ledger FROM users u LEFT JOIN score_events e ON e.user_id = u.id AND e.board = 'global'
                      GROUP BY u.id HAVING u.score <> coalesce(sum(e.points), 0)`);
}

describe('the change feed: changes made outside the service', () => {
  let sut: TestContext;
  let viewer: Socket;
  let ids: number[];

  beforeAll(async () => {
    sut = await startTestApp({ redis: true, env: { SCORE_RATE_LIMIT: '0', IP_RATE_LIMIT: '0' } });
    ids = await sut.createUsers(Array.from({ length: 14 }, (_, i) => `p${i}`));
    for (const [i, id] of ids.entries()) expect((await sut.submit(id, 10 + 10 * i)).status).toBe(200);
    viewer = await sut.watch();
  });

  it("writes no adjustment for the service's own submissions", async () => {
    const [{ n }] = await sut.db.query<{ n: string }>(`SELECT count(*) AS n FROM score_events WHERE reason IS NOT NULL`);
    expect(Number(n)).toBe(0);
    expect(await ledgerMismatches(sut)).toEqual([]);
  });

  it('an outside UPDATE in the top 10 is pushed, ranks follow, and the ledger records the difference', async () => {
    const last = ids[0]; // 10 points, bottom of the table
    const moved = nextEvent<Update>(viewer, 'leaderboard:update', 5000, (u) => u.data[0]?.id === last);
    await sut.db.query('UPDATE users SET score = 1000, updated_at = now() WHERE id = $1', [last]);
    expect((await moved).data).toEqual(await sqlTop10(sut.db));
    const rows = await sut.db.query(`SELECT points, action_id, reason FROM score_events WHERE user_id = $1 AND reason IS NOT NULL`, [last]);
    expect(rows).toEqual([{ points: '990', action_id: null, reason: 'outside change' }]);
    expect(await ledgerMismatches(sut)).toEqual([]);
    await expectIndexEqualsSql(sut);
  });

  it('an outside change below the top 10 is not pushed (control: one in the top 10 is)', async () => {
    const seen = record<Update>(viewer, 'leaderboard:update');
    const top = await sqlTop10(sut.db);
    const below = ids.find((id) => !top.some((e) => e.id === id))!;
    await sut.db.query('UPDATE users SET score = score + 1 WHERE id = $1', [below]);
    await expectIndexEqualsSql(sut); // the feed has been read past that change
    expect(await eventsWithin(viewer, 'leaderboard:update', 300)).toEqual([]);
    const pushed = nextEvent<Update>(viewer, 'leaderboard:update', 5000);
    await sut.db.query('UPDATE users SET score = score + 1 WHERE id = $1', [top[9].id]);
    expect((await pushed).data).toEqual(await sqlTop10(sut.db));
    expect(seen).toHaveLength(1);
  });

  it('an outside INSERT with a starting score is ledgered and ranked; an outside DELETE of the leader closes the gap', async () => {
    const [{ id }] = await sut.db.query<{ id: string }>(
      `INSERT INTO users (name, score, created_at, updated_at) VALUES ('Imported', 500, now(), now()) RETURNING id`,
    );
    expect(await sut.db.query(`SELECT points, reason FROM score_events WHERE user_id = $1`, [id])).toEqual([
      { points: '500', reason: 'outside change' },
    ]);
    const leader = (await sqlTop10(sut.db))[0].id;
    const gone = nextEvent<Update>(viewer, 'leaderboard:update', 5000, (u) => !u.data.some((e) => e.id === leader));
    await sut.db.query('DELETE FROM score_events WHERE user_id = $1', [leader]);
    await sut.db.query('DELETE FROM users WHERE id = $1', [leader]);
    expect((await gone).data).toEqual(await sqlTop10(sut.db));
    expect((await sut.request('GET', `/api/users/${leader}`)).status).toBe(404);
    await expectIndexEqualsSql(sut);
    expect(await ledgerMismatches(sut)).toEqual([]);
  });

  it('is not held back by a long transaction in another database; one in its own database delays but loses nothing', async () => {
    const other = await startTestDatabase();
    const foreign = new Client({ connectionString: other.url });
    const local = new Client({ connectionString: sut.db.url });
    await Promise.all([foreign.connect(), local.connect()]);
    try {
      await foreign.query('BEGIN');
      await foreign.query('SELECT pg_current_xact_id()'); // holds an xid, like a long import elsewhere on the cluster
      const [first] = await sqlTop10(sut.db);
      const pushed = nextEvent<Update>(
        viewer,
        'leaderboard:update',
        5000,
        (u) => u.data[0]?.id === first.id && u.data[0].score === first.score + 5,
      );
      await sut.db.query('UPDATE users SET score = score + 5 WHERE id = $1', [first.id]);
      expect((await pushed).data).toEqual(await sqlTop10(sut.db));

      await local.query('BEGIN');
      await local.query('SELECT pg_current_xact_id()'); // an open write transaction in the service's own database
      const held = nextEvent<Update>(viewer, 'leaderboard:update', 8000, (u) => u.data[0]?.score === first.score + 10);
      await sut.db.query('UPDATE users SET score = score + 5 WHERE id = $1', [first.id]);
      expect(await eventsWithin(viewer, 'leaderboard:update', 500)).toEqual([]);
      await local.query('COMMIT');
      expect((await held).data).toEqual(await sqlTop10(sut.db));
    } finally {
      await foreign.query('ROLLBACK').catch(() => undefined);
      await Promise.all([foreign.end(), local.end()]);
    }
  });

  it('skips a feed row it cannot parse, counts it, and keeps following', async () => {
    const before = await counter(sut, 'change_feed_bad_rows_total');
    await sut.db.query(`INSERT INTO user_changes (op) VALUES ('X')`);
    const id = ids[5];
    await sut.db.query('UPDATE users SET score = score + 7 WHERE id = $1', [id]);
    await waitUntil('bad row counted', async () => (await counter(sut, 'change_feed_bad_rows_total')) === before + 1);
    await expectIndexEqualsSql(sut);
  });

  it('a bulk import of 100,000 users and a bulk UPDATE of all of them keep ranks exact and O(log n)', async () => {
    await sut.db.query(`INSERT INTO users (name, score) SELECT 'bulk' || g, (g * 7919) % 100000 FROM generate_series(1, 100000) g`);
    const sample = (await sut.db.query<{ id: string }>(`SELECT id FROM users ORDER BY random() LIMIT 100`)).map((r) => Number(r.id));
    await expectIndexEqualsSql(sut, sample, 60_000);
    const fromIndex = await counter(sut, 'rank_lookups_total', 'source="index"');
    const { body } = await sut.request('GET', `/api/users/${sample[0]}`);
    expect(body.rank).toBe((await sqlRanks(sut.db)).get(sample[0]));
    expect(await counter(sut, 'rank_lookups_total', 'source="index"')).toBe(fromIndex + 1);

    await sut.db.query(`UPDATE users SET score = score + (id % 13)`);
    await expectIndexEqualsSql(sut, sample, 60_000);
    expect(await ledgerMismatches(sut)).toEqual([]);
    await waitUntil(
      'board follows',
      async () => JSON.stringify((await sut.request('GET', '/api/leaderboard')).body.data) === JSON.stringify(await sqlTop10(sut.db)),
    );
  }, 120_000);

  it('an outside TRUNCATE … CASCADE empties everything derived', async () => {
    const emptied = nextEvent<Update>(viewer, 'leaderboard:update', 10_000, (u) => u.data.length === 0);
    await sut.db.query('TRUNCATE users CASCADE');
    expect((await emptied).data).toEqual([]);
    const [fresh] = await sut.createUsers(['After']);
    expect((await sut.submit(fresh, 5)).body.rank).toBe(1);
    await expectIndexEqualsSql(sut);
  }, 30_000);
});
