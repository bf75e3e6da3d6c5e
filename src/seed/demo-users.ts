import { SqlRunner } from './seed-users';

/** The players an empty dev database starts with, so the board has something to show. */
export const DEMO_USERS: ReadonlyArray<[name: string, score: number]> = [
  ['Marcus', 1200],
  ['Ada', 1150],
  ['Linus', 990],
  ['Grace', 870],
  ['Alan', 760],
  ['Margaret', 640],
  ['Dennis', 520],
  ['Barbara', 410],
  ['Ken', 300],
  ['Frances', 180],
  ['Edsger', 90],
  ['Radia', 40],
];

/** Inserts the demo players only when `users` is empty (the feed's trigger ledgers their scores); returns how many. */
export async function seedDemoUsers(db: SqlRunner): Promise<number> {
  const result = await db.query(
    `INSERT INTO users (name, score)
     SELECT name, score FROM unnest($1::text[], $2::bigint[]) AS t(name, score)
      WHERE NOT EXISTS (SELECT 1 FROM users)
     RETURNING id`,
    [DEMO_USERS.map(([name]) => name), DEMO_USERS.map(([, score]) => score)],
  );
  return Array.isArray(result) ? result.length : ((result as { rows: unknown[] }).rows?.length ?? 0);
}
