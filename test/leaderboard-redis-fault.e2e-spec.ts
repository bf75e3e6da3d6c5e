import { createClient } from 'redis';
import { onTeardown, privateRedis, startTestApp, TestContext } from './support/fixture';
import { counter } from './support/metrics';
import { RedisServer } from './support/redis-server';
import { nextEvent, record, Socket } from './support/socket';
import { md5, sqlTop10 } from './support/sql-order';
import { waitUntil } from './support/wait';

type Update = { version: number; hash: string; data: { id: number; score: number }[] };

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
}

describe('live leaderboard when Redis fails and comes back', () => {
  let redis: RedisServer;
  let sut: TestContext;
  let viewer: Socket;
  let ids: number[];
  const prefix = 'fault:';

  beforeAll(async () => {
    redis = await privateRedis();
    sut = await startTestApp({ redis: redis.url, env: { REDIS_PREFIX: prefix, IP_RATE_LIMIT: '0' } });
    ids = await sut.createUsers(Array.from({ length: 12 }, (_, i) => `r${i + 1}`));
    viewer = await sut.watch();
    onTeardown(() => redis.signal('SIGCONT')); // first: in case a failed assertion left it stopped
  });

  const storedSnapshot = async () => {
    const client = createClient({ url: redis.url });
    await client.connect();
    try {
      const raw = await client.get(`${prefix}{leaderboard}:snapshot`);
      return raw ? (JSON.parse(raw) as Update) : undefined;
    } finally {
      await client.close();
    }
  };

  it('does not wait on a hung Redis (process stopped, connections open): reads and submissions stay fast', async () => {
    await sut.submit(ids[5], 10);
    redis.signal('SIGSTOP');
    try {
      const [read, readMs] = await timed(() => sut.request('GET', '/api/leaderboard'));
      expect(read.status).toBe(200);
      expect(read.body.data).toEqual(await sqlTop10(sut.db));
      expect(readMs).toBeLessThan(900);
      // calls already sent to a hung Redis wait for it; once the probe notices (≤ 1.5 s), nothing new is sent
      await waitUntil('Redis to be marked unavailable', async () => (await counter(sut, 'leaderboard_redis_available')) === 0, 3000);
      const [submitted, submitMs] = await timed(() => sut.submit(ids[5], 20));
      expect(submitted.status).toBe(200);
      const [again, againMs] = await timed(() => sut.request('GET', '/api/users?limit=10'));
      expect(again.body.data).toEqual(await sqlTop10(sut.db));
      expect(Math.max(submitMs, againMs)).toBeLessThan(500);
    } finally {
      redis.signal('SIGCONT');
    }
    await waitUntil('Redis to be used again', async () => (await counter(sut, 'leaderboard_redis_available')) === 1, 3000);
    await waitUntil('the snapshot to be rewritten', async () => (await storedSnapshot())?.hash === md5(await sqlTop10(sut.db)), 3000);
  });

  it('keeps serving from PostgreSQL while Redis is down and recovers by itself when it returns', async () => {
    const seen = record<Update>(viewer, 'leaderboard:update');
    const first = nextEvent<Update>(viewer, 'leaderboard:update', 5000, (u) => u.data[0]?.id === ids[0]);
    await sut.submit(ids[0], 100);
    await first;
    expect((await storedSnapshot())?.hash).toBe(seen.at(-1)!.hash);

    await redis.kill();
    const [submitted, submitMs] = await timed(() => sut.submit(ids[1], 200));
    expect(submitted.status).toBe(200);
    const [read, readMs] = await timed(() => sut.request('GET', '/api/leaderboard'));
    expect(read.status).toBe(200);
    expect(read.body.data).toEqual(await sqlTop10(sut.db));
    const [page, pageMs] = await timed(() => sut.request('GET', '/api/users?limit=10'));
    expect(page.status).toBe(200);
    expect(page.body.data).toEqual(await sqlTop10(sut.db));
    expect(Math.max(submitMs, readMs, pageMs)).toBeLessThan(500);
    const queriesBefore = await counter(sut, 'leaderboard_refreshes_total');
    const burst = await Promise.all(Array.from({ length: 50 }, () => sut.request('GET', '/api/leaderboard')));
    expect(burst.every((r) => r.status === 200)).toBe(true);
    expect((await counter(sut, 'leaderboard_refreshes_total')) - queriesBefore).toBeLessThan(50); // concurrent reads share queries
    // this instance's own subscribers still get its changes (no Redis needed for a local push)
    const local = nextEvent<Update>(viewer, 'leaderboard:update', 3000, (u) => u.data[0]?.id === ids[2]);
    expect((await sut.submit(ids[2], 400)).status).toBe(200);
    await local;

    await redis.start(); // empty: the snapshot is gone
    const expected = await sqlTop10(sut.db);
    await waitUntil('the snapshot to be rebuilt in Redis', async () => (await storedSnapshot())?.hash === md5(expected), 5000);
    const resumed = nextEvent<Update>(viewer, 'leaderboard:update', 5000, (u) => u.data[0]?.id === ids[3]);
    expect((await sut.submit(ids[3], 800)).status).toBe(200);
    const update = await resumed;
    expect(update.data).toEqual(await sqlTop10(sut.db));
    expect((await storedSnapshot())?.version).toBe(update.version);
    expect((await sut.request('GET', '/api/leaderboard')).body).toEqual(update);
    seen.slice(1).forEach((u, i) => expect(u.version).toBeGreaterThan(seen[i].version));
  });
});
