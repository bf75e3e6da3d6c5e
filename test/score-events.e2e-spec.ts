import { EventBus, ofType } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { ScoreChangedEvent } from '../src/scores/events/score-changed.event';
import { recordScoreChange } from '../src/scores/score-changes.subscriber';
import { startTestApp, TestContext } from './support/fixture';

describe('ScoreChangedEvent', () => {
  let sut: TestContext;
  const seen: ScoreChangedEvent[] = [];

  beforeAll(async () => {
    sut = await startTestApp({ env: { SCORE_RATE_LIMIT: '0' } });
    sut.app
      .get(EventBus)
      .pipe(ofType(ScoreChangedEvent))
      .subscribe((event) => seen.push(event));
  });
  beforeEach(() => (seen.length = 0));

  it('is published once per committed submission, after its commit, with the new total', async () => {
    const id = await sut.createUser('Ann');
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => sut.submit(id, { score: n, actionId: `a${n}` })));
    await Promise.all([1, 2].map((n) => sut.submit(id, { score: n, actionId: `a${n}` }))); // duplicates: no events
    expect(results.every((r) => r.body.applied)).toBe(true);
    expect(seen.map((e) => e.points).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(Math.max(...seen.map((e) => e.score))).toBe(15);
    // each event's total was already committed when it was published
    const [{ score }] = await sut.db.query<{ score: string }>('SELECT score FROM users WHERE id = $1', [id]);
    expect(Number(score)).toBe(15);
  });

  it('is not published for a submission whose transaction rolls back', async () => {
    const id = await sut.createUser('Bob');
    await sut.db.query('UPDATE users SET score = 9007199254740990 WHERE id = $1', [id]);
    expect((await sut.submit(id, { score: 5 })).status).toBe(400); // CHECK constraint → rollback
    expect(seen).toEqual([]);
  });

  it('publishes what a transaction recorded only if it commits', async () => {
    const dataSource = sut.app.get(DataSource);
    await expect(
      dataSource.transaction((manager) => {
        recordScoreChange(manager.queryRunner!, new ScoreChangedEvent(1, 'rolled back', 1, 1, 0));
        return Promise.reject(new Error('abort'));
      }),
    ).rejects.toThrow('abort');
    await dataSource.transaction((manager) =>
      Promise.resolve(recordScoreChange(manager.queryRunner!, new ScoreChangedEvent(2, 'committed', 1, 1, 0))),
    );
    expect(seen.map((e) => e.name)).toEqual(['committed']);
  });
});
