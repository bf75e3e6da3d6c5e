import { createHash } from 'node:crypto';
import { TestDatabase } from './database';

/** The contract's rank order, spelled once for the tests: SQL is the oracle every board, rank and index must match. */
export const RANK_ORDER = 'score DESC, updated_at ASC, id ASC';

export interface Entry {
  id: number;
  rank: number;
  name: string;
  score: number;
}

/** Every user on the board (not banned, not erased) in rank order with 1-based ranks, as SQL computes it. */
export async function sqlBoard(db: TestDatabase, limit?: number): Promise<Entry[]> {
  const rows = await db.query<{ id: string; name: string; score: string }>(
    `SELECT id, name, score FROM users WHERE banned_at IS NULL AND erased_at IS NULL ORDER BY ${RANK_ORDER}${limit === undefined ? '' : ` LIMIT ${limit}`}`,
  );
  return rows.map((r, i) => ({ id: Number(r.id), rank: i + 1, name: r.name, score: Number(r.score) }));
}

/** The top 10 as SQL computes it: what every snapshot must converge to. */
export const sqlTop10 = (db: TestDatabase) => sqlBoard(db, 10);

/** Every user's rank, keyed by id. */
export async function sqlRanks(db: TestDatabase): Promise<Map<number, number>> {
  return new Map((await sqlBoard(db)).map((e) => [e.id, e.rank]));
}

/** Ids in rank order. */
export async function rankedIds(db: TestDatabase): Promise<number[]> {
  return (await sqlBoard(db)).map((e) => e.id);
}

/** The snapshot hash: md5 of the JSON of its data. */
export const md5 = (data: unknown) => createHash('md5').update(JSON.stringify(data)).digest('hex');
