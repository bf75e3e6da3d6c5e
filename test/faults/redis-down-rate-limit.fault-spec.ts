import { RedisConnection } from '../../src/redis/redis-connection';
import { privateRedis, startTestApp, TestContext } from '../support/fixture';
import { RedisServer } from '../support/redis-server';
import { playerToken } from '../support/tokens';
import { waitUntil } from '../support/wait';

const LIMIT = 5;
const PREFIX = 'test:ratefault:';

describe('fault: Redis killed while players submit', () => {
  let redis: RedisServer;
  let sut: TestContext;
  let ann: number;

  const burst = async (count: number) => {
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: count }, () => sut.request('POST', `/api/users/${ann}/score`, { body: { score: 1 }, token: playerToken(ann) })),
    );
    return { statuses: results.map((r) => r.status).sort(), ms: Date.now() - started };
  };
  const redisReady = () => sut.app.get(RedisConnection).available;

  beforeAll(async () => {
    redis = await privateRedis();
    sut = await startTestApp({ redis: redis.url, env: { REDIS_PREFIX: PREFIX, SCORE_RATE_LIMIT: String(LIMIT) } });
    ann = await sut.createUser('Ann');
    await waitUntil('the app to reach Redis', redisReady, 5000);
  }, 30_000);

  it('degrades to a per-instance limit (neither open nor failing), then counts in Redis again', async () => {
    expect((await burst(3)).statuses).toEqual([200, 200, 200]);
    expect(await redis.command(['ZCARD', `${PREFIX}rate:score:${ann}`])).toBe(3);

    await redis.kill();
    // Counted in memory from zero: exactly LIMIT more pass, the rest are 429, and nobody waits on the dead Redis
    const whileDown = await burst(2 * LIMIT);
    expect(whileDown.statuses).toEqual([...Array(LIMIT).fill(200), ...Array(LIMIT).fill(429)]);
    expect(whileDown.ms).toBeLessThan(2000);

    await redis.start();
    await waitUntil('the app to reconnect to Redis', redisReady, 10_000);
    // The restarted Redis is empty: the shared count starts again there, and refuses past the limit
    expect((await burst(LIMIT + 2)).statuses).toEqual([...Array(LIMIT).fill(200), 429, 429]);
    expect(await redis.command(['ZCARD', `${PREFIX}rate:score:${ann}`])).toBe(LIMIT);
    const [{ n }] = await sut.db.query<{ n: string }>('SELECT count(*) AS n FROM score_events WHERE user_id = $1', [ann]);
    expect(Number(n)).toBe(3 + LIMIT + LIMIT);
  }, 60_000);
});
