import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { seedUsers } from '../../src/seed/seed-users';

export interface BenchDatabase {
  url: string;
  name: string;
  /** Makes sure `count` players exist (the seed of `npm run seed`), migrating first. */
  seed(count: number): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

async function admin<T>(serverUrl: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh database named scoreboard_bench_<hex> on the configured server, dropped at the end. */
export async function createBenchDatabase(serverUrl: string): Promise<BenchDatabase> {
  const name = `scoreboard_bench_${randomBytes(4).toString('hex')}`;
  await admin(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const dataSource = await new DataSource(dataSourceOptions({ url: url.toString(), poolSize: 2 })).initialize();
  return {
    url: url.toString(),
    name,
    async seed(count) {
      await seedUsers(dataSource, count);
      await dataSource.query('ANALYZE');
    },
    query: (sql, params) => dataSource.query(sql, params),
    async drop() {
      await dataSource.destroy().catch(() => undefined);
      if (!name.includes('bench')) throw new Error(`refusing to drop ${name}`);
      await admin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
