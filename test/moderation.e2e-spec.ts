import { boardState, createBoard, submitToBoard } from './support/boards';
import { startTestApp, TestContext } from './support/fixture';
import { ledgerState } from './support/ledger-state';
import { emitWithAck, nextEvent, record } from './support/socket';
import { sqlRanks, sqlTop10 } from './support/sql-order';
import { token } from './support/tokens';
import { waitUntil } from './support/wait';

const usersAdmin = () => token({ scope: 'users:admin' });
const scoresAdmin = () => token({ scope: 'scores:admin' });
const wrongScope = () => token({ scope: 'scores:write users:write boards:write' });

describe('moderation (§9): ban, adjust, erase, history', () => {
  let t: TestContext;

  beforeAll(async () => {
    t = await startTestApp({ redis: true, env: { SCORE_RATE_LIMIT: '0', IP_RATE_LIMIT: '0' } });
  });

  /** Everything a rejected moderation request must leave untouched. */
  const state = async () => ({
    ...(await ledgerState(t.db)),
    users: await t.db.query('SELECT * FROM users ORDER BY id'),
    boards: await boardState(t.db),
  });

  const ban = (id: number, reason = 'cheating', auth = usersAdmin()) =>
    t.request('POST', `/api/users/${id}/ban`, { body: { reason }, token: auth });
  const unban = (id: number, auth = usersAdmin()) => t.request('DELETE', `/api/users/${id}/ban`, { token: auth });
  const adjust = (id: number, body: object, auth = scoresAdmin()) =>
    t.request('POST', `/api/users/${id}/adjustments`, { body, token: auth });
  const history = (id: number, query = '', auth = scoresAdmin()) => t.request('GET', `/api/users/${id}/history${query}`, { token: auth });
  const erase = (id: number, auth = usersAdmin()) => t.request('DELETE', `/api/users/${id}`, { token: auth });

  it('answers each endpoint by its auth matrix (no token 401, a player 403, a wrong scope 403, the right scope 2xx), changing nothing when refused', async () => {
    const [ann, bob] = await t.createUsers(['Ann', 'Bob']);
    await t.submit(ann, 30);
    const calls: [string, (auth?: string) => Promise<{ status: number }>, () => string, number][] = [
      ['ban', (auth) => t.request('POST', `/api/users/${bob}/ban`, { body: { reason: 'x' }, token: auth }), usersAdmin, 200],
      ['unban', (auth) => t.request('DELETE', `/api/users/${bob}/ban`, { token: auth }), usersAdmin, 200],
      [
        'adjust',
        (auth) => t.request('POST', `/api/users/${bob}/adjustments`, { body: { points: 5, reason: 'x' }, token: auth }),
        scoresAdmin,
        200,
      ],
      ['history of another', (auth) => t.request('GET', `/api/users/${ann}/history`, { token: auth }), scoresAdmin, 200],
      ['erase', (auth) => t.request('DELETE', `/api/users/${bob}`, { token: auth }), usersAdmin, 204],
    ];
    for (const [what, call, right, success] of calls) {
      const before = await state();
      expect([what, (await call(undefined)).status]).toEqual([what, 401]);
      expect([what, (await call(t.tokens.player(bob))).status]).toEqual([what, 403]);
      expect([what, (await call(wrongScope())).status]).toEqual([what, 403]);
      expect(await state()).toEqual(before);
      expect([what, (await call(right())).status]).toEqual([what, success]);
    }
    // The scope that fits one action does not grant another
    expect((await t.request('POST', `/api/users/${ann}/ban`, { body: { reason: 'x' }, token: scoresAdmin() })).status).toBe(403);
    expect((await adjust(ann, { points: 1, reason: 'x' }, usersAdmin())).status).toBe(403);
  });

  it('bans: off the top 10 (pushed), lists, totals, /around and everyone else ranks; submissions 403 naming the ban; unban restores', async () => {
    const ids = await t.createUsers(['B1', 'B2', 'B3', 'B4']);
    for (const [i, id] of ids.entries()) await t.submit(id, 900 - i * 10); // B1 leads with 900
    const [cheat, second, third] = ids;
    const viewer = await t.watch();
    const pushes = record(viewer, 'leaderboard:update');
    const total = (await t.request('GET', '/api/users')).body.total;
    const rankOf = async (id: number) => (await t.request('GET', `/api/users/${id}`)).body.rank;
    expect(await rankOf(second)).toBe(2);

    const res = await ban(cheat, 'score injection');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: cheat, banned: true, reason: 'score injection' });

    await waitUntil('the top 10 without the banned user pushed', () =>
      pushes.some((s) => !s.data.some((e: { id: number }) => e.id === cheat)),
    );
    expect((await t.request('GET', '/api/leaderboard')).body.data).toEqual(await sqlTop10(t.db));
    expect((await t.request('GET', '/api/leaderboard')).body.data.some((e: { id: number }) => e.id === cheat)).toBe(false);
    expect(await rankOf(second)).toBe(1);
    expect(await rankOf(third)).toBe(2);
    const shown = await t.request('GET', `/api/users/${cheat}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ id: cheat, banned: true, score: 900 });
    expect(shown.body).not.toHaveProperty('rank');
    expect((await t.request('GET', '/api/users')).body.total).toBe(total - 1);
    const listed = await t.request('GET', '/api/users?limit=100&order=score+asc');
    expect(listed.body.data.some((e: { id: number }) => e.id === cheat)).toBe(false);
    expect((await t.request('GET', `/api/users/${cheat}/around`)).status).toBe(404);
    const around = (await t.request('GET', `/api/users/${second}/around?limit=1`)).body.data;
    expect(around.map((e: { id: number; rank: number }) => [e.id, e.rank])).toEqual([
      [second, 1],
      [third, 2],
    ]);
    const ranks = await sqlRanks(t.db);
    for (const id of ids.slice(1)) expect(await rankOf(id)).toBe(ranks.get(id));

    const before = await state();
    const own = await t.submit(cheat, 5, t.tokens.player(cheat));
    expect(own.status).toBe(403);
    expect(own.body.message).toMatch(/banned: score injection/);
    expect((await t.submit(cheat, 5)).status).toBe(403);
    expect((await t.submit(cheat, { score: 5, actionId: 'a1' })).status).toBe(403);
    const socket = await t.connect(t.tokens.player(cheat));
    const ack = await emitWithAck(socket, 'score:update', { userId: cheat, score: 5 });
    expect(ack).toMatchObject({ ok: false, error: { statusCode: 403, message: expect.stringMatching(/banned: score injection/) } });
    expect(await state()).toEqual(before);
    // Control: the same submission from another user is applied
    expect((await t.submit(second, 5)).status).toBe(200);

    expect(await unban(cheat)).toMatchObject({ status: 200, body: { id: cheat, banned: false } });
    await waitUntil(
      'the unbanned user back in the top 10',
      async () => (await t.request('GET', '/api/leaderboard')).body.data[0]?.id === cheat,
    );
    expect(await rankOf(cheat)).toBe(1);
    expect((await t.request('GET', `/api/users/${cheat}`)).body.score).toBe(900);
    expect((await t.request('GET', '/api/users')).body.total).toBe(total);
    expect((await t.submit(cheat, 5)).status).toBe(200);
  });

  it('bans and unbans on other boards too', async () => {
    await createBoard(t, { key: 'weekly', name: 'Weekly' });
    const [a, b] = await t.createUsers(['W1', 'W2']);
    await submitToBoard(t, 'weekly', { userId: a, score: 50 });
    await submitToBoard(t, 'weekly', { userId: b, score: 40 });
    await ban(a);
    const entries = (await t.request('GET', '/api/boards/weekly/entries')).body;
    expect(entries.data.map((e: { id: number; rank: number }) => [e.id, e.rank])).toEqual([[b, 1]]);
    expect(entries.total).toBe(1);
    expect((await t.request('GET', `/api/boards/weekly/entries/${b}`)).body.rank).toBe(1);
    expect((await t.request('GET', `/api/boards/weekly/entries/${a}`)).status).toBe(404);
    expect((await t.request('GET', '/api/boards/weekly/leaderboard')).body.data.map((e: { id: number }) => e.id)).toEqual([b]);
    const refused = await submitToBoard(t, 'weekly', { userId: a, score: 5 });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/banned/);
    await unban(a);
    expect((await t.request('GET', `/api/boards/weekly/entries/${a}`)).body).toMatchObject({ rank: 1, score: 50 });
  });

  it('refuses bad bans and adjustments (unknown users 404; zero, fractional, string points; reasons missing, too long or not storable) and changes nothing', async () => {
    const [u] = await t.createUsers(['Bad']);
    await t.submit(u, 10);
    const before = await state();
    expect((await ban(999999)).status).toBe(404);
    expect((await unban(999999)).status).toBe(404);
    expect((await erase(999999)).status).toBe(404);
    expect((await adjust(999999, { points: 5, reason: 'x' })).status).toBe(404);
    expect((await history(999999)).status).toBe(404);
    const unstorable = ['a\u0000b', 'lone \ud800 surrogate']; // PostgreSQL refuses NUL and would alter a lone surrogate
    const badBans = [{}, { reason: '' }, { reason: 'x'.repeat(201) }, { reason: 5 }, { reason: null }, { reason: 'x', extra: 1 }];
    for (const body of [...badBans, ...unstorable.map((reason) => ({ reason }))]) {
      const res = await t.request('POST', `/api/users/${u}/ban`, { body, token: usersAdmin() });
      expect([body, res.status]).toEqual([body, 400]);
    }
    const badAdjustments = [
      { points: 0, reason: 'x' },
      { points: 1.5, reason: 'x' },
      { points: '5', reason: 'x' },
      { points: null, reason: 'x' },
      { reason: 'x' },
      { points: 5 },
      { points: 5, reason: '' },
      { points: 5, reason: 'x'.repeat(201) },
      { points: -11, reason: 'below zero' },
      { points: 5, reason: 'x', board: 'Not A Key' },
      ...unstorable.map((reason) => ({ points: 5, reason })),
    ];
    for (const body of badAdjustments) {
      const res = await adjust(u, body);
      expect([body, res.status]).toEqual([body, 400]);
      expect(res.body.message).toBeDefined();
    }
    expect((await adjust(u, { points: 5, reason: 'x', board: 'no-such-board' })).status).toBe(404);
    expect(await state()).toEqual(before);
    expect((await adjust(u, { points: -10, reason: 'down to exactly 0' })).status).toBe(200); // control: the bound is 0
    // control: 200 characters are code points (an emoji is two UTF-16 units), line breaks are text
    const long = '🎮'.repeat(200);
    expect((await ban(u, long)).body).toEqual({ id: u, banned: true, reason: long });
    expect((await unban(u)).status).toBe(200);
    expect((await adjust(u, { points: 1, reason: 'two\nlines' })).status).toBe(200);
    expect(await t.db.query('SELECT reason FROM score_events WHERE user_id = $1 ORDER BY id DESC LIMIT 1', [u])).toEqual([
      { reason: 'two\nlines' },
    ]);
  });

  it('adjusts with a reason in the ledger (one row, no outside change), score = Σ points; ranks and the top 10 follow; incr boards only', async () => {
    const [lead, chaser] = await t.createUsers(['Lead', 'Chaser']);
    await t.submit(lead, 1000);
    await t.submit(chaser, 990);
    const res = await adjust(lead, { points: -500, reason: 'refund of a duplicated match' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: lead, name: 'Lead', score: 500, rank: expect.any(Number) });
    expect(res.body.rank).toBe((await sqlRanks(t.db)).get(lead));
    const rows = await t.db.query('SELECT points, reason, action_id, board FROM score_events WHERE user_id = $1 ORDER BY id', [lead]);
    expect(rows).toEqual([
      { points: '1000', reason: null, action_id: null, board: 'global' },
      { points: '-500', reason: 'refund of a duplicated match', action_id: null, board: 'global' },
    ]);
    await waitUntil(
      'the top 10 follows',
      async () => JSON.stringify((await t.request('GET', '/api/leaderboard')).body.data) === JSON.stringify(await sqlTop10(t.db)),
    );

    await createBoard(t, { key: 'best-time', name: 'Best', operator: 'best', order: 'asc' });
    expect((await adjust(lead, { points: 5, reason: 'x', board: 'best-time' })).status).toBe(400);
    await createBoard(t, { key: 'cup', name: 'Cup' });
    const onBoard = await adjust(lead, { points: 7, reason: 'bonus', board: 'cup' });
    expect(onBoard.body).toEqual({ id: lead, name: 'Lead', score: 7, rank: 1 });
    expect((await t.request('GET', `/api/boards/cup/entries/${lead}`)).body.score).toBe(7);
    expect((await adjust(lead, { points: -8, reason: 'x', board: 'cup' })).status).toBe(400);
  });

  it('history: newest first, keyset-paged with next (null on the last page), per board; the user themself or scores:admin; another player 403', async () => {
    const [h, other] = await t.createUsers(['Hist', 'Other']);
    for (let i = 1; i <= 5; i++) await t.submit(h, i, t.tokens.backend());
    await adjust(h, { points: -2, reason: 'fix' });
    const first = await history(h, '?limit=4', t.tokens.player(h));
    expect(first.status).toBe(200);
    expect(first.body.data.map((e: { points: number }) => e.points)).toEqual([-2, 5, 4, 3]);
    expect(first.body.data[0]).toEqual({
      id: expect.any(Number),
      board: 'global',
      points: -2,
      actionId: null,
      reason: 'fix',
      at: expect.any(String),
    });
    expect(first.body.next).toBe(first.body.data[3].id);
    const second = await history(h, `?limit=4&before=${first.body.next}`);
    expect(second.body.data.map((e: { points: number }) => e.points)).toEqual([2, 1]);
    expect(second.body.next).toBeNull();
    expect((await history(h, '?limit=6')).body.next).toBeNull();
    expect((await history(h, '?board=cup')).body).toEqual({ data: [], next: null });
    const refused = await history(h, '', t.tokens.player(other));
    expect(refused.status).toBe(403);
    for (const query of ['?limit=0', '?limit=101', '?limit=1.5', '?before=abc', '?before=0', '?board=BAD'])
      expect([query, (await history(h, query)).status]).toEqual([query, 400]);
  });

  it('erases: 204, name replaced, off every board, ledger kept, GET 404, old tokens 404', async () => {
    const [gone, stays] = await t.createUsers(['Erin Personal', 'Stays']);
    expect((await t.submit(gone, 999)).status).toBe(200);
    expect((await t.submit(stays, 998)).status).toBe(200);
    const viewer = await t.watch();
    const board = nextEvent(viewer, 'leaderboard:update', 15_000, (s) => !s.data.some((e: { id: number }) => e.id === gone));
    expect((await erase(gone)).status).toBe(204);
    await board;
    const [row] = await t.db.query('SELECT name, score, erased_at FROM users WHERE id = $1', [gone]);
    expect(row).toMatchObject({ name: 'deleted user', score: '999', erased_at: expect.any(Date) });
    expect(await t.db.query('SELECT points FROM score_events WHERE user_id = $1', [gone])).toEqual([{ points: '999' }]);
    expect((await t.request('GET', `/api/users/${gone}`)).status).toBe(404);
    expect((await t.request('GET', `/api/users/${gone}/around`)).status).toBe(404);
    expect((await t.request('GET', `/api/users/${stays}`)).body.rank).toBe((await sqlRanks(t.db)).get(stays));
    const before = await state();
    expect((await t.submit(gone, 5, t.tokens.player(gone))).status).toBe(404);
    const socket = await t.connect(t.tokens.player(gone));
    expect((await emitWithAck(socket, 'score:update', { userId: gone, score: 5 })).error.statusCode).toBe(404);
    expect((await ban(gone)).status).toBe(404);
    expect((await erase(gone)).status).toBe(404);
    expect(await state()).toEqual(before);
  });
});
