import { leaderboardKeys } from '../../src/leaderboard/redis-snapshot.store';
import { Snapshot } from '../../src/leaderboard/snapshot';
import { RealtimeGateway } from '../../src/realtime/realtime.gateway';
import { LEADERBOARD_ROOM } from '../../src/realtime/socket.events';
import { RedisConnection } from '../../src/redis/redis-connection';
import { privateRedisCluster, redisCluster, startTestApp, TestContext } from '../support/fixture';
import { expectIndexEqualsSql } from '../support/rank-index';
import { RedisCluster } from '../support/redis-cluster';
import { nextEvent, Socket } from '../support/socket';
import { md5, sqlTop10 } from '../support/sql-order';
import { waitUntil } from '../support/wait';

type Update = { version: number; hash: string; data: { id: number }[] };
type Acknowledged = { actionId: string; userId: number; score: number };

describe('fault: a Redis Cluster master killed while two instances take submissions', () => {
  let cluster: RedisCluster;
  let a: TestContext;
  let b: TestContext;
  let viewer: Socket;
  let ids: number[];
  const acknowledged: Acknowledged[] = [];
  const refused: unknown[] = [];
  let running = true;

  /** Two clients submitting with action ids, one per instance, until told to stop; every answer is recorded. */
  const submitter = (app: TestContext, lane: number) =>
    (async () => {
      for (let i = 0; running; i++) {
        const [userId, score, actionId] = [ids[(i + lane) % ids.length], 1 + ((i * 7 + lane) % 50), `lane${lane}-${i}`];
        const res = await app.submit(userId, { score, actionId });
        if (res.status === 200 && res.body.applied === true) acknowledged.push({ actionId, userId, score });
        else refused.push({ status: res.status, body: res.body });
      }
    })();
  const shardSubscribers = async (channel: string) => {
    const counts = await Promise.all(
      cluster.nodes.map((node) => node.command(['PUBSUB', 'SHARDNUMSUB', channel]).catch(() => [channel, 0])),
    );
    return (counts as [string, number][]).reduce((sum, [, n]) => sum + n, 0);
  };
  const redisOf = (app: TestContext) => app.app.get(RedisConnection);
  const moreAcknowledged = (what: string, count: number) => {
    const target = acknowledged.length + count;
    return waitUntil(what, () => acknowledged.length >= target, 20_000);
  };

  beforeAll(async () => {
    cluster = await privateRedisCluster(1);
    a = await startTestApp(redisCluster(cluster, { SCORE_RATE_LIMIT: '0', IP_RATE_LIMIT: '0' }));
    b = await a.startInstance();
    ids = await a.createUsers(Array.from({ length: 12 }, (_, i) => `f${i + 1}`));
    viewer = await b.watch();
  }, 60_000);

  it('loses no acknowledged submission; once the cluster recovers, publications, room broadcasts and ranks work through it again', async () => {
    const lanes = [submitter(a, 0), submitter(b, 1)];
    await moreAcknowledged('submissions before the kill', 20);

    // the master of the leaderboard's slot: the snapshot, its SPUBLISH channel, and both instances' subscriptions
    const { snapshot, updates } = leaderboardKeys(redisOf(a));
    const victim = await cluster.masterOf(snapshot);
    await victim.kill();
    await waitUntil('both instances to fall back', () => !redisOf(a).available && !redisOf(b).available, 5000);
    const degraded = await a.request('GET', '/health');
    expect([degraded.status, degraded.body.details.redis.status]).toEqual([200, 'down']);
    await cluster.healthy(30_000); // its replica is promoted
    await moreAcknowledged('submissions while the master is gone', 20);
    // node-redis 5 finds the promoted replica through a MOVED: the old master, restarted, redirects to it
    await victim.start();
    await cluster.healthy(30_000);
    await waitUntil('both instances to use Redis again', () => redisOf(a).available && redisOf(b).available, 20_000);
    await moreAcknowledged('submissions after recovery', 20);
    running = false;
    await Promise.all(lanes);

    expect(refused).toEqual([]);
    const ledger = await a.db.query<{ action_id: string; user_id: string; points: string }>(
      'SELECT action_id, user_id, points FROM score_events WHERE action_id = ANY($1) ORDER BY action_id',
      [acknowledged.map((s) => s.actionId)],
    );
    const expected = acknowledged.map((s) => [s.actionId, s.userId, s.score]).sort();
    expect(ledger.map((row) => [row.action_id, Number(row.user_id), Number(row.points)]).sort()).toEqual(expected);
    const totals = await a.db.query<{ id: string; score: string }>('SELECT id, score FROM users WHERE id = ANY($1)', [ids]);
    for (const { id, score } of totals) {
      expect(Number(score)).toBe(acknowledged.filter((s) => s.userId === Number(id)).reduce((sum, s) => sum + s.score, 0));
    }

    const shard = await cluster.masterOf(snapshot);
    expect(shard).not.toBe(victim);
    // resubscribed on reconnect, on the old master's address: a replica now, which the shard's SPUBLISH reaches too
    await waitUntil("both instances to be subscribed in the channel's shard again", async () => (await shardSubscribers(updates)) === 2);
    const pushed = nextEvent<Update>(viewer, 'leaderboard:update', 10_000, (u) => u.data[0]?.id === ids[11]);
    expect((await a.submit(ids[11], 1000)).status).toBe(200);
    expect((await pushed).data).toEqual(await sqlTop10(a.db));
    await waitUntil('the snapshot to be stored on the promoted master', async () => {
      const stored = (await shard.command(['GET', snapshot])) as string | null;
      return stored !== null && (JSON.parse(stored) as Update).hash === md5(await sqlTop10(a.db));
    });
    // a room broadcast from instance a reaches b's socket through the sharded adapter again
    const board = (await a.request('GET', '/api/leaderboard')).body as Snapshot;
    const broadcast = nextEvent<Update>(viewer, 'leaderboard:update', 10_000, (u) => u.version === board.version);
    a.app.get(RealtimeGateway).server.to(LEADERBOARD_ROOM).emit('leaderboard:update', board);
    expect((await broadcast).hash).toBe(board.hash);
    await expectIndexEqualsSql(a, undefined, 20_000);
    await expectIndexEqualsSql(b, undefined, 20_000);
  }, 150_000);
});
