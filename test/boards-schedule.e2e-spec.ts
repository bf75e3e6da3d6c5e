import { EventBus, ofType } from '@nestjs/cqrs';
import { PeriodClosedEvent } from '../src/boards/board-events';
import { PeriodCloser } from '../src/boards/period-closer';
import { boardsToken, createBoard, submitToBoard } from './support/boards';
import { concurrently } from './support/concurrently';
import { TestDatabase } from './support/database';
import { startTestApp, TestContext } from './support/fixture';
import { waitUntil } from './support/wait';

interface PeriodRow {
  period: number;
  starts_at: Date;
  ends_at: Date | null;
  closed_at: Date | null;
}

/** Periods close on their own (croner, 5 s cron), once with several instances, and catch up at boot. */
describe('boards: scheduled resets (contract §8)', () => {
  let db: TestDatabase;
  let first: TestContext | undefined;
  const apps: TestContext[] = [];
  /** The first call makes the database; later ones are more instances on it. */
  const start = async () => {
    const app = first ? await first.startInstance() : (first = await startTestApp());
    db = first.db;
    apps.push(app);
    return app;
  };
  const periods = (key: string) =>
    db.query<PeriodRow>('SELECT period, starts_at, ends_at, closed_at FROM board_periods WHERE board = $1 ORDER BY period', [key]);
  const openPeriod = async (key: string) => (await periods(key)).find((p) => p.closed_at === null)!;
  const closedEvents = (app: TestContext) => {
    const events: PeriodClosedEvent[] = [];
    app.app
      .get(EventBus)
      .pipe(ofType(PeriodClosedEvent))
      .subscribe((event) => events.push(event));
    return events;
  };
  /** Periods follow each other without gap or overlap, and closed ones ended on schedule (whole 5 s). */
  const expectContiguous = (rows: PeriodRow[]) => {
    rows.slice(1).forEach((row, i) => expect(row.starts_at).toEqual(rows[i].ends_at));
    rows.filter((row) => row.closed_at).forEach((row) => expect(row.ends_at!.getTime() % 5000).toBe(0));
  };

  it('closes a 5 s period on time by itself: the standings freeze, the next period starts empty, an event is published', async () => {
    const sut = await start();
    const [ann, bob] = await sut.createUsers(['Ann', 'Bob']);
    const events = closedEvents(sut);
    await createBoard(sut, { key: 'tick', name: 'Tick', reset: '*/5 * * * * *' });
    const first = await submitToBoard(sut, 'tick', { userId: ann, score: 3 });
    await submitToBoard(sut, 'tick', { userId: bob, score: 9 });
    const period = first.body.period;
    await waitUntil('the period to close', async () => (await sut.request('GET', '/api/boards/tick')).body.period > period, 12_000);
    expect(events).toContainEqual(new PeriodClosedEvent('tick', period, period + 1));
    const frozen = (await sut.request('GET', `/api/boards/tick/periods/${period}/entries`)).body;
    expect(frozen.data.map((e: { id: number; rank: number; score: number }) => [e.id, e.rank, e.score])).toEqual([
      [bob, 1, 9],
      [ann, 2, 3],
    ]);
    const live = (await sut.request('GET', '/api/boards/tick/leaderboard')).body;
    expect(live.period).toBeGreaterThan(period);
    const rows = await periods('tick');
    expectContiguous(rows);
    expect(rows.find((r) => r.period === period)!.closed_at!.getTime()).toBeGreaterThanOrEqual(
      rows.find((r) => r.period === period)!.ends_at!.getTime(),
    );
    expect((await sut.request('DELETE', '/api/boards/tick', { token: boardsToken(sut) })).status).toBe(204);
  });

  it('with two instances, each period is closed exactly once though both try', async () => {
    const [a, b] = [apps[0], await start()];
    const events = [...[a, b].map(closedEvents)];
    const tries = [a, b].map((app) => jest.spyOn(app.app.get(PeriodCloser), 'closeDue'));
    await createBoard(a, { key: 'duo', name: 'Duo', reset: '*/5 * * * * *' });
    await waitUntil('two boundaries', async () => (await openPeriod('duo')).period >= 3, 15_000);
    for (const spy of tries) expect(spy.mock.calls.filter(([key]) => key === 'duo').length).toBeGreaterThanOrEqual(1);
    const closed = events.flat().filter((e) => e.board === 'duo');
    const rows = await periods('duo');
    expect(closed.map((e) => e.closed).sort()).toEqual(rows.filter((r) => r.closed_at).map((r) => r.period));
    expectContiguous(rows);
    for (const spy of tries) spy.mockRestore();
  });

  it('puts each submission racing a boundary in exactly one period, the one its answer names (database clock)', async () => {
    const sut = apps[0];
    const users = await sut.createUsers(['R1', 'R2', 'R3', 'R4']);
    await createBoard(sut, { key: 'race', name: 'Race', reset: '*/5 * * * * *' });
    const boundary = (await openPeriod('race')).ends_at!.getTime();
    await waitUntil('just before the boundary', () => Date.now() > boundary - 700, 10_000, 10);
    const answers: { actionId: string; userId: number; period: number }[] = [];
    let n = 0;
    await concurrently(8, 8, async () => {
      while (Date.now() < boundary + 700 || new Set(answers.map((a) => a.period)).size < 2) {
        const actionId = `r${n++}`;
        const userId = users[n % users.length];
        const res = await submitToBoard(sut, 'race', { userId, score: 1, actionId });
        expect(res.status).toBe(200);
        answers.push({ actionId, userId, period: res.body.period });
      }
    });
    expect(new Set(answers.map((a) => a.period)).size).toBeGreaterThanOrEqual(2); // the race did straddle the boundary
    const ledger = await db.query<{ action_id: string; period: number; in_period: boolean }>(
      `SELECT e.action_id, e.period, (e.created_at >= p.starts_at AND (p.ends_at IS NULL OR e.created_at < p.ends_at)) AS in_period
         FROM score_events e JOIN board_periods p ON p.board = e.board AND p.period = e.period WHERE e.board = 'race'`,
    );
    const byAction = new Map(ledger.map((row) => [row.action_id, row]));
    expect(answers.map((a) => [a.actionId, byAction.get(a.actionId)?.period, byAction.get(a.actionId)?.in_period])).toEqual(
      answers.map((a) => [a.actionId, a.period, true]),
    );
    const mismatched = await db.query(
      `SELECT s.period, s.user_id FROM board_scores s
         WHERE s.board = 'race' AND s.score <> (SELECT sum(points) FROM score_events e WHERE e.board = s.board AND e.period = s.period AND e.user_id = s.user_id)`,
    );
    expect(mismatched).toEqual([]);
  });

  it('an instance that was down during boundaries closes the missed periods at boot, numbered, nobody in them', async () => {
    for (const app of apps.splice(0)) await app.close();
    await db.query(
      `UPDATE board_periods SET ends_at = date_trunc('second', now()) - interval '21 seconds' WHERE board = 'race' AND closed_at IS NULL`,
    );
    const missed = await openPeriod('race');
    expect(missed.ends_at!.getTime()).toBeLessThan(Date.now()); // the control: overdue before the boot
    await start();
    await waitUntil('the catch-up', async () => (await openPeriod('race')).ends_at!.getTime() > Date.now(), 10_000);
    const rows = (await periods('race')).filter((r) => r.period >= missed.period);
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expectContiguous(rows.slice(1));
    expect(rows[1].starts_at).toEqual(missed.ends_at);
    const listed = (await apps[0].request('GET', `/api/boards/race/periods?limit=100`)).body.data;
    expect(
      listed
        .filter((p: { period: number; players: number }) => p.period > missed.period)
        .every((p: { players: number }) => p.players === 0),
    ).toBe(true);
  });
});
