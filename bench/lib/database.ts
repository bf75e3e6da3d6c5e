import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { seedUsers } from '../../src/seed/seed-users';
import { createScratchDatabase, dropDatabase } from '../../test/support/database';

export interface BenchDatabase {
  url: string;
  name: string;
  /** Makes sure `count` players exist (the seed of `npm run seed`), migrating first. */
  seed(count: number): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/**
 * A fresh database named scoreboard_bench_<hex> on the configured server (made and dropped as the tests do theirs),
 * with this checkout's schema; `migrate: false` leaves it empty (for another version of the service to migrate).
 */
export async function createBenchDatabase(serverUrl: string, { migrate = true } = {}): Promise<BenchDatabase> {
  const { name, url } = await createScratchDatabase(serverUrl, 'bench');
  const dataSource = await new DataSource(dataSourceOptions({ url, poolSize: 2, migrationsRun: migrate })).initialize();
  return {
    url,
    name,
    async seed(count) {
      await seedUsers(dataSource, count);
      // Vacuumed too: autovacuum would otherwise visit the 1M fresh rows (and their ledger rows) mid-measurement
      await dataSource.query('VACUUM ANALYZE');
      // The seed's dirty pages written out now, not by a checkpoint in the middle of a measurement
      await dataSource.query('CHECKPOINT');
    },
    query: (sql, params) => dataSource.query(sql, params),
    async drop() {
      await dataSource.destroy().catch(() => undefined);
      await dropDatabase(serverUrl, name);
    },
  };
}
