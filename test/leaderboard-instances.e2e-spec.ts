import { leaderboardKeys } from '../src/leaderboard/redis-snapshot.store';
import { RealtimeGateway } from '../src/realtime/realtime.gateway';
import { RedisConnection } from '../src/redis/redis-connection';
import { concurrently } from './support/concurrently';
import { startTestApp, TestContext } from './support/fixture';
import { nextEvent, record, Socket } from './support/socket';
import { md5, sqlTop10 } from './support/sql-order';
import { waitUntil } from './support/wait';

type Update = { version: number; hash: string; data: unknown[] };

describe('live leaderboard across two instances (same PostgreSQL and Redis)', () => {
  let a: TestContext;
  let b: TestContext;
  let viewerA: Socket;
  let viewerB: Socket;
  let ids: number[];

  beforeAll(async () => {
    a = await startTestApp({ redis: true, env: { IP_RATE_LIMIT: '0' } });
    b = await a.startInstance();
    ids = await a.createUsers(Array.from({ length: 15 }, (_, i) => `p${i + 1}`));
    viewerA = await a.watch();
    viewerB = await b.watch();
  });

  it("shares rooms through the Redis adapter: each instance sees the other's sockets", async () => {
    const sockets = await a.app.get(RealtimeGateway).server.in('leaderboard').fetchSockets();
    expect(sockets.map((s) => s.id).sort()).toEqual([viewerA.id, viewerB.id].sort());
  });

  it('pushes a submission made on one instance to a subscriber on the other', async () => {
    const onB = nextEvent<Update>(viewerB, 'leaderboard:update', 5000, (u) => (u.data as { id: number }[]).some((e) => e.id === ids[3]));
    expect((await a.submit(ids[3], 50)).status).toBe(200);
    const update = await onB;
    expect(update.data).toEqual(await sqlTop10(a.db));
    expect((await b.request('GET', '/api/leaderboard')).body.version).toBeGreaterThanOrEqual(update.version);
  });

  it('never lets versions go down while both instances write concurrently; both converge on SQL', async () => {
    const seenA = record<Update>(viewerA, 'leaderboard:update');
    const seenB = record<Update>(viewerB, 'leaderboard:update');
    const reads: number[] = [];
    const writes = concurrently(200, 100, (i) => (i % 2 ? a : b).submit(ids[i % ids.length], 1 + ((i * 13) % 40)));
    const polling = (async () => {
      for (let i = 0; i < 20; i++) reads.push((await (i % 2 ? a : b).request('GET', '/api/leaderboard')).body.version);
    })();
    expect((await writes).filter((r) => r.status !== 200).map((r) => r.body)).toEqual([]);
    await polling;

    const expected = md5(await sqlTop10(a.db));
    await waitUntil('both viewers to get the final board', () => seenA.at(-1)?.hash === expected && seenB.at(-1)?.hash === expected, 5000);
    for (const seen of [seenA, seenB]) seen.slice(1).forEach((u, i) => expect(u.version).toBeGreaterThan(seen[i].version));
    expect(seenA.at(-1)!.version).toBe(seenB.at(-1)!.version);
    for (const app of [a, b]) expect((await app.request('GET', '/api/leaderboard')).body.hash).toBe(expected);
    // one client reading from both instances in turn never sees a lower version
    reads.slice(1).forEach((version, i) => expect(version).toBeGreaterThanOrEqual(reads[i]));
  });

  // last: it leaves instance b without its subscription
  it('pushes on an instance that missed the publication: each instance follows the change feed itself', async () => {
    const redis = b.app.get(RedisConnection);
    await redis.subscriber!.unsubscribe(leaderboardKeys(redis).updates);
    const onA = nextEvent<Update>(viewerA, 'leaderboard:update');
    const onB = nextEvent<Update>(viewerB, 'leaderboard:update');
    expect((await a.submit(ids[14], 1000)).status).toBe(200);
    const pushed = await onA;
    expect(pushed.data).toEqual(await sqlTop10(a.db));
    expect(await onB).toEqual(pushed);
  });
});
