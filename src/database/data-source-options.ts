import { DataSourceOptions } from 'typeorm';
import { CreateUsersAndLedger1764201600000 } from './migrations/1764201600000-create-users-and-ledger';
import { ChangeFeed1764800000000 } from './migrations/1764800000000-change-feed';
import { LimitUserIds1796083200000 } from './migrations/1796083200000-limit-user-ids';
import { CreateBoards1765000000000 } from './migrations/1765000000000-create-boards';
import { BoardChangeFeed1765100000000 } from './migrations/1765100000000-board-change-feed';
import { Moderation1796100000000 } from './migrations/1796100000000-moderation';

export interface DatabaseSettings {
  url: string;
  poolSize?: number;
  migrationsRun?: boolean;
}

/** One definition of the connection, shared by the app and the TypeORM CLI (ormconfig.ts). */
export function dataSourceOptions({ url, poolSize = 8, migrationsRun = true }: DatabaseSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    // The schema is the hand-written SQL migrations; queries are SQL too, so no entity metadata (it could only drift)
    entities: [],
    migrations: [
      CreateUsersAndLedger1764201600000,
      ChangeFeed1764800000000,
      CreateBoards1765000000000,
      BoardChangeFeed1765100000000,
      LimitUserIds1796083200000,
      Moderation1796100000000,
    ],
    migrationsRun,
    migrationsTransactionMode: 'each',
    synchronize: false,
    // Small pool: PostgreSQL's throughput here peaks near 8 connections and halves at 64.
    poolSize,
    extra: {
      // Fail fast (→ 503) instead of queueing behind a dead database.
      connectionTimeoutMillis: 2000,
      query_timeout: 10_000,
      keepAlive: true,
    },
  };
}
