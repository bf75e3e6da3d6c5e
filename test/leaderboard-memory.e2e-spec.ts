import { startApp, TestApp } from './support/app';
import { createTestDatabase, TestDatabase } from './support/database';
import { addScore, counter, createUsers, md5, sqlTop10 } from './support/leaderboard';
import { connectSocket, emitWithAck, nextEvent, Socket } from './support/socket';
import { backendToken } from './support/tokens';

// Bursts and restarts under a parallel test run take longer than Jest's default 5 s
jest.setTimeout(30_000);

describe('live leaderboard without REDIS_URL (in-process cache and broadcasting)', () => {
  let db: TestDatabase;
  let sut: TestApp;
  let viewer: Socket;

  beforeAll(async () => {
    db = await createTestDatabase();
    sut = await startApp({ DATABASE_URL: db.url, IP_RATE_LIMIT: '0' });
    viewer = await connectSocket(sut.url, backendToken());
  });
  afterAll(async () => {
    viewer?.close();
    await sut?.close();
    await db?.drop();
  });

  it('computes a missing snapshot, caches it, and pushes changes to subscribers', async () => {
    const [id] = await createUsers(sut, ['solo']);
    const ack = await emitWithAck(viewer, 'subscribe', { room: 'leaderboard' });
    expect(ack.snapshot.data).toEqual(await sqlTop10(db));

    const pushed = nextEvent(viewer, 'leaderboard:update');
    expect((await addScore(sut, id, 42)).status).toBe(200);
    const update = await pushed;
    expect(update).toMatchObject({ hash: md5(await sqlTop10(db)), data: [{ id, rank: 1, name: 'solo', score: 42 }] });
    expect(update.version).toBeGreaterThan(ack.snapshot.version);

    const refreshes = await counter(sut, 'leaderboard_refreshes_total');
    expect((await sut.request('GET', '/api/leaderboard')).body).toEqual(update);
    expect(await counter(sut, 'leaderboard_refreshes_total')).toBe(refreshes); // served from the cache
  });
});
