import { startTestApp, TestContext } from './support/fixture';
import { nextEvent, Socket } from './support/socket';
import { sqlTop10 } from './support/sql-order';

type Update = { version: number; data: { id: number; score: number }[] };

/** An operator (or a script) edits `users` in SQL: no ScoreChangedEvent is raised, yet board and ranks follow. */
describe('changes made directly in PostgreSQL', () => {
  let sut: TestContext;
  let viewer: Socket;
  let ids: number[];

  beforeAll(async () => {
    sut = await startTestApp({ redis: true });
    ids = await sut.createUsers(['Ann', 'Bob', 'Cid']);
    for (const [i, id] of ids.entries()) expect((await sut.submit(id, 30 - 10 * i)).status).toBe(200);
    viewer = await sut.watch();
  });

  const rankOf = async (id: number) => (await sut.request('GET', `/api/users/${id}`)).body.rank;

  it('an UPDATE moves the board within seconds, and ranks follow', async () => {
    const [ann, , cid] = ids;
    const moved = nextEvent<Update>(viewer, 'leaderboard:update', 8000, (u) => u.data[0]?.id === cid);
    await sut.db.query('UPDATE users SET score = 100, updated_at = now() WHERE id = $1', [cid]);
    expect((await moved).data).toEqual(await sqlTop10(sut.db));
    expect(await rankOf(cid)).toBe(1);
    expect(await rankOf(ann)).toBe(2);
  });

  it('a DELETE and an INSERT are reflected in the board and in ranks', async () => {
    const [ann, bob] = ids;
    const gone = nextEvent<Update>(viewer, 'leaderboard:update', 8000, (u) => !u.data.some((e) => e.id === ann));
    await sut.db.query('DELETE FROM users WHERE id = $1', [ann]);
    await sut.db.query(`INSERT INTO users (name, score) VALUES ('Zed', 50)`);
    const update = await gone;
    expect((await sut.request('GET', '/api/leaderboard')).body.data).toEqual(await sqlTop10(sut.db));
    expect(update.data.map((e) => e.score)).toEqual(expect.arrayContaining([100, 20]));
    expect(await rankOf(bob)).toBe(3); // Cid 100, Zed 50, Bob 20
    expect((await sut.request('GET', `/api/users/${ann}`)).status).toBe(404);
  });
});
