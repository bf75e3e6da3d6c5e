import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** Server the tests create their databases on; the shared local PostgreSQL by default. */
export const ADMIN_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  name: string;
  /** Runs SQL on the test database (own short-lived connection). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database for one test file; `drop()` removes it. */
export async function createTestDatabase(serverUrl = ADMIN_DATABASE_URL): Promise<TestDatabase> {
  const name = `scoreboard_test_${randomBytes(6).toString('hex')}`;
  // Refuse to touch anything that is not plainly a test database
  if (!name.includes('test')) throw new Error(`refusing to use database ${name}`);
  await withClient(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let pool: Client | undefined;
  return {
    url: url.toString(),
    name,
    async query<T>(sql: string, params?: unknown[]) {
      if (!pool) {
        pool = new Client({ connectionString: url.toString() });
        await pool.connect();
      }
      return (await pool.query(sql, params)).rows as T[];
    },
    async drop() {
      await pool?.end().catch(() => undefined);
      await withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
