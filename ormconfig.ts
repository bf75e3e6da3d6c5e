import { DataSource } from 'typeorm';
import { dataSourceOptions } from './src/database/data-source-options';

/** Data source for the TypeORM CLI: `npm run migration:run` (uses DATABASE_URL). */
export default new DataSource(
  dataSourceOptions({ url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', migrationsRun: false }),
);
