/**
 * `npm run bench -- --duration 10 --users 10000 --big-users 1000000 --connections 64 --viewers 1000 --broadcast-viewers 5000
 * --push-rate 50 --feed-users 100000 --feed-samples 60 --feed-rate 1000 --board-rate 1000 --me-watchers 10000 --me-rate 1000 --me-rounds 3
 * [--baseline e4da8d5 | --no-baseline] [--no-build] [--only http|scale|feed|boards|me]`
 */
export interface BenchOptions {
  /** Seconds per load measurement. */
  duration: number;
  users: number;
  /** Players for the "rank cost at scale" run (0 skips it). */
  bigUsers: number;
  connections: number;
  viewers: number;
  broadcastViewers: number;
  /** Submissions per second during the push-latency run (200 × 1,000 viewers saturates a 2-core machine: see docs/performance.md). */
  pushRate: number;
  /** Sockets watching `me` (each a distinct player) in the §9 bound, on the big board (0 skips it). */
  meWatchers: number;
  /** Submissions per second during the §9 bound. */
  meRate: number;
  /** Rounds of the me bound (each: without watchers, then with): its figure is the median round's. */
  meRounds: number;
  build: boolean;
  /**
   * `--only http`: only the group-commit submissions and GET /api/leaderboard (vs bare) rows; `--only scale`: those
   * plus 1 vs 2 workers, the per-IP limiter on vs off and conditional GETs; `--only feed`: only the change feed's rows;
   * `--only boards`: only the boards' rows; `--only me`: only the §9 bound (on `--users` players). For quick A/B runs;
   * bench/results/latest.md is left alone.
   */
  only?: 'http' | 'scale' | 'feed' | 'boards' | 'me';
  /** Submissions per second across a board's period boundaries. */
  boardRate: number;
  /** Players inserted outside the running service vs seeded before boot (0 skips those rows). */
  feedUsers: number;
  /** Outside changes timed commit → rank and commit → push. */
  feedSamples: number;
  /** Background submissions/s while they are timed. */
  feedRate: number;
  /** Git ref of the service before the feed, measured alongside (`--no-baseline`: undefined, skipped). */
  baseline?: string;
  databaseUrl: string;
  redisUrl: string;
}

function value(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? undefined : process.argv[index + 1];
}

function integer(name: string, fallback: number): number {
  const raw = value(name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new Error(`--${name} must be a non-negative integer`);
  return Number(raw);
}

function only(): BenchOptions['only'] {
  const raw = value('only');
  if (raw === undefined) return undefined;
  if (raw !== 'http' && raw !== 'scale' && raw !== 'feed' && raw !== 'boards' && raw !== 'me')
    throw new Error('--only must be http, scale, feed, boards or me');
  return raw;
}

/** The last commit before the change feed. */
const BEFORE_THE_FEED = 'e4da8d5';

export function parseOptions(): BenchOptions {
  return {
    duration: integer('duration', 10),
    users: integer('users', 10_000),
    bigUsers: integer('big-users', 1_000_000),
    connections: integer('connections', 64),
    viewers: integer('viewers', 1000),
    broadcastViewers: integer('broadcast-viewers', 5000),
    pushRate: integer('push-rate', 50),
    meWatchers: integer('me-watchers', 10_000),
    meRate: integer('me-rate', 1000),
    meRounds: integer('me-rounds', 3),
    build: !process.argv.includes('--no-build'),
    only: only(),
    feedUsers: integer('feed-users', 100_000),
    feedSamples: integer('feed-samples', 60),
    feedRate: integer('feed-rate', 1000),
    boardRate: integer('board-rate', 1000),
    baseline: process.argv.includes('--no-baseline') ? undefined : (value('baseline') ?? BEFORE_THE_FEED),
    databaseUrl: process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
}
