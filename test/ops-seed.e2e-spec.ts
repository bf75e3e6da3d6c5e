import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { seedDemoUsers } from '../src/seed/demo-users';
import { seedUsers } from '../src/seed/seed-users';
import { TestDatabase } from './support/database';
import { onTeardown, startTestDatabase } from './support/fixture';

describe('seeding', () => {
  let db: TestDatabase;
  let sut: DataSource;

  beforeAll(async () => {
    db = await startTestDatabase();
    sut = await new DataSource(dataSourceOptions({ url: db.url, poolSize: 2 })).initialize(); // applies the migrations
    onTeardown(() => sut.destroy());
  });

  const mismatched = async () =>
    Number(
      (
        await db.query<{ n: string }>(
          `SELECT count(*) AS n FROM users u WHERE score <> (SELECT coalesce(sum(points), 0) FROM score_events e WHERE e.user_id = u.id)`,
        )
      )[0].n,
    );

  it('adds the demo players to an empty database only', async () => {
    await expect(seedDemoUsers(sut)).resolves.toBe(12);
    await expect(seedDemoUsers(sut)).resolves.toBe(0);
    await expect(mismatched()).resolves.toBe(0);
  });

  it('ensures N players with set-based inserts, idempotently, keeping score = sum(points)', async () => {
    const started = Date.now();
    await expect(seedUsers(sut, 60_000, { maxScore: 5000 })).resolves.toEqual({ inserted: 60_000, total: 60_012 });
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect(seedUsers(sut, 60_000)).resolves.toEqual({ inserted: 0, total: 60_012 });
    await expect(seedUsers(sut, 60_010, { maxScore: 5000 })).resolves.toEqual({ inserted: 10, total: 60_022 });
    const [stats] = await db.query<{ names: string; max: string; min: string }>(
      `SELECT count(DISTINCT name) AS names, max(score) AS max, min(score) AS min FROM users WHERE name LIKE 'Player %'`,
    );
    expect(stats).toEqual({ names: '60010', max: expect.any(String), min: expect.any(String) });
    expect(Number(stats.max)).toBeLessThanOrEqual(5000);
    expect(Number(stats.min)).toBeGreaterThanOrEqual(0);
    await expect(mismatched()).resolves.toBe(0);
  }, 30_000);
});
