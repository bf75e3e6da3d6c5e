/**
 * The e2e fixture: the real AppModule on port 0, a fresh PostgreSQL database, and helpers, torn down by itself.
 *
 *   let t: TestContext;
 *   beforeAll(async () => {
 *     t = await startTestApp({ redis: true, env: { SCORE_RATE_LIMIT: '0' } });
 *   });
 *   it('adds points', async () => {
 *     const [ann] = await t.createUsers(['Ann']);
 *     expect((await t.submit(ann, 5)).status).toBe(200);
 *     expect(await t.db.query('SELECT score FROM users')).toEqual([{ score: '5' }]);
 *   });
 *
 * No afterAll needed: everything the fixture starts (apps, sockets from `t.connect`, databases, private
 * servers) is closed after the test file, newest first (support/teardown.ts). Register anything else
 * with `onTeardown(fn)`. `startTestApp` may be called in `beforeAll` or inside a test.
 *
 * Options (all optional):
 * - `redis`: `true` for the shared test Redis (TEST_REDIS_URL), a URL string for another one (e.g. a
 *   `privateRedis()` server a fault test kills), absent/false for none (in-process cache and rate limits).
 *   A Redis Cluster: `startTestApp(redisCluster(await privateRedisCluster(), env))`.
 * - `env`: extra app environment; `undefined` removes a default (e.g. `{ JWT_SECRET: undefined }`).
 * - `db`: run on this database (from `startTestDatabase()`) instead of a fresh one; `databaseServer`:
 *   create the fresh one on that server (e.g. `privatePostgres().url`).
 * - `claims`: claims every token from `t.tokens` carries (an app that checks JWT_ISSUER / JWT_AUDIENCE).
 *
 * The context: `app` (Nest application, `app.get(Service)`), `url`, `request(method, path, { body, token,
 * headers })`, `db` (`query(sql, params)` on the test database), `env` the app runs with, `tokens`
 * (`backend()`, `player(id)`, `viewer()`, `sign(claims, options)`), `createUser(name)`,
 * `createUsers(names)`, `submit(userId, score | body, token = backend)`, `connect(token?, options?)` (a
 * Socket.IO client), `watch()` (a socket subscribed to the leaderboard room), `close()` (early; idempotent)
 * and `startInstance(env?)`: another instance on the same database, Redis and key prefix (multi-instance
 * tests; it skips migrations).
 */
import { randomBytes } from 'node:crypto';
import { HttpResponse, startApp, TestApp } from './app';
import { createTestDatabase, TestDatabase } from './database';
import { PostgresServer, startPostgresServer } from './postgres-server';
import { RedisCluster, startRedisCluster } from './redis-cluster';
import { RedisServer, startRedisServer, TEST_REDIS_URL } from './redis-server';
import { connectSocket, emitWithAck, Socket } from './socket';
import { onTeardown } from './teardown';
import { Claims, Tokens, tokensWith } from './tokens';

export { onTeardown };

type Env = Record<string, string | undefined>;

export interface TestAppOptions {
  redis?: boolean | string;
  env?: Env;
  db?: TestDatabase;
  databaseServer?: string;
  claims?: Claims;
}

export interface TestContext extends TestApp {
  db: TestDatabase;
  env: Env;
  tokens: Tokens;
  createUser(name: string): Promise<number>;
  createUsers(names: string[]): Promise<number[]>;
  submit(userId: number | string, score: number | object, token?: string): Promise<HttpResponse>;
  connect(token?: string, options?: { header?: boolean }): Promise<Socket>;
  watch(): Promise<Socket>;
  startInstance(env?: Env): Promise<TestContext>;
}

/** A fresh database, dropped after the test file. */
export async function startTestDatabase(serverUrl?: string): Promise<TestDatabase> {
  const db = await createTestDatabase(serverUrl);
  onTeardown(() => db.drop());
  return db;
}

/** A private redis-server on a spare port (for tests that kill, stop or restart it), killed after the file. */
export async function privateRedis(): Promise<RedisServer> {
  const server = await startRedisServer();
  onTeardown(() => server.kill());
  return server;
}

/** A private Redis Cluster (3 masters, `replicas` each) on spare ports, stopped after the file; boot with `redisCluster(cluster)`. */
export async function privateRedisCluster(replicas = 0): Promise<RedisCluster> {
  const cluster = await startRedisCluster(replicas);
  onTeardown(() => cluster.stop());
  return cluster;
}

/** startTestApp options for an app on a Redis Cluster. */
export const redisCluster = (cluster: RedisCluster, env: Env = {}): TestAppOptions => ({
  redis: cluster.url,
  env: { REDIS_CLUSTER: 'true', ...env },
});

/** A private PostgreSQL on a spare port (for tests that stop it), destroyed after the file. */
export async function privatePostgres(): Promise<PostgresServer> {
  const server = await startPostgresServer();
  onTeardown(() => server.destroy());
  return server;
}

/** Boots the app (see the top of this file). */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestContext> {
  const db = options.db ?? (await startTestDatabase(options.databaseServer));
  const redisUrl = options.redis === true ? TEST_REDIS_URL : options.redis || undefined;
  const env: Env = { DATABASE_URL: db.url, REDIS_URL: redisUrl, REDIS_PREFIX: `test:${randomBytes(4).toString('hex')}:`, ...options.env };
  return boot(db, env, tokensWith(options.claims));
}

async function boot(db: TestDatabase, env: Env, tokens: Tokens): Promise<TestContext> {
  const started = await startApp(env);
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= started.close());
  onTeardown(close);
  const createUser = async (name: string): Promise<number> => {
    const res = await started.request('POST', '/api/users', { body: { name }, token: tokens.backend() });
    if (res.status !== 201) throw new Error(`create user: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  };
  const connect = async (token?: string, options?: { header?: boolean }) => {
    const socket = await connectSocket(started.url, token, options);
    onTeardown(() => socket.close());
    return socket;
  };
  return {
    ...started,
    close,
    db,
    env,
    tokens,
    createUser,
    async createUsers(names) {
      const ids: number[] = [];
      for (const name of names) ids.push(await createUser(name));
      return ids;
    },
    submit: (userId, score, token = tokens.backend()) =>
      started.request('POST', `/api/users/${userId}/score`, { body: typeof score === 'number' ? { score } : score, token }),
    connect,
    async watch() {
      const socket = await connect(tokens.viewer());
      await emitWithAck(socket, 'subscribe', { room: 'leaderboard' });
      return socket;
    },
    startInstance: (extra = {}) => boot(db, { ...env, MIGRATIONS_RUN: 'false', ...extra }, tokens),
  };
}
