import { TestDatabase } from './database';

export interface LedgerState {
  ledgerRows: number;
  totals: { id: number; score: number }[];
}

/** Everything a rejected request must leave untouched: the ledger row count and every user's total. */
export async function ledgerState(db: TestDatabase): Promise<LedgerState> {
  const [{ n }] = await db.query<{ n: string }>('SELECT count(*) AS n FROM score_events');
  const totals = await db.query<{ id: string; score: string }>('SELECT id, score FROM users ORDER BY id');
  return { ledgerRows: Number(n), totals: totals.map((row) => ({ id: Number(row.id), score: Number(row.score) })) };
}
