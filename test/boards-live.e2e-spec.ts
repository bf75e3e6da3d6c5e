import { createClient } from 'redis';
import { RealtimeGateway } from '../src/realtime/realtime.gateway';
import { boardsToken, createBoard, resetBoard, sqlBoardTop10, submitToBoard } from './support/boards';
import { concurrently } from './support/concurrently';
import { startTestApp, TestContext } from './support/fixture';
import { counter } from './support/metrics';
import { emitWithAck, eventsWithin, nextEvent, record, Socket } from './support/socket';
import { md5 } from './support/sql-order';
import { TEST_REDIS_URL } from './support/redis-server';
import { waitUntil } from './support/wait';

type Update = { board: string; period: number; version: number; hash: string; data: { id: number; name: string; score: number }[] };

/** Contract §8, Socket.IO: rooms `leaderboard:{key}`, pushes on change only, new periods, several instances. */
describe('boards live over Socket.IO (contract §8)', () => {
  let a: TestContext;
  let b: TestContext;
  let ids: number[];
  const watchBoard = async (t: TestContext, key: string): Promise<[Socket, Update]> => {
    const socket = await t.connect(t.tokens.viewer());
    const ack = await emitWithAck(socket, 'subscribe', { room: `leaderboard:${key}` });
    expect(ack).toMatchObject({ ok: true, snapshot: { board: key } });
    return [socket, ack.snapshot];
  };
  const inRoom = async (t: TestContext, room: string) => (await t.app.get(RealtimeGateway).server.in(room).fetchSockets()).map((s) => s.id);

  beforeAll(async () => {
    a = await startTestApp({ redis: true, env: { IP_RATE_LIMIT: '0' } });
    b = await a.startInstance();
    ids = await a.createUsers(Array.from({ length: 12 }, (_, i) => `p${i + 1}`));
    await createBoard(a, { key: 'coins', name: 'Coins' });
    await createBoard(a, { key: 'lap', name: 'Lap', order: 'asc', operator: 'best' });
    for (const [i, id] of ids.slice(0, 10).entries()) await submitToBoard(a, 'coins', { userId: id, score: 100 + 10 * i });
  });

  it('acks subscribe to leaderboard:{key} with the board’s snapshot (board, period, SQL top 10), the same as its GET', async () => {
    const [socket, snapshot] = await watchBoard(a, 'coins');
    expect(snapshot).toEqual({
      board: 'coins',
      period: 1,
      hash: md5(snapshot.data),
      version: expect.any(Number),
      updatedAt: expect.any(String),
      data: await sqlBoardTop10(a.db, 'coins'),
    });
    expect((await a.request('GET', '/api/boards/coins/leaderboard')).body).toEqual(snapshot);
    expect(await inRoom(a, 'leaderboard:coins')).toContain(socket.id);
    expect(await emitWithAck(socket, 'unsubscribe', { room: 'leaderboard:coins' })).toEqual({ ok: true });
    expect(await inRoom(a, 'leaderboard:coins')).not.toContain(socket.id);
  });

  it('keeps room leaderboard for global; leaderboard:global is the same room', async () => {
    const socket = await a.connect(a.tokens.viewer());
    const ack = await emitWithAck(socket, 'subscribe', { room: 'leaderboard:global' });
    expect(ack).toMatchObject({ ok: true, snapshot: { board: 'global', period: 1 } });
    expect(ack.snapshot).toMatchObject({ hash: (await a.request('GET', '/api/leaderboard')).body.hash });
    expect(await inRoom(a, 'leaderboard')).toContain(socket.id);
  });

  it('nacks an unknown board (404) without joining its room, and a malformed room (400)', async () => {
    const socket = await a.connect(a.tokens.viewer());
    expect(await emitWithAck(socket, 'subscribe', { room: 'leaderboard:no-such-board' })).toEqual({
      ok: false,
      error: expect.objectContaining({ statusCode: 404, message: expect.stringContaining('no-such-board') }),
    });
    expect(await inRoom(a, 'leaderboard:no-such-board')).toEqual([]);
    for (const room of ['leaderboard:Coins', 'leaderboard:', 'leaderboard:coins:x', `leaderboard:${'k'.repeat(33)}`]) {
      expect([room, await emitWithAck(socket, 'subscribe', { room })]).toEqual([
        room,
        { ok: false, error: expect.objectContaining({ statusCode: 400 }) },
      ]);
    }
    expect(await emitWithAck(socket, 'subscribe', { room: 'leaderboard:coins' })).toMatchObject({ ok: true }); // the control
  });

  it('pushes a change of the board’s top 10 to its room only, and nothing when its top 10 stays the same', async () => {
    const [viewer, before] = await watchBoard(a, 'coins');
    const [lapViewer] = await watchBoard(a, 'lap');
    const lapQuiet = eventsWithin(lapViewer, 'leaderboard:update', 1500);
    const pushed = nextEvent<Update>(viewer, 'leaderboard:update');
    expect((await submitToBoard(a, 'coins', { userId: ids[10], score: 500 })).status).toBe(200); // into the top 10, first
    const update = await pushed;
    expect(update).toMatchObject({ board: 'coins', period: 1, data: await sqlBoardTop10(a.db, 'coins') });
    expect(update.data[0]).toMatchObject({ id: ids[10], rank: 1, score: 500 });
    expect(update.hash).not.toBe(before.hash);
    expect(update.version).toBeGreaterThan(before.version);
    expect(await lapQuiet).toEqual([]); // another board's room hears nothing

    const fastPaths = await counter(a, 'leaderboard_refresh_skips_total', 'fast_path');
    const quiet = eventsWithin(viewer, 'leaderboard:update', 1000);
    expect((await submitToBoard(a, 'coins', { userId: ids[11], score: 1 })).status).toBe(200); // 1 < the 10th score
    expect(await quiet).toEqual([]);
    // the control: the submission's commit reached the board's refresh, which its value (below the 10th) let skip
    await waitUntil('the fast-path skip', async () => (await counter(a, 'leaderboard_refresh_skips_total', 'fast_path')) > fastPaths);
  });

  it('serves GET …/leaderboard from the store: no query per GET while nothing changes', async () => {
    const first = (await a.request('GET', '/api/boards/coins/leaderboard')).body;
    const refreshes = await counter(a, 'leaderboard_refreshes_total');
    for (let i = 0; i < 5; i++) expect((await a.request('GET', '/api/boards/coins/leaderboard')).body).toEqual(first);
    expect((await b.request('GET', '/api/boards/coins/leaderboard')).body.hash).toBe(first.hash);
    expect(await counter(a, 'leaderboard_refreshes_total')).toBe(refreshes);
  });

  it('pushes the new period’s empty board at once when a period closes, also after an empty period', async () => {
    await createBoard(a, { key: 'cup', name: 'Cup' });
    await submitToBoard(a, 'cup', { userId: ids[0], score: 7 });
    const [viewer, first] = await watchBoard(b, 'cup');
    expect(first).toMatchObject({ period: 1, data: [{ id: ids[0], score: 7 }] });
    const seen = record<Update>(viewer, 'leaderboard:update');
    expect((await resetBoard(a, 'cup')).body).toEqual({ closed: 1, period: 2 });
    await waitUntil('period 2 pushed', () => seen.some((u) => u.period === 2));
    expect((await resetBoard(a, 'cup')).body).toEqual({ closed: 2, period: 3 });
    await waitUntil('period 3 pushed', () => seen.some((u) => u.period === 3));
    expect(seen.map((u) => [u.board, u.period, u.data])).toEqual([
      ['cup', 2, []],
      ['cup', 3, []], // same hash as period 2's (md5 of []), yet news: another period
    ]);
    expect(seen[1].version).toBeGreaterThan(seen[0].version);
    expect((await b.request('GET', '/api/boards/cup/leaderboard')).body).toEqual(seen[1]);
  });

  it('pushes a scheduled close (5 s cron) to subscribers on every instance', async () => {
    await createBoard(a, { key: 'tick', name: 'Tick', reset: '*/5 * * * * *' });
    const [onA, start] = await watchBoard(a, 'tick');
    const [onB] = await watchBoard(b, 'tick');
    const next = (socket: Socket) => nextEvent<Update>(socket, 'leaderboard:update', 12_000, (u) => u.period > start.period);
    const [fromA, fromB] = await Promise.all([next(onA), next(onB)]);
    expect(fromA).toEqual(fromB);
    expect(fromA).toMatchObject({ board: 'tick', period: start.period + 1, data: [] });
    expect((await a.request('DELETE', '/api/boards/tick', { token: boardsToken(a) })).status).toBe(204);
  });

  it('gets a board push to a subscriber of the other instance; versions never go down under concurrent writes on both', async () => {
    const [onA] = await watchBoard(a, 'lap');
    const [onB] = await watchBoard(b, 'lap');
    const seenA = record<Update>(onA, 'leaderboard:update');
    const seenB = record<Update>(onB, 'leaderboard:update');
    const first = nextEvent<Update>(onB, 'leaderboard:update');
    expect((await submitToBoard(a, 'lap', { userId: ids[0], score: 60_000 })).status).toBe(200);
    expect((await first).data).toEqual(await sqlBoardTop10(a.db, 'lap', 'asc'));

    const reads: number[] = [];
    const writes = concurrently(120, 24, (i) =>
      submitToBoard(i % 2 ? a : b, 'lap', { userId: ids[i % ids.length], score: 50_000 + ((i * 7919) % 9000) }),
    );
    const polling = (async () => {
      for (let i = 0; i < 20; i++) reads.push((await (i % 2 ? a : b).request('GET', '/api/boards/lap/leaderboard')).body.version);
    })();
    expect((await writes).filter((r) => r.status !== 200).map((r) => r.body)).toEqual([]);
    await polling;
    const expected = md5(await sqlBoardTop10(a.db, 'lap', 'asc'));
    await waitUntil('both viewers to get the final board', () => seenA.at(-1)?.hash === expected && seenB.at(-1)?.hash === expected);
    for (const seen of [seenA, seenB]) seen.slice(1).forEach((u, i) => expect(u.version).toBeGreaterThan(seen[i].version));
    expect(seenA.at(-1)).toEqual(seenB.at(-1));
    reads.slice(1).forEach((version, i) => expect(version).toBeGreaterThanOrEqual(reads[i]));
    for (const t of [a, b]) expect((await t.request('GET', '/api/boards/lap/leaderboard')).body.hash).toBe(expected);
  });

  it('pushes a rename of a player on a board’s top 10 (an outside UPDATE of users)', async () => {
    const [viewer] = await watchBoard(b, 'coins');
    const renamed = nextEvent<Update>(viewer, 'leaderboard:update', 5000, (u) => u.data.some((e) => e.name === 'Renamed'));
    await a.db.query(`UPDATE users SET name = 'Renamed' WHERE id = $1`, [ids[10]]);
    expect((await renamed).data).toEqual(await sqlBoardTop10(a.db, 'coins'));
  });

  it('drops a deleted board’s snapshot on every instance (404, nack), and a new board with its key starts afresh', async () => {
    const [viewer, before] = await watchBoard(b, 'coins');
    expect((await a.request('DELETE', '/api/boards/coins', { token: boardsToken(a) })).status).toBe(204);
    for (const t of [a, b])
      await waitUntil('404 for the deleted board', async () => (await t.request('GET', '/api/boards/coins/leaderboard')).status === 404);
    expect(await emitWithAck(viewer, 'subscribe', { room: 'leaderboard:coins' })).toMatchObject({ ok: false, error: { statusCode: 404 } });
    const redis = createClient({ url: TEST_REDIS_URL });
    await redis.connect();
    const stored = await redis.get(`${a.env.REDIS_PREFIX}{leaderboard}:snapshot:coins`).finally(() => redis.close());
    expect(JSON.parse(stored!)).toEqual({ board: 'coins', version: expect.any(Number), deleted: true });

    await createBoard(b, { key: 'coins', name: 'Coins again' });
    const again = (await a.request('GET', '/api/boards/coins/leaderboard')).body;
    expect(again).toMatchObject({ board: 'coins', period: 1, data: [] });
    expect(again.version).toBeGreaterThan(before.version);
    const pushed = nextEvent<Update>(viewer, 'leaderboard:update');
    expect(await emitWithAck(viewer, 'subscribe', { room: 'leaderboard:coins' })).toMatchObject({ ok: true });
    await submitToBoard(a, 'coins', { userId: ids[0], score: 3 });
    expect((await pushed).data).toEqual([{ id: ids[0], rank: 1, name: 'p1', score: 3 }]);
  });
});
