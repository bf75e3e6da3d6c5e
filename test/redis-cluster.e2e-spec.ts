import { leaderboardKeys } from '../src/leaderboard/redis-snapshot.store';
import { RealtimeGateway } from '../src/realtime/realtime.gateway';
import { RedisConnection } from '../src/redis/redis-connection';
import { privateRedisCluster, redisCluster, startTestApp, TestContext } from './support/fixture';
import { expectIndexEqualsSql } from './support/rank-index';
import { RedisCluster } from './support/redis-cluster';
import { nextEvent, Socket } from './support/socket';
import { md5, sqlRanks, sqlTop10 } from './support/sql-order';

type Update = { version: number; hash: string; data: { id: number }[] };

const LIMIT = 10;

describe('on a Redis Cluster (REDIS_CLUSTER=true, 3 masters): two instances', () => {
  let cluster: RedisCluster;
  let a: TestContext;
  let b: TestContext;
  let viewerA: Socket;
  let viewerB: Socket;
  let ids: number[];

  beforeAll(async () => {
    cluster = await privateRedisCluster();
    a = await startTestApp(redisCluster(cluster, { SCORE_RATE_LIMIT: String(LIMIT), IP_RATE_LIMIT: '0' }));
    b = await a.startInstance();
    ids = await a.createUsers(Array.from({ length: 14 }, (_, i) => `c${i + 1}`));
    [viewerA, viewerB] = [await a.watch(), await b.watch()];
  }, 60_000);

  it('reports Redis up in /health: every master answers its PING (down when one does not: the fault test)', async () => {
    const health = await a.request('GET', '/health');
    expect(health.body).toMatchObject({ status: 'ok', info: { redis: { status: 'up' } } });
  });

  it("shares Socket.IO rooms through the sharded adapter: each instance sees the other's sockets", async () => {
    const sockets = await a.app.get(RealtimeGateway).server.in('leaderboard').fetchSockets();
    expect(sockets.map((s) => s.id).sort()).toEqual([viewerA.id, viewerB.id].sort());
  });

  it('publishes the board with SPUBLISH from the compare-and-set script: both instances subscribe on its shard', async () => {
    const onB = nextEvent<Update>(viewerB, 'leaderboard:update', 5000, (u) => u.data[0]?.id === ids[2]);
    expect((await a.submit(ids[2], 500)).status).toBe(200);
    const update = await onB;
    expect(update.data).toEqual(await sqlTop10(a.db));
    const redis = a.app.get(RedisConnection);
    const { snapshot, updates } = leaderboardKeys(redis);
    const shard = await cluster.masterOf(snapshot);
    expect(await cluster.masterOf(updates)).toBe(shard);
    expect((JSON.parse((await shard.command(['GET', snapshot])) as string) as Update).hash).toBe(md5(update.data));
    expect(await shard.command(['PUBSUB', 'SHARDNUMSUB', updates])).toEqual([updates, 2]);
  });

  it('keeps the rank index (one hash tag) equal to SQL on both instances, and answers each submitter its rank', async () => {
    const responses = await Promise.all(ids.map((id, i) => (i % 2 ? a : b).submit(id, 1 + (i % 3))));
    const ranks = await sqlRanks(a.db);
    expect(responses.map((r) => [r.status, r.body.rank])).toEqual(ids.map(() => [200, expect.any(Number)]));
    await expectIndexEqualsSql(a);
    await expectIndexEqualsSql(b);
    const { body } = await b.request('GET', `/api/users/${ids[5]}`);
    expect(body.rank).toBe(ranks.get(ids[5]));
  });

  it('counts a player’s submissions across both instances in the cluster: SCORE_RATE_LIMIT, then 429', async () => {
    const ann = await a.createUser('Ann');
    const token = a.tokens.player(ann);
    const results = await Promise.all(Array.from({ length: 2 * LIMIT }, (_, i) => (i % 2 ? b : a).submit(ann, 1, token)));
    expect(results.map((r) => r.status).sort()).toEqual([...Array(LIMIT).fill(200), ...Array(LIMIT).fill(429)]);
    const [{ n }] = await a.db.query<{ n: string }>('SELECT count(*) AS n FROM score_events WHERE user_id = $1', [ann]);
    expect(Number(n)).toBe(LIMIT);
    // the count lives in the cluster, not in either instance
    const key = `${a.env.REDIS_PREFIX}rate:`;
    const shards = await Promise.all(cluster.nodes.map((node) => node.command(['KEYS', `${key}*`])));
    expect(shards.flat()).toHaveLength(1);
  });

  it('shares the per-IP count (its window keys under one hash tag) between instances', async () => {
    const [c, d] = [await a.startInstance({ IP_RATE_LIMIT: '5' }), await a.startInstance({ IP_RATE_LIMIT: '5' })];
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++)
      statuses.push((await (i % 2 ? d : c).request('GET', `/api/users/${ids[0]}`, { headers: { 'x-forwarded-for': '10.7.7.7' } })).status);
    expect(statuses).toEqual([...Array(5).fill(200), ...Array(5).fill(429)]);
  });
});
