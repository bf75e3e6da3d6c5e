import { createBoard, submitToBoard } from './support/boards';
import { startTestApp, TestContext } from './support/fixture';
import { emitWithAck, eventsWithin, nextEvent, record, Socket } from './support/socket';
import { token } from './support/tokens';
import { waitUntil } from './support/wait';

describe('the me room (§9): a player’s own live view', () => {
  let t: TestContext;

  beforeAll(async () => {
    t = await startTestApp({ redis: true, env: { SCORE_RATE_LIMIT: '0', IP_RATE_LIMIT: '0' } });
  });

  const watchMe = async (userId: number, board?: string): Promise<{ socket: Socket; ack: any }> => {
    const socket = await t.connect(t.tokens.player(userId));
    const ack = await emitWithAck(socket, 'subscribe', board ? { room: 'me', board } : { room: 'me' });
    return { socket, ack };
  };
  const aroundOf = async (userId: number, board?: string) =>
    (await t.request('GET', board ? `/api/boards/${board}/entries/${userId}/around?limit=2` : `/api/users/${userId}/around?limit=2`)).body
      .data;

  it('acks { id, score, rank, around } (around as /around?limit=2); refuses tokens without a sub, unknown boards and bad payloads', async () => {
    const ids = await t.createUsers(['A1', 'A2', 'A3', 'A4', 'A5']);
    for (const [i, id] of ids.entries()) await t.submit(id, 500 - i * 10);
    const me = ids[2];
    const { ack } = await watchMe(me);
    expect(ack).toEqual({
      ok: true,
      me: { id: me, score: 480, rank: (await t.request('GET', `/api/users/${me}`)).body.rank, around: await aroundOf(me) },
    });
    expect(ack.me.around).toHaveLength(5);

    const viewer = await t.connect(token({ scope: 'scores:write' }));
    const refused = await emitWithAck(viewer, 'subscribe', { room: 'me' });
    expect(refused).toMatchObject({ ok: false, error: { statusCode: 403 } });
    const socket = await t.connect(t.tokens.player(me));
    expect(await emitWithAck(socket, 'subscribe', { room: 'me', board: 'no-such-board' })).toMatchObject({
      ok: false,
      error: { statusCode: 404 },
    });
    expect(await emitWithAck(socket, 'subscribe', { room: 'me', board: 'Bad Key' })).toMatchObject({
      ok: false,
      error: { statusCode: 400 },
    });
    expect(await emitWithAck(socket, 'subscribe', { room: 'me', extra: 1 })).toMatchObject({ ok: false, error: { statusCode: 400 } });
    const stranger = await t.connect(t.tokens.player(999999));
    expect(await emitWithAck(stranger, 'subscribe', { room: 'me' })).toMatchObject({ ok: false, error: { statusCode: 404 } });
  });

  it('pushes me:update when somebody else overtakes them (and not to a watcher the change does not affect: control in the same tick)', async () => {
    const [top, mid, low, lower] = await t.createUsers(['Top', 'Mid', 'Low', 'Lower']);
    await t.submit(top, 900);
    await t.submit(mid, 800);
    await t.submit(low, 100);
    await t.submit(lower, 50);
    const { socket: topSocket, ack } = await watchMe(top);
    const { socket: lowSocket } = await watchMe(low);
    const topUpdates = record(topSocket, 'me:update');
    const lowUpdates = record(lowSocket, 'me:update');

    expect((await t.submit(mid, 200)).status).toBe(200); // Mid 1000 passes Top; Low is far below both
    await waitUntil('me:update for the overtaken player', () => topUpdates.length > 0);
    expect(topUpdates[0]).toEqual({ id: top, score: 900, rank: ack.me.rank + 1, around: await aroundOf(top) });
    expect(await eventsWithin(lowSocket, 'me:update', 1500)).toEqual([]);
    expect(lowUpdates).toEqual([]);

    // Control: the unaffected watcher does get an update once a change reaches them
    expect((await t.submit(lower, 100)).status).toBe(200); // Lower reaches 150 and passes Low
    const update = await nextEvent(lowSocket, 'me:update', 10_000);
    expect(update).toMatchObject({ id: low, score: 100 });
    expect(update.rank).toBe((await t.request('GET', `/api/users/${low}`)).body.rank);
  });

  it('pushes their own score changes, at most once a second', async () => {
    const [runner, rival] = await t.createUsers(['Runner', 'Rival']);
    await t.submit(runner, 10);
    await t.submit(rival, 10);
    const { socket } = await watchMe(runner);
    const updates: number[] = [];
    socket.on('me:update', () => updates.push(Date.now()));
    for (let i = 0; i < 30; i++) await t.submit(i % 2 ? rival : runner, 7);
    await waitUntil(
      'the last score pushed',
      async () => updates.length > 0 && (await t.request('GET', `/api/users/${runner}`)).body.score === 10 + 15 * 7,
      10_000,
    );
    const last = await nextEventOrLatest(socket, runner);
    expect(last.score).toBe(115);
    const gaps = updates.slice(1).map((at, i) => at - updates[i]);
    // Server-side pushes are ≥ 1000 ms apart; a few ms of delivery jitter is allowed
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(950);
  });

  it('watches another board with { room: "me", board }', async () => {
    await createBoard(t, { key: 'sprint', name: 'Sprint' });
    const [p, q] = await t.createUsers(['P', 'Q']);
    const { socket, ack } = await watchMe(p, 'sprint');
    expect(ack.me).toEqual({ id: p, score: null, rank: null, around: [] });
    const updates = record(socket, 'me:update');
    await submitToBoard(t, 'sprint', { userId: p, score: 30 });
    await waitUntil('me:update on the board', () => updates.some((u) => u.rank === 1));
    await submitToBoard(t, 'sprint', { userId: q, score: 40 });
    await waitUntil('overtaken on the board', () => updates.some((u) => u.rank === 2));
    expect(updates.at(-1)).toEqual({ id: p, score: 30, rank: 2, around: await aroundOf(p, 'sprint') });
  });

  it("follows every committed change to a board through the feed: another instance's submission and an outside UPDATE in SQL", async () => {
    await createBoard(t, { key: 'relay', name: 'Relay' });
    const [p, q, r] = await t.createUsers(['P', 'Q', 'R']);
    await submitToBoard(t, 'relay', { userId: p, score: 50 });
    await submitToBoard(t, 'relay', { userId: r, score: 5 });
    const other = await t.startInstance();
    const { socket, ack } = await watchMe(p, 'relay'); // on this instance; the changes below are not made here
    expect(ack.me).toMatchObject({ score: 50, rank: 1 });
    const updates = record(socket, 'me:update');
    expect((await submitToBoard(other, 'relay', { userId: q, score: 60 })).status).toBe(200);
    await waitUntil('overtaken by a submission to the other instance', () => updates.some((u) => u.rank === 2));
    await t.db.query(`UPDATE board_scores SET score = 70, reached_at = now() WHERE board = 'relay' AND user_id = $1`, [r]);
    await waitUntil('overtaken by an outside UPDATE', () => updates.some((u) => u.rank === 3));
    expect(updates.at(-1)).toEqual({ id: p, score: 50, rank: 3, around: await aroundOf(p, 'relay') });
  });

  it("shows neighbours under their current names: a rename in SQL after the instance kept the old one, and an erasure's", async () => {
    const [p, q, r] = await t.createUsers(['Pia', 'Quinn', 'Rae']);
    await t.submit(p, 700);
    await t.submit(q, 710);
    await t.submit(r, 690);
    const { socket } = await watchMe(p);
    const updates = record(socket, 'me:update');
    const nameOf = (id: number) => updates.at(-1)!.around.find((e: { id: number }) => e.id === id)?.name;
    expect((await t.submit(r, 20)).status).toBe(200); // Rae 710 passes Pia: the instance now keeps Quinn's and Rae's names
    await waitUntil('overtaken by Rae', () => updates.some((u) => u.score === 700 && nameOf(r) === 'Rae'));
    expect(nameOf(q)).toBe('Quinn');

    await t.db.query(`UPDATE users SET name = 'Quinn Renamed' WHERE id = $1`, [q]); // from outside: only the feed tells
    expect((await t.submit(p, 15)).status).toBe(200); // Pia 715 passes both: her next update names them again
    await waitUntil('me:update after the rename', () => updates.some((u) => u.score === 715));
    expect(nameOf(q)).toBe('Quinn Renamed');
    expect(updates.at(-1)).toEqual({
      id: p,
      score: 715,
      rank: (await t.request('GET', `/api/users/${p}`)).body.rank,
      around: await aroundOf(p),
    });

    expect((await t.request('DELETE', `/api/users/${r}`, { token: t.tokens.sign({ sub: 'ops', scope: 'users:admin' }) })).status).toBe(204);
    expect((await t.submit(q, 10)).status).toBe(200); // Quinn 720 passes Pia again
    await waitUntil('me:update after the erasure', () =>
      updates.some((u) => u.score === 715 && u.around.some((e: { id: number; score: number }) => e.id === q && e.score === 720)),
    );
    expect(updates.at(-1)!.around.map((e: { id: number }) => e.id)).not.toContain(r);
    expect(JSON.stringify(updates.at(-1))).not.toContain('Rae');
  });

  it('follows bans: a banned player above closes the gap (and back on unban); the watcher banned gets nulls', async () => {
    const admin = t.tokens.sign({ sub: 'ops', scope: 'users:admin' });
    const [cheat, honest] = await t.createUsers(['Cheat', 'Honest']);
    await t.submit(cheat, 990);
    await t.submit(honest, 989);
    const { socket, ack } = await watchMe(honest);
    const updates = record(socket, 'me:update');
    const rank = ack.me.rank;
    expect(ack.me.around.map((e: { id: number }) => e.id)).toContain(cheat);

    expect((await t.request('POST', `/api/users/${cheat}/ban`, { body: { reason: 'aimbot' }, token: admin })).status).toBe(200);
    await waitUntil('me:update after the ban above', () => updates.some((u) => u.rank === rank - 1));
    expect(updates.at(-1)).toEqual({ id: honest, score: 989, rank: rank - 1, around: await aroundOf(honest) });
    expect(updates.at(-1).around.map((e: { id: number }) => e.id)).not.toContain(cheat);

    expect((await t.request('DELETE', `/api/users/${cheat}/ban`, { token: admin })).status).toBe(200);
    await waitUntil('me:update after the unban', () => updates.at(-1).rank === rank);
    expect(updates.at(-1)).toEqual({ id: honest, score: 989, rank, around: await aroundOf(honest) });

    expect((await t.request('POST', `/api/users/${honest}/ban`, { body: { reason: 'smurf' }, token: admin })).status).toBe(200);
    await waitUntil('me:update for the watcher banned', () => updates.at(-1).rank === null);
    expect(updates.at(-1)).toEqual({ id: honest, score: null, rank: null, around: [] });
  });

  it('without Redis (no rank index) counts a few watchers in SQL: overtaken on global and on a board', async () => {
    const bare = await startTestApp({ env: { SCORE_RATE_LIMIT: '0', IP_RATE_LIMIT: '0' } });
    await createBoard(bare, { key: 'plain', name: 'Plain' });
    const [p, q] = await bare.createUsers(['P', 'Q']);
    await bare.submit(p, 20);
    await submitToBoard(bare, 'plain', { userId: p, score: 20 });
    const onGlobal = await bare.connect(bare.tokens.player(p));
    const onBoard = await bare.connect(bare.tokens.player(p));
    expect((await emitWithAck(onGlobal, 'subscribe', { room: 'me' })).me).toMatchObject({ rank: 1 });
    expect((await emitWithAck(onBoard, 'subscribe', { room: 'me', board: 'plain' })).me).toMatchObject({ rank: 1 });
    const [globalUpdates, boardUpdates] = [record(onGlobal, 'me:update'), record(onBoard, 'me:update')];
    await bare.submit(q, 30);
    await submitToBoard(bare, 'plain', { userId: q, score: 30 });
    await waitUntil('overtaken on both', () => globalUpdates.some((u) => u.rank === 2) && boardUpdates.some((u) => u.rank === 2));
    expect(globalUpdates.at(-1)).toMatchObject({ id: p, score: 20, rank: 2 });
    expect(boardUpdates.at(-1)).toMatchObject({ id: p, score: 20, rank: 2 });
  });

  /** The latest me:update once the player's score is `score` (it may already have arrived). */
  async function nextEventOrLatest(socket: Socket, userId: number) {
    const seen = record(socket, 'me:update');
    const current = (await t.request('GET', `/api/users/${userId}`)).body.score;
    return seen.at(-1) ?? (await nextEvent(socket, 'me:update', 3000).catch(() => ({ score: current })));
  }
});
