import { boardState, boardsToken, createBoard } from './support/boards';
import { TestDatabase } from './support/database';
import { startTestApp, TestContext } from './support/fixture';

describe('boards: definitions (contract §8)', () => {
  let db: TestDatabase;
  let sut: TestContext;
  const post = (body: unknown, auth = boardsToken(sut)) => sut.request('POST', '/api/boards', { body, token: auth });
  const patch = (key: string, body: unknown, auth = boardsToken(sut)) => sut.request('PATCH', `/api/boards/${key}`, { body, token: auth });

  beforeAll(async () => {
    sut = await startTestApp({ env: { SCORE_MAX_INCREMENT: '1000' } });
    db = sut.db;
  });

  it('has global from the start: the board of §3–§5, period 1', async () => {
    const res = await sut.request('GET', '/api/boards/global');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      key: 'global',
      name: 'Global',
      order: 'desc',
      operator: 'incr',
      reset: 'never',
      timezone: 'UTC',
      maxIncrement: 1000,
      period: 1,
      periodEndsAt: null,
    });
  });

  it('creates a board with defaults and period 1, lists it after global, and reads it back', async () => {
    const res = await post({ key: 'coins', name: '  Coins  ' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      key: 'coins',
      name: 'Coins',
      order: 'desc',
      operator: 'incr',
      reset: 'never',
      timezone: 'UTC',
      maxIncrement: 1000,
      period: 1,
    });
    const list = await sut.request('GET', '/api/boards');
    expect(list.body.data.map((b: { key: string }) => b.key)).toEqual(['global', 'coins']);
    expect(list.body.data[1]).toEqual({
      key: 'coins',
      name: 'Coins',
      order: 'desc',
      operator: 'incr',
      reset: 'never',
      timezone: 'UTC',
      maxIncrement: 1000,
    });
    expect((await sut.request('GET', '/api/boards/coins')).body).toMatchObject({ key: 'coins', period: 1 });
    const [period] = await db.query<{ period: number; ends_at: Date | null; closed_at: Date | null }>(
      `SELECT * FROM board_periods WHERE board = 'coins'`,
    );
    expect(period).toMatchObject({ period: 1, ends_at: null, closed_at: null });
  });

  it('stores a weekly board in Europe/Paris whose first period ends on the next Monday 00:00 Paris time', async () => {
    const res = await post({
      key: 'weekly-race',
      name: 'Weekly race',
      order: 'asc',
      operator: 'best',
      reset: 'weekly',
      timezone: 'Europe/Paris',
    });
    expect(res.body).toEqual({
      key: 'weekly-race',
      name: 'Weekly race',
      order: 'asc',
      operator: 'best',
      reset: 'weekly',
      timezone: 'Europe/Paris',
      maxIncrement: null,
      period: 1,
    });
    const [{ ends_at }] = await db.query<{ ends_at: Date }>(`SELECT ends_at FROM board_periods WHERE board = 'weekly-race'`);
    const paris = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Paris',
      weekday: 'long',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).format(ends_at);
    expect(paris).toBe('Monday 00:00:00');
    expect(ends_at.getTime() - Date.now()).toBeLessThanOrEqual(7 * 24 * 3600 * 1000);
    expect((await sut.request('GET', '/api/boards/weekly-race')).body).toMatchObject({ period: 1, periodEndsAt: ends_at.toISOString() });
  });

  it('accepts a 6-field cron with exactly 5 s periods, a 5-field cron, maxIncrement and the other names', async () => {
    for (const [key, reset] of [
      ['five-s', '*/5 * * * * *'],
      ['cron5', '30 4 * * 1-5'],
      ['h', 'hourly'],
      ['d', 'daily'],
      ['m', 'monthly'],
    ]) {
      expect((await post({ key, name: key, reset })).status).toBe(201);
      // scheduled boards close periods on their own: keep the "nothing changed" checks below stable
      expect((await sut.request('DELETE', `/api/boards/${key}`, { token: boardsToken(sut) })).status).toBe(204);
    }
    expect((await post({ key: 'small', name: 'Small', maxIncrement: 5 })).body.maxIncrement).toBe(5);
    expect(
      (await post({ key: 'latest-asc', name: 'L', operator: 'latest', order: 'asc', timezone: 'america/new_york' })).body.timezone,
    ).toBe('America/New_York');
  });

  describe('refuses invalid definitions with 400 naming the field, changing nothing', () => {
    it.each([
      ['a key with capitals', { key: 'Coins2', name: 'x' }, 'key'],
      ['a key with a space', { key: 'a b', name: 'x' }, 'key'],
      ['a key of 33 characters', { key: 'k'.repeat(33), name: 'x' }, 'key'],
      ['an empty key', { key: '', name: 'x' }, 'key'],
      ['a missing key', { name: 'x' }, 'key'],
      ['a missing name', { key: 'n1' }, 'name'],
      ['a blank name', { key: 'n2', name: '   ' }, 'name'],
      ['a name of 65 characters', { key: 'n3', name: 'x'.repeat(65) }, 'name'],
      ['a name with NUL', { key: 'n4', name: 'a\u0000b' }, 'name'],
      ['a name with a right-to-left override', { key: 'n5', name: 'a\u202eb' }, 'name'],
      ['a name with a zero-width space', { key: 'n6', name: 'a\u200bb' }, 'name'],
      ['an unknown order', { key: 'o1', name: 'x', order: 'up' }, 'order'],
      ['an unknown operator', { key: 'o2', name: 'x', operator: 'max' }, 'operator'],
      ['a cron that does not parse', { key: 'c1', name: 'x', reset: '61 * * * *' }, 'reset'],
      ['a cron of 4 fields', { key: 'c2', name: 'x', reset: '* * * *' }, 'reset'],
      ['a cron of 7 fields', { key: 'c3', name: 'x', reset: '0 0 0 * * * 2030' }, 'reset'],
      ['a nickname', { key: 'c4', name: 'x', reset: '@daily' }, 'reset'],
      ['an unknown reset word', { key: 'c5', name: 'x', reset: 'yearly' }, 'reset'],
      ['periods of 4 s', { key: 'c6', name: 'x', reset: '*/4 * * * * *' }, 'reset'],
      ['every second', { key: 'c7', name: 'x', reset: '* * * * * *' }, 'reset'],
      ['two boundaries 1 s apart', { key: 'c8', name: 'x', reset: '0,1 * * * * *' }, 'reset'],
      ['a cron that never fires', { key: 'c9', name: 'x', reset: '0 0 30 2 *' }, 'reset'],
      ['an unknown time zone', { key: 't1', name: 'x', timezone: 'Mars/Olympus' }, 'timezone'],
      ['a UTC offset as time zone', { key: 't2', name: 'x', timezone: '+01:00' }, 'timezone'],
      ['maxIncrement 0', { key: 'x1', name: 'x', maxIncrement: 0 }, 'maxIncrement'],
      ['maxIncrement -1', { key: 'x2', name: 'x', maxIncrement: -1 }, 'maxIncrement'],
      ['maxIncrement as a string', { key: 'x3', name: 'x', maxIncrement: '10' }, 'maxIncrement'],
      ['maxIncrement on a best board', { key: 'x4', name: 'x', operator: 'best', maxIncrement: 10 }, 'maxIncrement'],
      ['maxIncrement on a latest board', { key: 'x5', name: 'x', operator: 'latest', maxIncrement: 10 }, 'maxIncrement'],
      ['an unknown field', { key: 'u1', name: 'x', color: 'red' }, 'color'],
    ])('%s', async (_, body, field) => {
      const before = await boardState(db);
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(JSON.stringify(res.body.message)).toContain(field);
      expect(await boardState(db)).toEqual(before);
    });
  });

  it('is 409 for a duplicate key and for global, changing nothing', async () => {
    const before = await boardState(db);
    expect((await post({ key: 'coins', name: 'Other', operator: 'best' })).status).toBe(409);
    expect((await post({ key: 'global', name: 'Again' })).status).toBe(409);
    expect(await boardState(db)).toEqual(before);
  });

  it('needs boards:write: 401 without a token, 403 with other scopes, changing nothing', async () => {
    const before = await boardState(db);
    expect((await sut.request('POST', '/api/boards', { body: { key: 'nope', name: 'x' } })).status).toBe(401);
    expect((await post({ key: 'nope', name: 'x' }, sut.tokens.backend())).status).toBe(403);
    expect((await patch('coins', { name: 'x' }, sut.tokens.sign({ sub: '1' }))).status).toBe(403);
    expect((await sut.request('DELETE', '/api/boards/coins', { token: sut.tokens.backend() })).status).toBe(403);
    expect((await sut.request('POST', '/api/boards/coins/reset', { token: sut.tokens.backend() })).status).toBe(403);
    expect(await boardState(db)).toEqual(before);
  });

  it('PATCHes name, maxIncrement, reset and timezone; a new schedule moves the current period end', async () => {
    const res = await patch('coins', { name: 'Gold coins', maxIncrement: 50 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      key: 'coins',
      name: 'Gold coins',
      order: 'desc',
      operator: 'incr',
      reset: 'never',
      timezone: 'UTC',
      maxIncrement: 50,
    });
    expect((await patch('coins', { reset: 'daily', timezone: 'Asia/Tokyo' })).body).toMatchObject({
      reset: 'daily',
      timezone: 'Asia/Tokyo',
      maxIncrement: 50,
    });
    const [{ ends_at }] = await db.query<{ ends_at: Date }>(
      `SELECT ends_at FROM board_periods WHERE board = 'coins' AND closed_at IS NULL`,
    );
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit' }).format(ends_at)).toBe('00:00');
    expect((await patch('coins', { reset: 'never' })).status).toBe(200);
    expect((await db.query(`SELECT ends_at FROM board_periods WHERE board = 'coins' AND closed_at IS NULL`))[0]).toEqual({ ends_at: null });
    expect((await sut.request('GET', '/api/boards/coins')).body).toMatchObject({ name: 'Gold coins', maxIncrement: 50, period: 1 });
  });

  describe('refuses invalid changes, changing nothing', () => {
    it.each([
      ['global', 'global', { name: 'Mine' }, 400],
      ['order', 'coins', { order: 'asc' }, 400],
      ['operator', 'coins', { operator: 'best' }, 400],
      ['key', 'coins', { key: 'coins2' }, 400],
      ['a bad cron', 'coins', { reset: 'every day' }, 400],
      ['periods of 2 s', 'coins', { reset: '*/2 * * * * *' }, 400],
      ['an unknown time zone', 'coins', { timezone: 'Nowhere/City' }, 400],
      ['maxIncrement 0', 'coins', { maxIncrement: 0 }, 400],
      ['maxIncrement on a best board', 'weekly-race', { maxIncrement: 10 }, 400],
      ['a blank name', 'coins', { name: ' ' }, 400],
      ['an unknown board', 'no-such-board', { name: 'x' }, 404],
    ])('%s', async (_, key, body, status) => {
      const before = await boardState(db);
      const res = await patch(key, body);
      expect(res.status).toBe(status);
      expect(res.body).toMatchObject({ statusCode: status });
      expect(await boardState(db)).toEqual(before);
    });
  });

  it('is 404 for unknown boards on every route', async () => {
    for (const path of ['', '/entries', '/entries/1', '/entries/1/around', '/leaderboard', '/periods', '/periods/1/entries']) {
      const res = await sut.request('GET', `/api/boards/no-such-board${path}`);
      expect([path, res.status, res.body.error]).toEqual([path, 404, 'Not Found']);
    }
    expect((await sut.request('POST', '/api/boards/no-such-board/reset', { token: boardsToken(sut) })).status).toBe(404);
    expect((await sut.request('DELETE', '/api/boards/no-such-board', { token: boardsToken(sut) })).status).toBe(404);
  });

  it('refuses to delete or reset global (400), changing nothing', async () => {
    const before = await boardState(db);
    expect((await sut.request('DELETE', '/api/boards/global', { token: boardsToken(sut) })).status).toBe(400);
    expect((await sut.request('POST', '/api/boards/global/reset', { token: boardsToken(sut) })).status).toBe(400);
    expect(await boardState(db)).toEqual(before);
  });

  it('deletes a board with its periods, scores and ledger rows (204), and the key can be created again', async () => {
    const [{ id }] = await db.query<{ id: string }>(`INSERT INTO users (name) VALUES ('Del') RETURNING id`);
    const submitted = await sut.request('POST', '/api/boards/small/scores', {
      body: { userId: Number(id), score: 3, actionId: 'a1' },
      token: sut.tokens.backend(),
    });
    expect(submitted.status).toBe(200);
    const count = async () =>
      (
        await db.query(
          `SELECT (SELECT count(*) FROM board_periods WHERE board = 'small') + (SELECT count(*) FROM board_scores WHERE board = 'small') + (SELECT count(*) FROM score_events WHERE board = 'small') AS n`,
        )
      )[0];
    expect(await count()).toEqual({ n: '3' });
    expect((await sut.request('DELETE', '/api/boards/small', { token: boardsToken(sut) })).status).toBe(204);
    expect(await count()).toEqual({ n: '0' });
    expect((await sut.request('GET', '/api/boards/small')).status).toBe(404);
    await createBoard(sut, { key: 'small', name: 'Small again' });
    const again = await sut.request('POST', '/api/boards/small/scores', {
      body: { userId: Number(id), score: 3, actionId: 'a1' },
      token: sut.tokens.backend(),
    });
    expect(again.body).toMatchObject({ applied: true, score: 3, period: 1 });
  });

  it('lets an outside client delete a user who has board scores', async () => {
    const [{ id }] = await db.query<{ id: string }>(`INSERT INTO users (name) VALUES ('Gone') RETURNING id`);
    expect(
      (await sut.request('POST', '/api/boards/coins/scores', { body: { userId: Number(id), score: 3 }, token: sut.tokens.backend() }))
        .status,
    ).toBe(200);
    await db.query('DELETE FROM users WHERE id = $1', [id]);
    expect(await db.query('SELECT 1 FROM board_scores WHERE user_id = $1', [id])).toEqual([]);
  });
});
