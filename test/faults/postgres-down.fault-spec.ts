import { onTeardown, privatePostgres, startTestApp, TestContext } from '../support/fixture';
import { PostgresServer } from '../support/postgres-server';
import { backendToken } from '../support/tokens';
import { waitUntil } from '../support/wait';

const WORKERS = 16;
const BOUND_MS = 3000;

interface Answer {
  status: number;
  ms: number;
  sentAt: number;
  userId: number;
  actionId: string;
}

describe('fault: PostgreSQL goes away mid-load and comes back', () => {
  let pg: PostgresServer;
  let sut: TestContext;
  let users: number[];
  const answers: Answer[] = [];
  let loading = true;
  let sequence = 0;

  /** One of WORKERS clients submitting back to back until told to stop. */
  async function worker(): Promise<void> {
    while (loading) {
      const userId = users[sequence % users.length];
      const actionId = `pg-${++sequence}`;
      const sentAt = Date.now();
      const res = await sut
        .request('POST', `/api/users/${userId}/score`, { body: { score: 1, actionId }, token: backendToken() })
        .catch(() => ({ status: 0 }));
      answers.push({ status: res.status, ms: Date.now() - sentAt, sentAt, userId, actionId });
    }
  }
  const health = () => sut.request('GET', '/health');

  beforeAll(async () => {
    pg = await privatePostgres();
    sut = await startTestApp({ databaseServer: pg.url, redis: true, env: { IP_RATE_LIMIT: '0' } });
    onTeardown(async () => {
      loading = false;
      await pg.start().catch(() => undefined); // closing the app waits for its pool, which needs a live server
    });
    users = await sut.createUsers(Array.from({ length: 5 }, (_, i) => `pg-${i}`));
  }, 60_000);

  it('answers 503 within a bounded time, reports it on /health, and recovers without a restart', async () => {
    const load = Array.from({ length: WORKERS }, () => worker());
    await waitUntil('submissions under load', () => answers.filter((a) => a.status === 200).length >= 200);

    await pg.stop('immediate');
    const stoppedAt = Date.now();
    await waitUntil('/health to report the database down', async () => (await health()).status === 503, 5000);
    expect((await health()).body).toMatchObject({ details: { database: { status: 'down' } } });
    await waitUntil('a second of load against the dead database', () => Date.now() - stoppedAt > 1000 + BOUND_MS);
    const whileDown = answers.filter((a) => a.sentAt > stoppedAt + BOUND_MS);
    expect(whileDown.length).toBeGreaterThan(WORKERS);
    expect(new Set(whileDown.map((a) => a.status))).toEqual(new Set([503]));
    expect(Math.max(...whileDown.map((a) => a.ms))).toBeLessThan(BOUND_MS);

    await pg.start();
    const restartedAt = Date.now();
    await waitUntil('submissions to succeed again', () => answers.some((a) => a.sentAt > restartedAt && a.status === 200), 20_000);
    await waitUntil('/health to report the database up', async () => (await health()).status === 200, 10_000);
    loading = false;
    await Promise.all(load);

    // No answer ever hung, nothing but 200 and 503 was answered, and nothing acknowledged was lost
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(BOUND_MS + 2000);
    expect([...new Set(answers.map((a) => a.status))].sort()).toEqual([200, 503]);
    const stored = new Set((await sut.db.query<{ action_id: string }>('SELECT action_id FROM score_events')).map((r) => r.action_id));
    expect(answers.filter((a) => a.status === 200 && !stored.has(a.actionId))).toEqual([]);
    const mismatched = await sut.db.query(
      `SELECT u.id FROM users u LEFT JOIN score_events e ON e.user_id = u.id GROUP BY u.id HAVING u.score <> COALESCE(sum(e.points), 0)`,
    );
    expect(mismatched).toEqual([]);
  }, 90_000);
});
