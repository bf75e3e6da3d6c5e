import { DependencyChecks } from '../src/health/dependency-checks';
import { privateRedis, startTestApp, startTestDatabase } from './support/fixture';
import { TestDatabase } from './support/database';
import { waitUntil } from './support/wait';

describe('operations: health and metrics', () => {
  let db: TestDatabase;
  const start = (redis: string | true) => startTestApp({ db, redis });

  beforeAll(async () => {
    db = await startTestDatabase();
  });

  it('GET /health is 200 with database and redis up; /health/live is 200', async () => {
    const sut = await start(true);
    await waitUntil('redis up', async () => (await sut.request('GET', '/health')).body.details?.redis?.status === 'up');
    const res = await sut.request('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', details: { database: { status: 'up' }, redis: { status: 'up' } } });
    expect((await sut.request('GET', '/health/live')).body).toEqual({ status: 'ok' });
    expect((await sut.request('GET', '/health/ready')).status).toBe(200);
  });

  it('Redis down alone is 200, degraded, and names redis down; back up is ok again; shutdown does not wait for it', async () => {
    const redis = await privateRedis();
    const sut = await start(redis.url);
    const redisStatus = async () => (await sut.request('GET', '/health')).body.details?.redis?.status;
    try {
      await waitUntil('redis up', async () => (await redisStatus()) === 'up');
      await redis.kill();
      await waitUntil('redis down', async () => (await redisStatus()) === 'down');
      const started = Date.now();
      const res = await sut.request('GET', '/health');
      expect(Date.now() - started).toBeLessThan(1500);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'degraded',
        details: { database: { status: 'up' }, redis: { status: 'down' } },
        error: { redis: { status: 'down' } },
      });
    } finally {
      await redis.start();
    }
    await waitUntil('redis back', async () => (await redisStatus()) === 'up');
    // Shutting down must not wait on a dead Redis
    await redis.kill();
    await waitUntil('redis down again', async () => (await redisStatus()) === 'down');
    const closing = Date.now();
    await sut.close();
    expect(Date.now() - closing).toBeLessThan(10_000);
  });

  it('readiness turns 503 once shutdown starts, while liveness stays 200', async () => {
    const sut = await start(true);
    sut.app.get(DependencyChecks).beforeApplicationShutdown();
    const res = await sut.request('GET', '/health');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'error', details: { database: { status: 'up' } } });
    expect((await sut.request('GET', '/health/live')).status).toBe(200);
  });

  it('/metrics has HTTP latency by route pattern and status', async () => {
    const sut = await start(true);
    await sut.request('GET', '/api/users/999999');
    const text = (await sut.request('GET', '/metrics')).body as string;
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/users\/:id",status="404"\} 1/);
    expect(text).toContain('score_submissions_total');
    expect(text).toContain('leaderboard_connected_sockets');
  });

  it('answers 503 naming the database down when PostgreSQL is unreachable', async () => {
    const sut = await startTestApp();
    await sut.db.drop(); // WITH (FORCE): the app's connections are cut and the database no longer exists
    const res = await sut.request('GET', '/health');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'error', details: { database: { status: 'down' } }, error: { database: { status: 'down' } } });
    expect((await sut.request('GET', '/health/live')).status).toBe(200);
  });
});
