import { startTestApp, TestContext } from './support/fixture';
import { backendToken, playerToken, token } from './support/tokens';

describe('users API', () => {
  let sut: TestContext;
  const ids: number[] = [];

  beforeAll(async () => {
    sut = await startTestApp();
    // scores 50, 40, 30, 20, 10 — except two users tied at 30 who reached it at the same moment
    for (const [i, name] of ['Ann', 'Bob', 'Cid', 'Dee', 'Eve'].entries()) {
      ids.push(await sut.createUser(name));
      await sut.db.query(`UPDATE users SET score = $2, updated_at = '2024-07-28T22:00:00Z' WHERE id = $1`, [ids[i], 50 - 10 * i]);
    }
    await sut.db.query(`UPDATE users SET score = 30 WHERE id = $1`, [ids[3]]); // Dee ties Cid (30), same time, higher id
  });

  describe('POST /api/users', () => {
    it('creates a user with score 0 and the lowest rank', async () => {
      const res = await sut.request('POST', '/api/users', { body: { name: 'Fay' }, token: token({ scope: 'users:write' }) });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(Number),
        name: 'Fay',
        score: 0,
        rank: 6,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      await sut.db.query('DELETE FROM users WHERE id = $1', [res.body.id]);
    });

    it.each([
      ['no token', undefined, 401],
      ['a player token', () => playerToken(1), 403],
      ['scores:write only', () => token({ scope: 'scores:write' }), 403],
    ])('refuses %s', async (_, makeToken, status) => {
      const res = await sut.request('POST', '/api/users', { body: { name: 'Zed' }, token: makeToken?.() });
      expect(res.status).toBe(status);
      expect(res.body).toMatchObject({ statusCode: status, error: expect.any(String), message: expect.anything() });
    });

    it.each([
      [{}, 'name'],
      [{ name: '' }, 'name'],
      [{ name: 'x'.repeat(65) }, 'name'],
      [{ name: 42 }, 'name'],
      [{ name: null }, 'name'],
      [{ name: 'Ok', admin: true }, 'admin'],
    ])('rejects body %j with a message naming %s', async (body, field) => {
      const res = await sut.request('POST', '/api/users', { body, token: backendToken() });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain(field);
      expect(await sut.db.query('SELECT id FROM users')).toHaveLength(5);
    });
  });

  describe('GET /api/users/:id', () => {
    it('returns the user with rank; equal scores at the same moment rank by lower id', async () => {
      const cid = await sut.request('GET', `/api/users/${ids[2]}`);
      const dee = await sut.request('GET', `/api/users/${ids[3]}`);
      expect(cid.status).toBe(200);
      expect(cid.body).toEqual({
        id: ids[2],
        name: 'Cid',
        score: 30,
        rank: 3,
        createdAt: expect.any(String),
        updatedAt: '2024-07-28T22:00:00.000Z',
      });
      expect(dee.body).toMatchObject({ score: 30, rank: 4 });
    });

    it('is 404 for an unknown user', async () => {
      const res = await sut.request('GET', '/api/users/999999');
      expect(res).toMatchObject({ status: 404, body: { statusCode: 404, error: 'Not Found' } });
    });

    it.each(['abc', '0', '-1', '1.5', '92233720368547758070', '1%20OR%201=1'])('is 400 for id %s', async (id) => {
      const res = await sut.request('GET', `/api/users/${id}`);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain('id');
    });
  });

  describe('GET /api/users', () => {
    it('lists by descending rank with total, page and limit', async () => {
      const res = await sut.request('GET', '/api/users?limit=2&page=1');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        data: [
          { id: ids[2], rank: 3, name: 'Cid', score: 30 },
          { id: ids[3], rank: 4, name: 'Dee', score: 30 },
        ],
        page: 1,
        limit: 2,
        order: 'score desc',
        total: 5,
      });
    });

    it('lists `score+asc` (as the design writes it) as exactly the reverse, keeping descending ranks', async () => {
      const desc = await sut.request('GET', '/api/users?limit=10&page=0&order=score+desc');
      const asc = await sut.request('GET', '/api/users?limit=10&page=0&order=score+asc');
      expect(asc.body.order).toBe('score asc');
      expect(asc.body.data).toEqual([...desc.body.data].reverse());
      expect(desc.body.data.map((u: { rank: number }) => u.rank)).toEqual([1, 2, 3, 4, 5]);
    });

    it('defaults to limit 10, page 0, score desc', async () => {
      const res = await sut.request('GET', '/api/users');
      expect(res.body).toMatchObject({ page: 0, limit: 10, order: 'score desc', total: 5 });
      expect(res.body.data[0]).toEqual({ id: ids[0], rank: 1, name: 'Ann', score: 50 });
    });

    it('returns an empty page past the end', async () => {
      const res = await sut.request('GET', '/api/users?limit=100&page=3');
      expect(res.body).toMatchObject({ data: [], total: 5 });
    });

    it.each(['limit=0', 'limit=101', 'limit=abc', 'limit=1.5', 'page=-1', 'page=x', 'order=name', 'order=score%20up', 'sort=score'])(
      'is 400 for %s',
      async (query) => {
        const res = await sut.request('GET', `/api/users?${query}`);
        expect(res.status).toBe(400);
        expect(res.body.statusCode).toBe(400);
      },
    );
  });
});
