import { EventBus, ofType } from '@nestjs/cqrs';
import { Client } from 'pg';
import { ScoreChangedEvent } from '../src/scores/events/score-changed.event';
import { startTestApp, TestContext } from './support/fixture';
import { waitUntil } from './support/wait';

describe('ScoreChangedEvent (the change feed, as the app sees it)', () => {
  let sut: TestContext;
  const seen: ScoreChangedEvent[] = [];
  const changedUsers = () => seen.flatMap((event) => event.users);

  beforeAll(async () => {
    sut = await startTestApp({ env: { SCORE_RATE_LIMIT: '0' } });
    sut.app
      .get(EventBus)
      .pipe(ofType(ScoreChangedEvent))
      .subscribe((event) => seen.push(event));
  });
  beforeEach(() => (seen.length = 0));

  it('follows committed submissions with the committed total, in pages that chain position to position', async () => {
    const id = await sut.createUser('Ann');
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => sut.submit(id, { score: n, actionId: `a${n}` })));
    expect(results.every((r) => r.body.applied)).toBe(true);
    await waitUntil('the final total', () => changedUsers().some((user) => user.userId === id && user.score === 15));
    // every page starts where the one before ended: nothing skipped, nothing read twice
    seen.slice(1).forEach((event, i) => expect(event.from).toBe(seen[i].to));
    const [{ score }] = await sut.db.query<{ score: string }>('SELECT score FROM users WHERE id = $1', [id]);
    expect(Number(score)).toBe(15);
  });

  it('follows changes made by other PostgreSQL clients, and never a rolled-back one (control: the commit after it)', async () => {
    const [ann, bob] = await sut.createUsers(['Ann', 'Bob']);
    const client = new Client({ connectionString: sut.db.url });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query('UPDATE users SET score = 999 WHERE id = $1', [ann]);
      await client.query('ROLLBACK');
      await client.query('UPDATE users SET score = 42 WHERE id = $1', [bob]);
    } finally {
      await client.end();
    }
    await waitUntil('the committed change', () => changedUsers().some((user) => user.userId === bob && user.score === 42));
    expect(changedUsers().filter((user) => user.userId === ann && user.score === 999)).toEqual([]);
  });

  it('reports deleted users as removed', async () => {
    const id = await sut.createUser('Gone');
    await sut.db.query('DELETE FROM users WHERE id = $1', [id]);
    await waitUntil('the removal', () => seen.some((event) => event.removed.includes(id)));
  });
});
