import { EventBus, ofType } from '@nestjs/cqrs';
import { BoardChangedEvent } from '../src/boards/board-events';
import { boardState, boardsToken, createBoard, submitToBoard } from './support/boards';
import { TestDatabase } from './support/database';
import { startTestApp, TestContext } from './support/fixture';
import { md5 } from './support/sql-order';

describe('boards: submissions and standings (contract §8)', () => {
  let db: TestDatabase;
  let sut: TestContext;
  let ids: number[];
  const submit = (key: string, body: Record<string, unknown>) => submitToBoard(sut, key, body);
  const get = (path: string) => sut.request('GET', path);
  const entryRow = async (key: string, userId: number) =>
    (
      await db.query<{ score: string; reached_at: Date }>('SELECT score, reached_at FROM board_scores WHERE board = $1 AND user_id = $2', [
        key,
        userId,
      ])
    )[0];

  beforeAll(async () => {
    sut = await startTestApp({ env: { SCORE_RATE_LIMIT: '3' } });
    db = sut.db;
    ids = await sut.createUsers(['Ann', 'Bob', 'Cid', 'Dee', 'Eve', 'Fay']);
    await createBoard(sut, { key: 'coins', name: 'Coins', maxIncrement: 100 });
    await createBoard(sut, { key: 'high', name: 'High score', operator: 'best' });
    await createBoard(sut, { key: 'lap', name: 'Fastest lap', operator: 'best', order: 'asc' });
    await createBoard(sut, { key: 'level', name: 'Level', operator: 'latest' });
  });

  describe('incr', () => {
    it('adds 1…maxIncrement, answers board, period, total, rank, applied, and records the ledger row with its board', async () => {
      const [ann, bob] = ids;
      expect((await submit('coins', { userId: ann, score: 40, actionId: 'q1' })).body).toEqual({
        board: 'coins',
        period: 1,
        id: ann,
        name: 'Ann',
        score: 40,
        rank: 1,
        applied: true,
      });
      expect((await submit('coins', { userId: ann, score: 60 })).body).toMatchObject({ score: 100, rank: 1 });
      expect((await submit('coins', { userId: bob, score: 100 })).body).toMatchObject({ score: 100, rank: 2 }); // reached 100 after Ann
      const ledger = await db.query<{ sum: string }>(
        `SELECT sum(points) FROM score_events WHERE board = 'coins' AND period = 1 AND user_id = $1`,
        [ann],
      );
      expect(ledger).toEqual([{ sum: '100' }]);
      expect((await db.query(`SELECT score FROM users WHERE id = $1`, [ann]))[0]).toEqual({ score: '0' }); // global untouched
    });

    it('counts an actionId once per user per board, and again on another board', async () => {
      const [ann] = ids;
      const before = await boardState(db);
      expect((await submit('coins', { userId: ann, score: 40, actionId: 'q1' })).body).toEqual({
        board: 'coins',
        period: 1,
        id: ann,
        name: 'Ann',
        score: 100,
        rank: 1,
        applied: false,
      });
      expect(await boardState(db)).toEqual(before);
      expect((await submit('high', { userId: ann, score: 40, actionId: 'q1' })).body).toMatchObject({
        board: 'high',
        applied: true,
        score: 40,
      });
      expect(
        (await sut.request('POST', `/api/users/${ann}/score`, { body: { score: 5, actionId: 'q1' }, token: sut.tokens.backend() })).body,
      ).toMatchObject({ applied: true, score: 5 });
    });

    it('publishes BoardChangedEvent once an applied submission has committed, not for a duplicate', async () => {
      const [ann] = ids;
      const events: BoardChangedEvent[] = [];
      const subscription = sut.app
        .get(EventBus)
        .pipe(ofType(BoardChangedEvent))
        .subscribe((event) => events.push(event));
      const res = await submit('coins', { userId: ann, score: 1, actionId: 'evt' });
      expect(events).toEqual([
        new BoardChangedEvent('coins', { period: res.body.period, order: 'desc', entries: [{ userId: ann, score: res.body.score }] }),
      ]);
      const [{ n }] = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM score_events WHERE board = 'coins' AND action_id = 'evt'`,
      );
      expect([res.body.applied, n]).toEqual([true, 1]);
      await submit('coins', { userId: ann, score: 1, actionId: 'evt' });
      expect(events).toHaveLength(1);
      subscription.unsubscribe();
    });

    it('follows a PATCHed maxIncrement', async () => {
      const [, , , dee] = ids;
      expect((await sut.request('PATCH', '/api/boards/coins', { body: { maxIncrement: 5 }, token: boardsToken(sut) })).status).toBe(200);
      expect((await submit('coins', { userId: dee, score: 6 })).status).toBe(400);
      expect((await submit('coins', { userId: dee, score: 5 })).body).toMatchObject({ score: 5, applied: true });
      expect((await sut.request('PATCH', '/api/boards/coins', { body: { maxIncrement: 100 }, token: boardsToken(sut) })).status).toBe(200);
    });

    it('applies an actionId once however concurrently it is sent', async () => {
      const [, , cid] = ids;
      const results = await Promise.all(Array.from({ length: 8 }, () => submit('coins', { userId: cid, score: 7, actionId: 'race' })));
      expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
      expect(results.filter((r) => r.body.applied)).toHaveLength(1);
      expect(results.map((r) => r.body.score)).toEqual(Array(8).fill(7));
      expect(await db.query(`SELECT count(*)::int AS n FROM score_events WHERE board = 'coins' AND action_id = 'race'`)).toEqual([
        { n: 1 },
      ]);
    });
  });

  describe('best and latest', () => {
    it('best keeps the higher value; one that is not better changes nothing, not even when it was reached', async () => {
      const [, bob] = ids;
      expect((await submit('high', { userId: bob, score: 500 })).body).toMatchObject({ score: 500, rank: 1, applied: true });
      const reached = (await entryRow('high', bob)).reached_at;
      expect((await submit('high', { userId: bob, score: 300 })).body).toMatchObject({ score: 500, rank: 1, applied: true });
      expect((await submit('high', { userId: bob, score: 500 })).body).toMatchObject({ score: 500 });
      expect((await entryRow('high', bob)).reached_at).toEqual(reached);
      expect((await submit('high', { userId: bob, score: 800 })).body).toMatchObject({ score: 800 });
      expect((await entryRow('high', bob)).reached_at.getTime()).toBeGreaterThan(reached.getTime());
    });

    it('records every accepted submission; on best/latest the value, and points summing to the kept value', async () => {
      const [, bob] = ids;
      const rows = await db.query<{ points: string; value: string }>(
        `SELECT points, value FROM score_events WHERE board = 'high' AND user_id = $1 ORDER BY id`,
        [bob],
      );
      expect(rows).toEqual([
        { points: '500', value: '500' },
        { points: '0', value: '300' },
        { points: '0', value: '500' },
        { points: '300', value: '800' },
      ]);
    });

    it('an asc best board keeps the lower value and ranks the lowest first, ties by who reached it first', async () => {
      const [ann, bob, cid] = ids;
      await submit('lap', { userId: ann, score: 61_000 });
      await submit('lap', { userId: bob, score: 59_500 });
      expect((await submit('lap', { userId: ann, score: 65_000 })).body).toMatchObject({ score: 61_000, rank: 2 });
      expect((await submit('lap', { userId: cid, score: 59_500 })).body).toMatchObject({ score: 59_500, rank: 2 });
      expect((await submit('lap', { userId: ann, score: 0 })).body).toMatchObject({ score: 0, rank: 1 });
      const page = await get('/api/boards/lap/entries');
      expect(page.body).toEqual({
        data: [
          { id: ann, rank: 1, name: 'Ann', score: 0 },
          { id: bob, rank: 2, name: 'Bob', score: 59_500 },
          { id: cid, rank: 3, name: 'Cid', score: 59_500 },
        ],
        page: 0,
        limit: 10,
        order: 'score asc',
        total: 3,
        period: 1,
      });
      const reversed = await get('/api/boards/lap/entries?order=score+desc');
      expect(reversed.body.data).toEqual([...page.body.data].reverse());
    });

    it('latest replaces the value either way; an equal one keeps the time it was reached', async () => {
      const [, , , dee] = ids;
      expect((await submit('level', { userId: dee, score: 9 })).body).toMatchObject({ score: 9 });
      expect((await submit('level', { userId: dee, score: 4 })).body).toMatchObject({ score: 4 });
      const reached = (await entryRow('level', dee)).reached_at;
      expect((await submit('level', { userId: dee, score: 4 })).body).toMatchObject({ score: 4, applied: true });
      expect((await entryRow('level', dee)).reached_at).toEqual(reached);
      expect(await db.query(`SELECT sum(points)::int AS s FROM score_events WHERE board = 'level' AND user_id = $1`, [dee])).toEqual([
        { s: 4 },
      ]);
    });
  });

  describe('bad submissions: the contract status and nothing changed', () => {
    it.each([
      ['incr 0', 'coins', { score: 0 }, 400, 'score'],
      ['incr above maxIncrement', 'coins', { score: 101 }, 400, 'score'],
      ['global above SCORE_MAX_INCREMENT', 'global', { score: 1001 }, 400, 'score'],
      ['global 0', 'global', { score: 0 }, 400, 'score'],
      ['best negative', 'high', { score: -1 }, 400, 'score'],
      ['best above 2^53−1', 'high', { score: 2 ** 53 }, 400, 'score'],
      ['latest float', 'level', { score: 1.5 }, 400, 'score'],
      ['latest as a string', 'level', { score: '5' }, 400, 'score'],
      ['a userId as a string', 'high', { userId: '1', score: 5 }, 400, 'userId'],
      ['a bad actionId', 'high', { score: 5, actionId: 'a b' }, 400, 'actionId'],
      ['an unknown field', 'high', { score: 5, bonus: 1 }, 400, 'bonus'],
      ['an unknown user', 'high', { userId: 999_999, score: 5 }, 404, 'User'],
      ['an unknown board', 'nope', { score: 5 }, 404, 'Board'],
    ])('%s', async (_, key, body, status, word) => {
      const before = [await boardState(db), await db.query('SELECT id, score FROM users ORDER BY id')];
      const res = await submit(key, { userId: ids[4], ...body });
      expect(res.status).toBe(status);
      expect(JSON.stringify(res.body.message)).toContain(word);
      expect([await boardState(db), await db.query('SELECT id, score FROM users ORDER BY id')]).toEqual(before);
    });

    it('is 400 for an incr total past 2^53−1', async () => {
      const [, , , , eve] = ids;
      await submit('coins', { userId: eve, score: 1 });
      await db.query(`UPDATE board_scores SET score = 9007199254740990 WHERE board = 'coins' AND user_id = $1`, [eve]);
      const before = await boardState(db);
      expect((await submit('coins', { userId: eve, score: 5 })).status).toBe(400);
      expect(await boardState(db)).toEqual(before);
      await db.query(`DELETE FROM board_scores WHERE board = 'coins' AND user_id = $1`, [eve]);
      await db.query(`DELETE FROM score_events WHERE board = 'coins' AND user_id = $1`, [eve]);
    });
  });

  describe('who may submit', () => {
    it('lets the owner submit, refuses another player (403) and no token (401), changing nothing', async () => {
      const [ann, bob] = ids;
      expect(
        (await sut.request('POST', '/api/boards/level/scores', { body: { userId: ann, score: 3 }, token: sut.tokens.player(ann) })).status,
      ).toBe(200);
      const before = await boardState(db);
      expect(
        (await sut.request('POST', '/api/boards/level/scores', { body: { userId: ann, score: 3 }, token: sut.tokens.player(bob) })).status,
      ).toBe(403);
      expect((await sut.request('POST', '/api/boards/level/scores', { body: { userId: ann, score: 3 } })).status).toBe(401);
      expect(
        (
          await sut.request('POST', '/api/boards/level/scores', {
            body: { userId: ann, score: 3 },
            token: sut.tokens.sign({ scope: 'users:write' }),
          })
        ).status,
      ).toBe(403);
      expect(await boardState(db)).toEqual(before);
    });

    it('rate-limits a player over all boards and global together (SCORE_RATE_LIMIT=3 here), not scores:write', async () => {
      const [, , , , , fay] = ids;
      const as = (path: string, body: unknown) => sut.request('POST', path, { body, token: sut.tokens.player(fay) });
      expect((await as('/api/boards/level/scores', { userId: fay, score: 1 })).status).toBe(200);
      expect((await as(`/api/users/${fay}/score`, { score: 1 })).status).toBe(200);
      expect((await as('/api/boards/high/scores', { userId: fay, score: 1 })).status).toBe(200);
      const before = await boardState(db);
      const refused = await as('/api/boards/coins/scores', { userId: fay, score: 1 });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await boardState(db)).toEqual(before);
      expect((await submit('coins', { userId: fay, score: 1 })).status).toBe(200);
    });
  });

  describe('reads', () => {
    it('pages entries with board ranks, both orders exactly reversed, total = those with a score', async () => {
      const all = await get('/api/boards/high/entries?limit=100');
      expect(all.body.total).toBe(all.body.data.length);
      expect(all.body.data.map((e: { rank: number }) => e.rank)).toEqual(all.body.data.map((_: unknown, i: number) => i + 1));
      const page1 = await get('/api/boards/high/entries?limit=1&page=1');
      expect(page1.body).toMatchObject({
        data: [all.body.data[1]],
        page: 1,
        limit: 1,
        order: 'score desc',
        total: all.body.total,
        period: 1,
      });
      const asc = await get('/api/boards/high/entries?limit=100&order=score+asc');
      expect(asc.body.data).toEqual([...all.body.data].reverse());
    });

    it('ids= gives just those users with their board ranks; total counts those with a score', async () => {
      const [ann, bob, cid] = ids;
      const res = await get(`/api/boards/lap/entries?ids=${cid},${ann},999999,${ids[5]}`);
      expect(res.body).toEqual({
        data: [
          { id: ann, rank: 1, name: 'Ann', score: 0 },
          { id: cid, rank: 3, name: 'Cid', score: 59_500 },
        ],
        page: 0,
        limit: 10,
        order: 'score asc',
        total: 2,
        period: 1,
      });
      expect((await get(`/api/boards/lap/entries?ids=${bob}&order=score+desc`)).body.data).toEqual([
        { id: bob, rank: 2, name: 'Bob', score: 59_500 },
      ]);
    });

    it.each([
      ['ids=abc'],
      ['ids=1,,2'],
      ['ids=0'],
      [`ids=${Array.from({ length: 101 }, (_, i) => i + 1).join(',')}`],
      ['limit=0'],
      ['limit=101'],
      ['page=-1'],
      ['order=name'],
    ])('is 400 for %s', async (query) => {
      const res = await get(`/api/boards/high/entries?${query}`);
      expect(res.status).toBe(400);
    });

    it('gives one entry with rank and period, 404 when the user has no score this period, 400 for a bad id', async () => {
      const [ann, , , , eve] = ids;
      expect((await get(`/api/boards/lap/entries/${ann}`)).body).toEqual({ id: ann, rank: 1, name: 'Ann', score: 0, period: 1 });
      expect((await get(`/api/boards/lap/entries/${eve}`)).status).toBe(404);
      expect((await get(`/api/boards/lap/entries/1e3`)).status).toBe(400);
      expect((await get(`/api/boards/lap/entries/${eve}/around`)).status).toBe(404);
    });

    it('/around follows the rules of /api/users/{id}/around on the board', async () => {
      const board = (await get('/api/boards/high/entries?limit=100')).body.data;
      const middle = board[2];
      const res = await get(`/api/boards/high/entries/${middle.id}/around?limit=1`);
      expect(res.body).toEqual({ data: board.slice(1, 4) });
      expect((await get(`/api/boards/high/entries/${board[0].id}/around?limit=2`)).body).toEqual({ data: board.slice(0, 3) });
      expect((await get(`/api/boards/high/entries/${middle.id}/around?limit=51`)).status).toBe(400);
    });

    it('/around on an asc board: lower scores are above, ties by who reached them first', async () => {
      const lap = (await get('/api/boards/lap/entries')).body.data;
      expect((await get(`/api/boards/lap/entries/${lap[0].id}/around?limit=1`)).body).toEqual({ data: lap.slice(0, 2) });
      expect((await get(`/api/boards/lap/entries/${lap[1].id}/around`)).body).toEqual({ data: lap });
      expect((await get(`/api/boards/lap/entries/${lap[2].id}/around?limit=1`)).body).toEqual({ data: lap.slice(1) });
    });

    it('serves the top-10 snapshot with board, period, md5 of data and a growing version', async () => {
      const first = await get('/api/boards/high/leaderboard');
      const entries = (await get('/api/boards/high/entries')).body.data;
      expect(first.body).toEqual({
        board: 'high',
        period: 1,
        hash: md5(entries),
        version: expect.any(Number),
        updatedAt: expect.any(String),
        data: entries,
      });
      await submit('high', { userId: ids[4], score: 10_000 });
      const second = await get('/api/boards/high/leaderboard');
      expect(second.body.data[0]).toMatchObject({ id: ids[4], rank: 1, score: 10_000 });
      expect(second.body.version).toBeGreaterThan(first.body.version);
    });
  });

  describe('global is the board of §3–§5', () => {
    it('submits through the same rules as /api/users/{id}/score and reads consistently with /api/users', async () => {
      const [ann, bob] = ids;
      const res = await sut.request('POST', '/api/boards/global/scores', {
        body: { userId: bob, score: 30, actionId: 'g1' },
        token: sut.tokens.player(bob),
      });
      expect(res.body).toEqual({ board: 'global', period: 1, id: bob, name: 'Bob', score: 30, rank: 1, applied: true });
      expect(
        (await sut.request('POST', `/api/users/${bob}/score`, { body: { score: 30, actionId: 'g1' }, token: sut.tokens.backend() })).body
          .applied,
      ).toBe(false);
      const users = (await get('/api/users?limit=100')).body;
      const entries = (await get('/api/boards/global/entries?limit=100')).body;
      expect(entries).toEqual({ ...users, period: 1 });
      expect((await get(`/api/boards/global/entries/${ann}`)).body).toEqual({
        ...users.data.find((u: { id: number }) => u.id === ann),
        period: 1,
      });
      expect((await get(`/api/boards/global/entries/${bob}/around?limit=1`)).body).toEqual(
        (await get(`/api/users/${bob}/around?limit=1`)).body,
      );
      expect((await get(`/api/boards/global/entries?ids=${ann},${bob}`)).body.data).toEqual(
        users.data.filter((u: { id: number }) => u.id === ann || u.id === bob),
      );
      const snapshot = (await get('/api/boards/global/leaderboard')).body;
      const { hash, data } = (await get('/api/leaderboard')).body;
      expect(snapshot).toMatchObject({ board: 'global', period: 1, hash, data });
      expect((await get('/api/boards/global/periods')).body).toEqual({ data: [] });
      expect((await get('/api/boards/global/periods/1/entries?limit=100')).body).toEqual(entries);
    });
  });
});
