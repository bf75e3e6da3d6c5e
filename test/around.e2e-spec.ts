import { startTestApp, TestContext } from './support/fixture';
import { rankedIds, sqlBoard } from './support/sql-order';

describe('GET /api/users/:id/around', () => {
  let sut: TestContext;
  let order: number[];

  beforeAll(async () => {
    sut = await startTestApp({ redis: true, env: { SCORE_RATE_LIMIT: '0', RANK_INDEX_MIN_USERS: '0' } });
    const ids = await sut.createUsers(Array.from({ length: 20 }, (_, i) => `p${i}`));
    // Pairs of equal totals, so the tie-break shapes the neighbourhoods; the last four stay tied at 0
    for (const [i, id] of ids.slice(0, 16).entries()) await sut.submit(id, 10 + Math.floor(i / 2));
    order = await rankedIds(sut.db);
  });

  const around = (id: number | string, query = '') => sut.request('GET', `/api/users/${id}/around${query}`);

  /** What the contract expects: the user's slice of the SQL order, with 1-based ranks. */
  async function expected(position: number, limit: number) {
    const board = await sqlBoard(sut.db);
    return board.slice(Math.max(0, position - limit), position + limit + 1);
  }

  it('returns the user with `limit` players above and below, in rank order (default 5)', async () => {
    const res = await around(order[10]);
    expect(res.status).toBe(200);
    expect(res.body.data.map((e: { id: number }) => e.id)).toEqual(order.slice(5, 16));
    expect(res.body.data).toEqual(await expected(10, 5));
    expect(res.body.data[5]).toMatchObject({ id: order[10], rank: 11 });
  });

  it('honours limit and ties (equal scores ordered by who reached them first, then id)', async () => {
    for (const position of [0, 3, 9, 17, 19]) {
      const res = await around(order[position], '?limit=2');
      expect(res.body.data).toEqual(await expected(position, 2));
    }
  });

  it('returns fewer neighbours near either end, without filling from the other side', async () => {
    const top = await around(order[1], '?limit=3');
    expect(top.body.data.map((e: { rank: number }) => e.rank)).toEqual([1, 2, 3, 4, 5]);
    const bottom = await around(order[19], '?limit=50');
    expect(bottom.body.data).toHaveLength(20);
    expect(bottom.body.data.at(-1)).toMatchObject({ id: order[19], rank: 20 });
  });

  it('follows score changes', async () => {
    const last = order[19];
    const res = await sut.submit(last, 1000);
    expect(res.body.rank).toBe(1);
    const { body } = await around(last, '?limit=1');
    expect(body.data.map((e: { id: number; rank: number }) => [e.id, e.rank])).toEqual([
      [last, 1],
      [order[0], 2],
    ]);
  });

  it('answers 404 for an unknown user and 400 for a bad id or limit', async () => {
    expect((await around(999999)).status).toBe(404);
    expect((await around('abc')).status).toBe(400);
    expect((await around(0)).status).toBe(400);
    for (const limit of ['0', '51', '2.5', 'x']) {
      const res = await around(order[0], `?limit=${limit}`);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain('limit');
    }
    expect((await around(order[0], '?limit=1&other=1')).status).toBe(400);
  });
});
