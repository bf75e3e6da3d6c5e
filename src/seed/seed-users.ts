/** Anything that runs SQL with $n parameters: a `pg` Client or Pool, a TypeORM DataSource wrapper, PGlite. */
export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export interface SeedOptions {
  /** Highest score a seeded player gets (scores are spread 0…maxScore). */
  maxScore?: number;
  /** Name prefix; seeded users are "<prefix> <n>". */
  prefix?: string;
}

export interface SeedResult {
  inserted: number;
  total: number;
}

/**
 * Makes sure `count` seeded players ("<prefix> 1" … "<prefix> <count>") exist: set-based inserts of up to
 * 50k rows per statement (generate_series, no round trip per user). Like any import, the change feed's trigger
 * records each starting score in the ledger, so score = sum(points) holds, and ranks and the board follow.
 * Idempotent: a second run with the same count adds nothing, a larger count adds only the missing players.
 */
export async function seedUsers(
  db: SqlRunner,
  count: number,
  { maxScore = 100_000, prefix = 'Player' }: SeedOptions = {},
): Promise<SeedResult> {
  const chunk = 50_000;
  const start = await nextNumber(db, prefix);
  for (let from = start; from <= count; from += chunk) {
    await db.query(SEED_CHUNK_SQL, [from, Math.min(count, from + chunk - 1), prefix, maxScore]);
  }
  return { inserted: Math.max(0, count - start + 1), total: await userCount(db) };
}

const SEED_CHUNK_SQL = `
INSERT INTO users (name, score, created_at, updated_at)
SELECT $3::text || ' ' || g, (hashtext($3::text || g)::bigint & 2147483647) % ($4::bigint + 1),
       now() - make_interval(secs => g % 86400), now() - make_interval(secs => g % 86400)
  FROM generate_series($1::bigint, $2::bigint) AS g`;

async function nextNumber(db: SqlRunner, prefix: string): Promise<number> {
  const rows = rowsOf(
    await db.query(
      `SELECT coalesce(max(substring(name FROM '\\d+$')::bigint), 0) + 1 AS n FROM users WHERE name ~ ('^' || $1 || ' \\d+$')`,
      [prefix],
    ),
  );
  return Number(rows[0].n);
}

async function userCount(db: SqlRunner): Promise<number> {
  return Number(rowsOf(await db.query('SELECT count(*) AS n FROM users'))[0].n);
}

/** pg and PGlite return `{ rows }`; TypeORM's DataSource.query returns the rows themselves. */
function rowsOf(result: unknown): Record<string, unknown>[] {
  return Array.isArray(result) ? (result as Record<string, unknown>[]) : (result as { rows: Record<string, unknown>[] }).rows;
}
