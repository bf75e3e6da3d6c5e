import { TestDatabase } from './database';

/** Every user's rank as SQL computes it with the contract's order, keyed by id. */
export async function sqlRanks(db: TestDatabase): Promise<Map<number, number>> {
  const rows = await db.query<{ id: string; rank: string }>('SELECT id, row_number() OVER (ORDER BY score DESC, updated_at ASC, id ASC) AS rank FROM users');
  return new Map(rows.map((r) => [Number(r.id), Number(r.rank)]));
}

/** Ids in the contract's rank order. */
export async function rankedIds(db: TestDatabase): Promise<number[]> {
  const rows = await db.query<{ id: string }>('SELECT id FROM users ORDER BY score DESC, updated_at ASC, id ASC');
  return rows.map((r) => Number(r.id));
}
