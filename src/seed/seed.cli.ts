import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../database/data-source-options';
import { DEFAULT_EMBEDDED_DATA_DIR, startEmbeddedPostgres } from '../embedded/embedded-postgres';
import { seedUsers } from './seed-users';

/** `npm run seed -- --users 100000 [--max-score 100000]`: DATABASE_URL, or the embedded database (app stopped). */
function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

async function main(): Promise<void> {
  const users = option('users', 1000);
  const maxScore = option('max-score', 100_000);
  // PGlite allows one process per data folder: seeding it needs the dev server stopped
  const embedded = process.env.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres(process.env.EMBEDDED_DATA_DIR || DEFAULT_EMBEDDED_DATA_DIR);
  // Initialising applies pending migrations, so seeding works on a database the app never started on
  const dataSource = await new DataSource(dataSourceOptions({ url: process.env.DATABASE_URL ?? embedded!.url, poolSize: 1 })).initialize();
  try {
    const started = Date.now();
    const { inserted, total } = await seedUsers(dataSource, users, { maxScore });
    process.stdout.write(`seeded ${inserted} users in ${Date.now() - started} ms (${total} in total)\n`);
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`seed failed: ${error.message}\n`);
  process.exit(1);
});
