import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions } from '../database/data-source-options';
import { seedDemoUsers } from '../seed/demo-users';
import { EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';

export interface EmbeddedMode {
  config: AppConfig;
  database: EmbeddedPostgres;
  /** What to log once the app's logger is up. */
  notes: string[];
}

/**
 * The dev mode without DATABASE_URL: starts PGlite, applies the migrations and adds the demo players
 * before the app boots (so its first snapshot already shows them), and points the config at it.
 */
export async function startEmbeddedMode(config: AppConfig, dataDir: string | undefined): Promise<EmbeddedMode> {
  // parseConfig already refuses this; the check keeps the code path closed even if that ever changes
  if (config.production || config.databaseUrl)
    throw new Error('The embedded database is for development only (DATABASE_URL unset, NODE_ENV not production)');
  const database = await startEmbeddedPostgres(dataDir);
  const notes = [
    `DEVELOPMENT MODE: embedded PostgreSQL (PGlite), data in ${database.location === 'memory' ? 'memory (lost on exit)' : database.location}`,
  ];
  try {
    const dataSource = await new DataSource(
      dataSourceOptions({ url: database.url, poolSize: 1, migrationsRun: config.migrationsRun }),
    ).initialize();
    const added = await seedDemoUsers(dataSource).finally(() => dataSource.destroy());
    await database.idle();
    if (added) notes.push(`Empty database: added ${added} demo players`);
  } catch (error) {
    await database.stop();
    throw error;
  }
  // PGlite serves one connection at a time: no LISTEN connection beside the pool, the feed polls instead
  const changeFeed = { ...config.changeFeed, listen: false, pollMs: Math.min(config.changeFeed.pollMs, 200) };
  return { config: { ...config, databaseUrl: database.url, dbPoolSize: 1, changeFeed }, database, notes };
}
