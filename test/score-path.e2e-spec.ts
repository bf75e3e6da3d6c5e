import { startApp, TestApp } from './support/app';
import { createTestDatabase, TestDatabase } from './support/database';
import { backendToken, playerToken } from './support/tokens';

describe('score path', () => {
  let db: TestDatabase;
  let sut: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    sut = await startApp({ DATABASE_URL: db.url });
  });
  afterAll(async () => {
    await sut?.close();
    await db?.drop();
  });

  const createUser = async (name: string) => (await sut.request('POST', '/api/users', { body: { name }, token: backendToken() })).body;

  it('creates a user, adds points and reports the new total and rank', async () => {
    const user = await createUser('Marcus');
    expect(user).toMatchObject({ name: 'Marcus', score: 0 });

    const res = await sut.request('POST', `/api/users/${user.id}/score`, { body: { score: 10, actionId: 'a1' }, token: playerToken(user.id) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: user.id, name: 'Marcus', score: 10, rank: 1, applied: true });

    const again = await sut.request('POST', `/api/users/${user.id}/score`, { body: { score: 10, actionId: 'a1' }, token: playerToken(user.id) });
    expect(again.body).toMatchObject({ score: 10, applied: false });
    const [{ sum }] = await db.query<{ sum: string }>('SELECT sum(points) FROM score_events WHERE user_id = $1', [user.id]);
    expect(Number(sum)).toBe(10);
  });
});
