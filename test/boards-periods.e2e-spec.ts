import { boardState, createBoard, resetBoard, submitToBoard } from './support/boards';
import { TestDatabase } from './support/database';
import { startTestApp, TestContext } from './support/fixture';

describe('boards: periods, resets and frozen standings (contract §8)', () => {
  let db: TestDatabase;
  let sut: TestContext;
  let ids: number[];
  const get = (path: string) => sut.request('GET', path);
  const reset = (key: string) => resetBoard(sut, key);
  const frozenRows = (period: number) =>
    db.query(`SELECT * FROM board_scores WHERE board = 'cup' AND period = $1 ORDER BY user_id`, [period]);

  beforeAll(async () => {
    sut = await startTestApp();
    db = sut.db;
    ids = await sut.createUsers(['Ann', 'Bob', 'Cid', 'Dee']);
    await createBoard(sut, { key: 'cup', name: 'Cup', operator: 'best', reset: 'daily', timezone: 'Europe/Paris' });
    for (const [i, score] of [40, 90, 90, 10].entries()) await submitToBoard(sut, 'cup', { userId: ids[i], score, actionId: `p1-${i}` });
  });

  it('POST …/reset closes the current period now: { closed, period }, and the next one starts empty', async () => {
    const live = (await get('/api/boards/cup/entries')).body;
    const res = await reset('cup');
    expect(res).toMatchObject({ status: 200, body: { closed: 1, period: 2 } });
    expect((await get('/api/boards/cup')).body.period).toBe(2);
    expect((await get('/api/boards/cup/entries')).body).toEqual({ data: [], page: 0, limit: 10, order: 'score desc', total: 0, period: 2 });
    expect((await get('/api/boards/cup/leaderboard')).body).toMatchObject({ board: 'cup', period: 2, data: [] });
    expect((await get(`/api/boards/cup/entries/${ids[0]}`)).status).toBe(404);
    expect((await get('/api/boards/cup/periods/1/entries')).body).toEqual({ ...live, period: 1 });
    const [one, two] = await db.query<{ ends_at: Date; starts_at: Date; closed_at: Date }>(
      `SELECT * FROM board_periods WHERE board = 'cup' ORDER BY period`,
    );
    expect(two.starts_at).toEqual(one.ends_at);
    expect(one.closed_at).toEqual(one.ends_at);
  });

  it('keeps the closed standings frozen: later submissions go to the new period and change nothing there', async () => {
    const before = await frozenRows(1);
    const res = await submitToBoard(sut, 'cup', { userId: ids[3], score: 1000 });
    expect(res.body).toMatchObject({ board: 'cup', period: 2, score: 1000, rank: 1 });
    expect(await frozenRows(1)).toEqual(before);
    const again = await submitToBoard(sut, 'cup', { userId: ids[0], score: 5, actionId: 'p1-0' });
    expect(again.body).toEqual({ board: 'cup', period: 1, id: ids[0], name: 'Ann', score: 40, rank: 3, applied: false });
    expect(await frozenRows(1)).toEqual(before);
  });

  it('serves frozen standings with the same ranks, tie-breaks, paging, order and ids= as live ones', async () => {
    const [ann, bob, cid, dee] = ids;
    const all = (await get('/api/boards/cup/periods/1/entries')).body;
    expect(all.data).toEqual([
      { id: bob, rank: 1, name: 'Bob', score: 90 },
      { id: cid, rank: 2, name: 'Cid', score: 90 },
      { id: ann, rank: 3, name: 'Ann', score: 40 },
      { id: dee, rank: 4, name: 'Dee', score: 10 },
    ]);
    expect((await get('/api/boards/cup/periods/1/entries?limit=2&page=1')).body).toMatchObject({
      data: all.data.slice(2),
      page: 1,
      limit: 2,
      total: 4,
      period: 1,
    });
    expect((await get('/api/boards/cup/periods/1/entries?order=score+asc')).body.data).toEqual([...all.data].reverse());
    expect((await get(`/api/boards/cup/periods/1/entries?ids=${dee},${cid}`)).body).toMatchObject({
      data: [all.data[1], all.data[3]],
      total: 2,
    });
    expect((await get('/api/boards/cup/periods/2/entries')).body).toMatchObject({
      data: [{ id: dee, rank: 1, score: 1000 }],
      total: 1,
      period: 2,
    });
  });

  it('lists closed periods only, newest first, with players, including periods nobody played in', async () => {
    expect((await reset('cup')).body).toEqual({ closed: 2, period: 3 });
    expect((await reset('cup')).body).toEqual({ closed: 3, period: 4 });
    const res = await get('/api/boards/cup/periods');
    expect(res.body.data.map((p: { period: number; players: number }) => [p.period, p.players])).toEqual([
      [3, 0],
      [2, 1],
      [1, 4],
    ]);
    const rows = await db.query<{ period: number; starts_at: Date; ends_at: Date }>(
      `SELECT * FROM board_periods WHERE board = 'cup' AND period <= 3 ORDER BY period DESC`,
    );
    expect(res.body.data).toEqual(
      rows.map((r) => ({
        period: r.period,
        startsAt: r.starts_at.toISOString(),
        endsAt: r.ends_at.toISOString(),
        players: expect.any(Number),
      })),
    );
  });

  it('pages periods with before (exclusive) and limit 1–100 (default 20)', async () => {
    for (let i = 0; i < 20; i++) await reset('cup');
    const all = (await get('/api/boards/cup/periods')).body.data.map((p: { period: number }) => p.period);
    expect(all).toEqual(Array.from({ length: 20 }, (_, i) => 23 - i));
    expect((await get('/api/boards/cup/periods?limit=2&before=3')).body.data.map((p: { period: number }) => p.period)).toEqual([2, 1]);
    expect((await get('/api/boards/cup/periods?before=1')).body).toEqual({ data: [] });
    expect((await get('/api/boards/cup/periods?limit=100')).body.data).toHaveLength(23);
    for (const query of ['limit=0', 'limit=101', 'before=0', 'before=x', 'limit=1.5'])
      expect([query, (await get(`/api/boards/cup/periods?${query}`)).status]).toEqual([query, 400]);
  });

  it('is 404 for a period that does not exist yet and 400 for a bad period number', async () => {
    expect((await get('/api/boards/cup/periods/999/entries')).status).toBe(404);
    for (const period of ['0', '-1', 'x', '1.5', '99999999999'])
      expect([period, (await get(`/api/boards/cup/periods/${period}/entries`)).status]).toEqual([period, 400]);
  });

  it('a submission after the end of a period that nobody closed yet lands in the next one, which it names', async () => {
    await createBoard(sut, { key: 'late', name: 'Late', reset: 'daily' });
    await submitToBoard(sut, 'late', { userId: ids[0], score: 5 });
    await db.query(`UPDATE board_periods SET ends_at = now() - interval '1 second' WHERE board = 'late' AND closed_at IS NULL`);
    const res = await submitToBoard(sut, 'late', { userId: ids[0], score: 7 });
    expect(res.body).toMatchObject({ board: 'late', period: 2, score: 7, rank: 1 });
    expect((await get('/api/boards/late/periods/1/entries')).body.data).toEqual([{ id: ids[0], rank: 1, name: 'Ann', score: 5 }]);
  });

  it('a reset of an unknown board is 404 and changes nothing', async () => {
    const before = await boardState(db);
    expect((await reset('unknown')).status).toBe(404);
    expect(await boardState(db)).toEqual(before);
  });
});
