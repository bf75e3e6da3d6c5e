import { startTestApp, TestContext } from './support/fixture';
import { backendToken, playerToken } from './support/tokens';

describe('concurrent submissions', () => {
  let sut: TestContext;

  beforeAll(async () => {
    sut = await startTestApp({ env: { SCORE_RATE_LIMIT: '0' } });
  });

  it('applies the same actionId sent 100 times concurrently exactly once', async () => {
    const id = await sut.createUser('Racer');
    const responses = await Promise.all(
      Array.from({ length: 100 }, () =>
        sut.request('POST', `/api/users/${id}/score`, { body: { score: 7, actionId: 'same-action' }, token: playerToken(id) }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(100).fill(200));
    expect(responses.filter((r) => r.body.applied)).toHaveLength(1);
    expect(new Set(responses.map((r) => r.body.score))).toEqual(new Set([7]));
    const rows = await sut.db.query('SELECT points FROM score_events WHERE user_id = $1', [id]);
    expect(rows).toEqual([{ points: '7' }]); // bigint: a string from pg
  }, 30_000);

  it('keeps every total equal to the acknowledged points and to the ledger under 500 concurrent submissions', async () => {
    const users = await Promise.all(['A', 'B', 'C', 'D', 'E'].map((name) => sut.createUser(name)));
    const acknowledged = new Map(users.map((id) => [id, 0]));
    await Promise.all(
      Array.from({ length: 500 }, async (_, i) => {
        const id = users[i % users.length];
        const points = 1 + (i % 13);
        // every fifth submission repeats an earlier actionId: it must not count twice
        const actionId = i % 5 === 4 ? `act-${i - 1}` : `act-${i}`;
        const res = await sut.request('POST', `/api/users/${id}/score`, { body: { score: points, actionId }, token: backendToken() });
        expect(res.status).toBe(200);
        if (res.body.applied) acknowledged.set(id, acknowledged.get(id)! + points);
      }),
    );
    const totals = await sut.db.query<{ id: string; score: string; ledger: string }>(
      `SELECT u.id, u.score, (SELECT coalesce(sum(points), 0) FROM score_events e WHERE e.user_id = u.id) AS ledger
         FROM users u WHERE u.id = ANY($1) ORDER BY u.id`,
      [users],
    );
    for (const row of totals) {
      expect(Number(row.score)).toBe(acknowledged.get(Number(row.id)));
      expect(Number(row.ledger)).toBe(Number(row.score));
    }
    const applied = [...acknowledged.values()].reduce((a, b) => a + b, 0);
    expect(applied).toBeGreaterThan(0);
  }, 60_000);
});
