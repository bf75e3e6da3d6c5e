import { startTestApp, TestContext } from './support/fixture';
import { counter } from './support/metrics';
import { emitWithAck, nextEvent, Socket } from './support/socket';
import { md5, sqlTop10 } from './support/sql-order';

describe('live leaderboard without REDIS_URL (in-process cache and broadcasting)', () => {
  let sut: TestContext;
  let viewer: Socket;

  beforeAll(async () => {
    sut = await startTestApp({ env: { IP_RATE_LIMIT: '0' } });
    viewer = await sut.connect(sut.tokens.viewer());
  });

  it('computes a missing snapshot, caches it, and pushes changes to subscribers', async () => {
    const id = await sut.createUser('solo');
    const ack = await emitWithAck(viewer, 'subscribe', { room: 'leaderboard' });
    expect(ack.snapshot.data).toEqual(await sqlTop10(sut.db));

    const pushed = nextEvent(viewer, 'leaderboard:update');
    expect((await sut.submit(id, 42)).status).toBe(200);
    const update = await pushed;
    expect(update).toMatchObject({ hash: md5(await sqlTop10(sut.db)), data: [{ id, rank: 1, name: 'solo', score: 42 }] });
    expect(update.version).toBeGreaterThan(ack.snapshot.version);

    const refreshes = await counter(sut, 'leaderboard_refreshes_total');
    expect((await sut.request('GET', '/api/leaderboard')).body).toEqual(update);
    expect(await counter(sut, 'leaderboard_refreshes_total')).toBe(refreshes); // served from the cache
  });
});
