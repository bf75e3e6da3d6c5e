import { RankIndex } from '../../src/ranking/rank-index';
import { TestApp } from './app';
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

/** Every given user's rank as the Redis rank index alone answers it (undefined where it cannot), reflecting all commits so far. */
export async function indexRanks(app: TestApp, db: TestDatabase, ids: number[]): Promise<Map<number, number | undefined>> {
  const [{ as_of }] = await db.query<{ as_of: string }>('SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS as_of');
  const index = app.app.get(RankIndex);
  const ranks = new Map<number, number | undefined>();
  for (const id of ids) {
    const rank = await index.rankOf(id, BigInt(as_of));
    ranks.set(id, rank === undefined ? undefined : rank + 1);
  }
  return ranks;
}
