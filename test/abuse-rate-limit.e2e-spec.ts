import { RedisConnection } from '../src/redis/redis-connection';
import { startTestApp, TestContext } from './support/fixture';
import { backendToken, playerToken } from './support/tokens';
import { waitUntil } from './support/wait';

/** Redis connects in the background; until it is ready each instance would count on its own. */
const redisReady = (app: TestContext) => waitUntil('Redis ready', () => app.app.get(RedisConnection).available, 5000);

const LIMIT = 10;

describe('abuse: rate limits', () => {
  let one: TestContext;
  let two: TestContext;

  const ledgerRows = async (id: number) =>
    Number((await one.db.query<{ n: string }>('SELECT count(*) AS n FROM score_events WHERE user_id = $1', [id]))[0].n);
  const submit = (app: TestContext, id: number, auth: string) => app.submit(id, 1, auth);

  beforeAll(async () => {
    one = await startTestApp({ redis: true, env: { SCORE_RATE_LIMIT: String(LIMIT), IP_RATE_LIMIT: '5' } });
    // Same Redis and key prefix: the two instances share their counters, as in production
    two = await one.startInstance();
    await redisReady(one);
    await redisReady(two);
  });

  it('lets a player make SCORE_RATE_LIMIT submissions across two instances, then answers 429 with Retry-After', async () => {
    const ann = await one.createUser('Ann');
    const results = await Promise.all(Array.from({ length: 2 * LIMIT }, (_, i) => submit(i % 2 ? two : one, ann, playerToken(ann))));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(LIMIT).fill(200), ...Array(LIMIT).fill(429)]);
    const refused = results.find((r) => r.status === 429)!;
    expect(refused.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(await ledgerRows(ann)).toBe(LIMIT);
  });

  it('counts each player separately and does not limit scores:write tokens', async () => {
    const [bob, cat] = [await one.createUser('Bob'), await one.createUser('Cat')];
    expect((await submit(one, bob, playerToken(bob))).status).toBe(200);
    const backend = await Promise.all(Array.from({ length: 3 * LIMIT }, (_, i) => submit(i % 2 ? two : one, cat, backendToken())));
    expect(backend.every((r) => r.status === 200)).toBe(true);
    expect(await ledgerRows(cat)).toBe(3 * LIMIT);
  });

  it('limits unauthenticated requests per client IP, not authenticated ones', async () => {
    const dan = await one.createUser('Dan');
    const get = (ip: string) => one.request('GET', `/api/users/${dan}`, { headers: { 'x-forwarded-for': ip } });
    const first = await Promise.all(Array.from({ length: 5 }, () => get('10.9.8.7')));
    expect(first.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const refused = await get('10.9.8.7');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await get('10.9.8.8')).status).toBe(200);
    const authed = await one.request('POST', `/api/users/${dan}/score`, {
      body: { score: 1 },
      token: backendToken(),
      headers: { 'x-forwarded-for': '10.9.8.7' },
    });
    expect(authed.status).toBe(200);
  });

  it('shares the per-IP count between instances', async () => {
    const dan = await one.createUser('Dan2');
    const statuses: number[] = [];
    // One at a time, alternating: each instance takes its share of the shared count in small leases
    for (let i = 0; i < 10; i++)
      statuses.push((await (i % 2 ? two : one).request('GET', `/api/users/${dan}`, { headers: { 'x-forwarded-for': '10.9.9.9' } })).status);
    expect(statuses).toEqual([...Array(5).fill(200), ...Array(5).fill(429)]);
  });
});

describe('abuse: rate limits without Redis', () => {
  let sut: TestContext;

  beforeAll(async () => {
    // Nothing listens on port 1: the limiter must fall back to counting per instance, in memory
    sut = await startTestApp({ redis: 'redis://127.0.0.1:1', env: { SCORE_RATE_LIMIT: '5' } });
  });

  it('still refuses a player past the limit, quickly, and applies no more than the limit', async () => {
    const id = await sut.createUser('Eve');
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => sut.request('POST', `/api/users/${id}/score`, { body: { score: 1 }, token: playerToken(id) })),
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 429, 429, 429, 429, 429]);
    const [{ n }] = await sut.db.query<{ n: string }>('SELECT count(*) AS n FROM score_events WHERE user_id = $1', [id]);
    expect(Number(n)).toBe(5);
  });
});
