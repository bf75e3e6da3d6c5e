import { RankIndex } from '../../src/ranking/rank-index';
import { TestContext } from './fixture';
import { sqlRanks } from './sql-order';
import { waitUntil } from './wait';

/** Each user's rank as the Redis rank index alone answers it (undefined where it cannot), reflecting every commit so far. */
export async function indexRanks(t: TestContext, ids: number[]): Promise<Map<number, number | undefined>> {
  const [{ as_of }] = await t.db.query<{ as_of: string }>('SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS as_of');
  const index = t.app.get(RankIndex);
  const ranks = new Map<number, number | undefined>();
  for (const id of ids) {
    const rank = await index.rankOf(id, BigInt(as_of));
    ranks.set(id, rank === undefined ? undefined : rank + 1);
  }
  return ranks;
}

/** Waits until the rank index alone answers every given user's rank (all users by default) exactly as SQL. */
export async function expectIndexEqualsSql(t: TestContext, ids?: number[], timeoutMs = 15_000): Promise<void> {
  const sql = await sqlRanks(t.db);
  const sample = ids ?? [...sql.keys()];
  let wrong: unknown[] = [];
  await waitUntil(
    'the rank index to equal SQL',
    async () => {
      const index = await indexRanks(t, sample);
      wrong = sample.filter((id) => index.get(id) !== sql.get(id)).map((id) => ({ id, index: index.get(id), sql: sql.get(id) }));
      return wrong.length === 0;
    },
    timeoutMs,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; first differences: ${JSON.stringify(wrong.slice(0, 5))}`);
  });
}
