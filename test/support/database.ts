import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** Server the tests create their databases on; the shared local PostgreSQL by default. */
export const ADMIN_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  name: string;
  /** Runs SQL on the test database (one connection, opened on first use). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Drops the database (again: a no-op). */
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

/** Names this code gives its scratch databases: nothing else may ever be dropped. */
const SCRATCH_NAME = /^scoreboard_(test|bench)_[0-9a-f]+$/;

/** Drops a scratch database, cutting its connections; refuses any name not made by createScratchDatabase. */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  if (!SCRATCH_NAME.test(name)) throw new Error(`refusing to drop database ${name}: not a scratch database`);
  await withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** Creates an empty database `scoreboard_<purpose>_<hex>` on the server and returns its name and URL. */
export async function createScratchDatabase(serverUrl: string, purpose: 'test' | 'bench'): Promise<{ name: string; url: string }> {
  const name = `scoreboard_${purpose}_${randomBytes(6).toString('hex')}`;
  await withClient(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

/** A fresh, empty database for one test file; `drop()` removes it. */
export async function createTestDatabase(serverUrl = ADMIN_DATABASE_URL): Promise<TestDatabase> {
  const { name, url } = await createScratchDatabase(serverUrl, 'test');
  let client: Promise<Client> | undefined;
  const connect = async () => {
    const c = new Client({ connectionString: url });
    // The server went away (a fault test restarting it): the next query connects afresh
    c.on('error', () => (client = undefined));
    await c.connect();
    return c;
  };
  return {
    url,
    name,
    async query<T>(sql: string, params?: unknown[]) {
      const result = await (await (client ??= connect())).query(sql, params);
      return result.rows as T[];
    },
    async drop() {
      await client?.then((c) => c.end()).catch(() => undefined);
      client = undefined;
      await dropDatabase(serverUrl, name);
    },
  };
}
