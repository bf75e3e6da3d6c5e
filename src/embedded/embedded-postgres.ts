import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** Where the embedded database keeps its files (git-ignored); EMBEDDED_DATA_DIR=memory keeps it in memory. */
export const DEFAULT_EMBEDDED_DATA_DIR = '.data/pglite';

export interface EmbeddedPostgres {
  /** postgres:// URL of the loopback socket, for the normal `pg` driver and TypeORM. */
  url: string;
  /** Absolute data directory, or 'memory'. */
  location: string;
  /** Resolves once no client is connected (the socket serves one connection at a time). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * PGlite (PostgreSQL compiled to WASM) behind a PostgreSQL wire-protocol socket on 127.0.0.1, so the
 * app, its migrations and `npm run seed` talk to it exactly as to a real server. PGlite runs one
 * query at a time in one session, so clients must use a pool of one connection.
 */
export async function startEmbeddedPostgres(dataDir = DEFAULT_EMBEDDED_DATA_DIR, port = 0): Promise<EmbeddedPostgres> {
  const inMemory = dataDir === 'memory';
  const location = inMemory ? 'memory' : resolve(dataDir);
  if (!inMemory) mkdirSync(location, { recursive: true });
  const db = await PGlite.create(inMemory ? undefined : location);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections: 1 });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    location,
    async idle() {
      for (let i = 0; i < 100 && server.getStats().activeConnections > 0; i++) await new Promise((r) => setTimeout(r, 20));
    },
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
