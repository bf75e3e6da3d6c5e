import { AppBuild, AppProcess, buildApp, startAppProcess } from '../support/app-process';
import { TestDatabase } from '../support/database';
import { onTeardown, startTestDatabase } from '../support/fixture';
import { randomBytes } from 'node:crypto';
import { counter } from '../support/metrics';
import { TEST_REDIS_URL } from '../support/redis-server';
import { sqlRanks, sqlTop10 } from '../support/sql-order';
import { backendToken } from '../support/tokens';
import { waitUntil } from '../support/wait';

const USERS = 20;
const SUBMISSIONS = 2000;
const KILL_AFTER_ACKS = 300;

interface Submission {
  userId: number;
  actionId: string;
  points: number;
}

describe('fault: the app is SIGKILLed with 2,000 submissions in flight', () => {
  let build: AppBuild;
  let db: TestDatabase;
  let app: AppProcess | undefined;

  beforeAll(async () => {
    [build, db] = await Promise.all([buildApp(), startTestDatabase()]);
    onTeardown(() => build.remove());
    onTeardown(() => app?.kill('SIGKILL'));
  }, 60_000);

  const post = (url: string, path: string, body: unknown) =>
    fetch(url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${backendToken()}` },
      body: JSON.stringify(body),
    });

  it('loses nothing that was acknowledged, every score equals the sum of its ledger rows, and nothing derived is stale', async () => {
    const env = { DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: `test:${randomBytes(4).toString('hex')}:` };
    app = await startAppProcess(build.mainJs, env);
    const users: number[] = [];
    for (let i = 0; i < USERS; i++)
      users.push(((await (await post(app.url, '/api/users', { name: `crash-${i}` })).json()) as { id: number }).id);
    const submissions: Submission[] = Array.from({ length: SUBMISSIONS }, (_, i) => ({
      userId: users[i % USERS],
      actionId: `crash-${i}`,
      points: 1 + (i % 10),
    }));

    const acknowledged: Submission[] = [];
    const running = app;
    const inFlight = submissions.map(async (s) => {
      const res = await post(running.url, `/api/users/${s.userId}/score`, { score: s.points, actionId: s.actionId }).catch(() => undefined);
      // Only a complete 200 with its body counts as acknowledged
      const body = res?.status === 200 ? await res.json().catch(() => undefined) : undefined;
      if (body) acknowledged.push(s);
    });
    await waitUntil(`${KILL_AFTER_ACKS} acknowledgements`, () => acknowledged.length >= KILL_AFTER_ACKS, 30_000, 1);
    await running.kill('SIGKILL');
    await Promise.all(inFlight);
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    expect(acknowledged.length).toBeLessThan(SUBMISSIONS); // the kill really happened mid-load

    app = await startAppProcess(build.mainJs, env);
    const rows = await db.query<{ user_id: string; action_id: string; points: string }>(
      'SELECT user_id, action_id, points FROM score_events',
    );
    const stored = new Map(rows.map((r) => [`${r.user_id}/${r.action_id}`, Number(r.points)])); // bigint: a string from pg
    const lost = acknowledged.filter((s) => stored.get(`${s.userId}/${s.actionId}`) !== s.points);
    expect(lost).toEqual([]);
    expect(await mismatchedTotals(db)).toEqual([]);

    // The client retries everything with the same actionIds: each action ends up counted exactly once
    for (let i = 0; i < SUBMISSIONS; i += 200) {
      const statuses = await Promise.all(
        submissions
          .slice(i, i + 200)
          .map(async (s) => (await post(app!.url, `/api/users/${s.userId}/score`, { score: s.points, actionId: s.actionId })).status),
      );
      expect(statuses.every((status) => status === 200)).toBe(true);
    }
    const [{ n, sum }] = await db.query<{ n: string; sum: string }>('SELECT count(*) AS n, sum(points) AS sum FROM score_events');
    expect([Number(n), Number(sum)]).toEqual([SUBMISSIONS, submissions.reduce((total, s) => total + s.points, 0)]);
    expect(await mismatchedTotals(db)).toEqual([]);

    // The rank index (in Redis, positioned in the change feed) and the board resumed past the kill: exact, from the index
    const fromIndex = await counter(app.url, 'rank_lookups_total', 'source="index"');
    const ranks = await sqlRanks(db);
    for (const id of users)
      expect(((await (await fetch(`${app.url}/api/users/${id}`)).json()) as { rank: number }).rank).toBe(ranks.get(id));
    expect(await counter(app.url, 'rank_lookups_total', 'source="index"')).toBe(fromIndex + USERS);
    await waitUntil(
      'the board to equal SQL',
      async () =>
        JSON.stringify(((await (await fetch(`${app!.url}/api/leaderboard`)).json()) as { data: unknown }).data) ===
        JSON.stringify(await sqlTop10(db)),
    );
  }, 120_000);
});

/** Users whose score is not the sum of their ledger rows (should be none). */
function mismatchedTotals(db: TestDatabase) {
  return db.query(`SELECT u.id, u.score, COALESCE(sum(e.points), 0) AS ledger FROM users u LEFT JOIN score_events e ON e.user_id = u.id AND e.board = 'global'
                   GROUP BY u.id HAVING u.score <> COALESCE(sum(e.points), 0)`);
}
