import { concurrently } from './support/concurrently';
import { startTestApp, TestContext } from './support/fixture';
import { counter } from './support/metrics';
import { connectSocket, emitWithAck, eventsWithin, nextEvent, record, Socket } from './support/socket';
import { md5, sqlTop10 } from './support/sql-order';
import { backendToken, playerToken, token } from './support/tokens';
import { waitUntil } from './support/wait';

describe('live leaderboard (one instance, real Redis)', () => {
  let sut: TestContext;
  let viewer: Socket;
  let ids: number[];

  beforeAll(async () => {
    sut = await startTestApp({ redis: true, env: { IP_RATE_LIMIT: '0' } });
    ids = await sut.createUsers(Array.from({ length: 12 }, (_, i) => `player${i + 1}`));
    for (const [i, id] of ids.slice(0, 10).entries()) await sut.submit(id, 100 + 10 * i);
    viewer = await sut.watch();
  });

  it('refuses connections without a token or with a bad one, with Unauthorized', async () => {
    await expect(connectSocket(sut.url)).rejects.toThrow(/^Unauthorized$/);
    await expect(connectSocket(sut.url, 'not-a-jwt')).rejects.toThrow(/^Unauthorized$/);
    await expect(connectSocket(sut.url, token({ sub: '1' }, { expiresIn: -60 }))).rejects.toThrow(/^Unauthorized$/);
    await expect(connectSocket(sut.url, backendToken().replace(/.$/, 'x'))).rejects.toThrow(/^Unauthorized$/);
    const viaHeader = await sut.connect(playerToken(ids[0]), { header: true });
    expect(viaHeader.connected).toBe(true);
  });

  it('acks subscribe with the current snapshot (= SQL top 10, md5 of its data); refuses other rooms', async () => {
    const socket = await sut.connect(playerToken(ids[0]));
    const ack = await emitWithAck(socket, 'subscribe', { room: 'leaderboard' });
    expect(ack.ok).toBe(true);
    expect(ack.snapshot.data).toEqual(await sqlTop10(sut.db));
    expect(ack.snapshot.hash).toBe(md5(ack.snapshot.data));
    expect(Number.isSafeInteger(ack.snapshot.version)).toBe(true);
    expect(new Date(ack.snapshot.updatedAt).toISOString()).toBe(ack.snapshot.updatedAt);
    expect((await sut.request('GET', '/api/leaderboard')).body).toEqual(ack.snapshot);

    const refused = await emitWithAck(socket, 'subscribe', { room: 'admin' });
    expect(refused).toMatchObject({ ok: false, error: { statusCode: 400 } });
    expect(await emitWithAck(socket, 'unsubscribe', { room: 'leaderboard' })).toEqual({ ok: true });
  });

  it('pushes a change of the top 10 with a new hash and a higher version, and nothing for a change below it', async () => {
    const before = (await sut.request('GET', '/api/leaderboard')).body;
    const pushed = nextEvent(viewer, 'leaderboard:update');
    expect((await sut.submit(ids[0], 500)).status).toBe(200); // 100 → 600: from 10th to 1st
    const update = await pushed;
    expect(update.hash).not.toBe(before.hash);
    expect(update.version).toBeGreaterThan(before.version);
    expect(update.data[0]).toMatchObject({ id: ids[0], rank: 1, score: 600 });
    expect(update.data).toEqual(await sqlTop10(sut.db));

    const quiet = eventsWithin(viewer, 'leaderboard:update', 700);
    expect((await sut.submit(ids[11], 5)).status).toBe(200); // 5 < the 10th score (110)
    expect(await quiet).toEqual([]);
    expect(await counter(sut, 'leaderboard_refresh_skips_total', 'fast_path')).toBeGreaterThanOrEqual(1);
  });

  it('serves the first page of GET /api/users from the same snapshot', async () => {
    const { body } = await sut.request('GET', '/api/users?limit=5&page=0&order=score+desc');
    expect(body.data).toEqual((await sqlTop10(sut.db)).slice(0, 5));
    expect(body.total).toBe(12);
    const refreshes = await counter(sut, 'leaderboard_refreshes_total');
    await sut.request('GET', '/api/users?limit=10');
    await sut.request('GET', '/api/leaderboard');
    expect(await counter(sut, 'leaderboard_refreshes_total')).toBe(refreshes); // read from Redis, no query
  });

  it('submits over score:update with the REST rules: success ack, errors ack and change nothing', async () => {
    const player = await sut.connect(playerToken(ids[10]));
    const ok = await emitWithAck(player, 'score:update', { userId: ids[10], score: 7, actionId: 'sock-1' });
    expect(ok).toEqual({ ok: true, result: { id: ids[10], name: 'player11', score: 7, rank: expect.any(Number), applied: true } });
    const again = await emitWithAck(player, 'score:update', { userId: ids[10], score: 7, actionId: 'sock-1' });
    expect(again.result).toMatchObject({ score: 7, applied: false });

    const bad: [unknown, number][] = [
      [{ userId: ids[10], score: '10' }, 400],
      [{ userId: ids[10], score: 1.5 }, 400],
      [{ userId: ids[10], score: null }, 400],
      [{ userId: String(ids[10]), score: 1 }, 400],
      [{ userId: ids[10], score: 1, extra: true }, 400],
      [{ userId: ids[10], score: 1, actionId: 'bad id!' }, 400],
      [{ userId: ids[10], score: 0 }, 400],
      [{ userId: ids[10], score: 1001 }, 400],
      ['text', 400],
      [{ userId: ids[9], score: 1 }, 403],
      [{ userId: 999999, score: 1 }, 403],
    ];
    for (const [payload, statusCode] of bad) {
      const ack = await emitWithAck(player, 'score:update', payload);
      expect({ payload, ack }).toEqual({
        payload,
        ack: { ok: false, error: expect.objectContaining({ statusCode, message: expect.anything() }) },
      });
    }
    const [{ score }] = await sut.db.query<{ score: string }>('SELECT score FROM users WHERE id = $1', [ids[10]]);
    expect(Number(score)).toBe(7);
    const [{ count }] = await sut.db.query<{ count: string }>('SELECT count(*) FROM score_events WHERE user_id IN ($1, $2)', [
      ids[10],
      ids[9],
    ]);
    expect(Number(count)).toBe(2); // ids[9]'s seed row and the one applied above

    const backend = await sut.connect(backendToken());
    expect(await emitWithAck(backend, 'score:update', { userId: 99999999, score: 1 })).toMatchObject({
      ok: false,
      error: { statusCode: 404 },
    });
  });

  it('answers nothing to a message sent without an ack callback (but still applies it)', async () => {
    const player = await sut.connect(playerToken(ids[11]));
    const anything: string[] = [];
    player.onAny((event) => anything.push(event));
    player.emit('score:update', { userId: ids[11], score: 2 });
    player.emit('score:update', { userId: ids[11], score: 'bad' });
    await waitUntil(
      'the score',
      async () => Number((await sut.db.query<{ score: string }>('SELECT score FROM users WHERE id = $1', [ids[11]]))[0].score) === 7,
      3000,
    );
    expect(await eventsWithin(player, 'exception', 300)).toEqual([]);
    expect(anything).toEqual([]);
  });

  it('disconnects a socket when its token expires', async () => {
    // exp 29 s ago: still inside the 30 s clock tolerance, so accepted, and cut off about a second later
    const socket = await sut.connect(token({ sub: String(ids[0]) }, { expiresIn: -29 }));
    const reason = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('not disconnected')), 3000);
      socket.once('disconnect', (why) => (clearTimeout(timer), resolve(why)));
    });
    expect(reason).toBe('io server disconnect');
  });

  it('keeps a burst of 300 submissions coalesced: versions strictly increase, the end state equals SQL', async () => {
    const updates = record<{ version: number; hash: string; data: unknown[] }>(viewer, 'leaderboard:update');
    const refreshesBefore = await counter(sut, 'leaderboard_refreshes_total');
    const results = await concurrently(300, 100, (i) => sut.submit(ids[i % 12], 1 + ((i * 7) % 50)));
    expect(results.filter((r) => r.status !== 200).map((r) => r.body)).toEqual([]);

    const expected = await sqlTop10(sut.db);
    await waitUntil('the final board to be pushed', () => updates.at(-1)?.hash === md5(expected), 5000);
    const versions = updates.map((u) => u.version);
    versions.slice(1).forEach((version, i) => expect(version).toBeGreaterThan(versions[i]));
    expect((await sut.request('GET', '/api/leaderboard')).body.data).toEqual(expected);
    const refreshes = (await counter(sut, 'leaderboard_refreshes_total')) - refreshesBefore;
    expect(refreshes).toBeLessThan(100);
    expect(refreshes).toBeGreaterThan(0);
  });
});
