import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';

/** Typed, validated configuration: built once from the environment at boot (contract §1). */
export interface AppConfig {
  production: boolean;
  port: number;
  /** Unset: the embedded PostgreSQL (PGlite) of the dev mode. */
  databaseUrl?: string;
  /** Unset: in-process cache and broadcasting (single instance, dev only). */
  redisUrl?: string;
  /** REDIS_CLUSTER=true: the seed nodes of a Redis Cluster (REDIS_URL split at commas). */
  redisClusterNodes?: string[];
  /** Prefix of every Redis key and channel, so several deployments (or tests) can share one Redis. */
  redisPrefix: string;
  jwt: {
    secret?: string;
    publicKey?: string;
    /** An identity provider's JWKS endpoint: RS256/ES256 tokens verified with the key named by their `kid`. */
    jwksUrl?: string;
    issuer?: string;
    audience?: string;
    /** True when the secret was generated at boot (dev mode only). */
    secretGenerated: boolean;
  };
  scoreMaxIncrement: number;
  scoreRateLimit: number;
  /** Unauthenticated requests, and Socket.IO connection attempts, per client IP per minute (0 = no limit). */
  ipRateLimit: number;
  devTokens: boolean;
  migrationsRun: boolean;
  dbPoolSize: number;
  /** Most submissions committed together (group commit: global's queue, and the other boards'); 1 = one transaction per submission. */
  scoreBatchMax: number;
  /** Batches committing at once per queue (each on its own connection); rows are locked in key order, so they cannot deadlock. */
  scoreBatchConcurrency: number;
  changeFeed: {
    /** Wake on NOTIFY through a dedicated connection (the embedded PGlite serves one connection: it polls instead). */
    listen: boolean;
    /** Safety-net poll of the feed's position (cheap: an index range scan, no table scan). */
    pollMs: number;
    /** Outbox rows are kept this long after every instance has read them; a consumer further behind rebuilds. */
    retentionMs: number;
  };
  corsOrigins: string[];
  /** Trust X-Forwarded-For (only behind a proxy that sets it, or clients pick their own IP). */
  trustProxy: boolean;
  logLevel: string;
  /** Server processes on this machine (node:cluster), each a full instance on the same port; 1 = no cluster. */
  workers: number;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function fail(name: string, why: string): never {
  throw new ConfigError(`Invalid configuration: ${name} ${why}`);
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) fail(name, `must be an integer, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) fail(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  return fail(name, `must be true or false, got "${env[name]}"`);
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  let protocol: string;
  try {
    protocol = new URL(raw).protocol;
  } catch {
    return fail(name, 'is not a valid URL');
  }
  if (!protocols.includes(protocol)) fail(name, `must use ${protocols.join(' or ')}`);
  return raw;
}

/** REDIS_CLUSTER=true: REDIS_URL lists the cluster's seed nodes, each a redis(s):// URL. */
function redisNodes(env: Env): { redisUrl?: string; redisClusterNodes?: string[] } {
  const cluster = boolean(env, 'REDIS_CLUSTER', false);
  if (!cluster) {
    if (env.REDIS_URL?.includes(',')) fail('REDIS_URL', 'lists several nodes: set REDIS_CLUSTER=true for a Redis Cluster');
    return { redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']) };
  }
  const nodes = (env.REDIS_URL ?? '')
    .split(',')
    .map((node) => node.trim())
    .filter(Boolean);
  if (!nodes.length) fail('REDIS_URL', 'must list the seed nodes when REDIS_CLUSTER=true');
  nodes.forEach((node) => url({ REDIS_URL: node }, 'REDIS_URL', ['redis:', 'rediss:']));
  // the service's hash tags ({ranks}, {leaderboard}, a rate key's) must be the first braces of every key
  if (/[{}]/.test(env.REDIS_PREFIX ?? '')) fail('REDIS_PREFIX', 'must not contain { or } when REDIS_CLUSTER=true');
  return { redisUrl: env.REDIS_URL, redisClusterNodes: nodes };
}

/** WORKERS: `auto` = one per core; more than one needs PostgreSQL and Redis shared by the processes. */
function workers(env: Env, shared: boolean): number {
  const count = env.WORKERS?.toLowerCase() === 'auto' ? availableParallelism() : integer(env, 'WORKERS', 1, 1, 256);
  if (count > 1 && !shared) fail('WORKERS', 'must be 1 without DATABASE_URL and REDIS_URL (the embedded mode is single-process)');
  return count;
}

/** Parses and validates the environment; throws a one-line ConfigError naming the bad variable. */
export function parseConfig(env: Env): AppConfig {
  const production = env.NODE_ENV === 'production';
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const { redisUrl, redisClusterNodes } = redisNodes(env);
  const embedded = !databaseUrl && !redisUrl;
  const publicKey = env.JWT_PUBLIC_KEY?.replace(/\\n/g, '\n') || undefined;
  const jwksUrl = url(env, 'JWT_JWKS_URL', ['https:', 'http:']);
  let secret = env.JWT_SECRET || undefined;

  if (production) {
    if (!databaseUrl) fail('DATABASE_URL', 'is required when NODE_ENV=production');
    if (!redisUrl) fail('REDIS_URL', 'is required when NODE_ENV=production');
    if (!secret && !publicKey && !jwksUrl) fail('JWT_SECRET', '(or JWT_PUBLIC_KEY or JWT_JWKS_URL) is required when NODE_ENV=production');
    if (secret && Buffer.byteLength(secret) < 32) fail('JWT_SECRET', 'must be at least 32 bytes when NODE_ENV=production');
  }
  if (publicKey && !publicKey.includes('-----BEGIN')) fail('JWT_PUBLIC_KEY', 'must be a PEM public key');
  const devTokens = boolean(env, 'DEV_TOKENS', embedded && !production);
  if (devTokens && production) fail('DEV_TOKENS', 'must not be true when NODE_ENV=production');
  const secretGenerated = !secret && !publicKey && !jwksUrl;
  if (secretGenerated) secret = randomBytes(32).toString('base64url');
  if (devTokens && !secret) fail('DEV_TOKENS', 'needs JWT_SECRET (dev tokens are signed with HS256)');

  return {
    production,
    port: integer(env, 'PORT', 3000, 0, 65535),
    databaseUrl,
    redisUrl,
    redisClusterNodes,
    redisPrefix: env.REDIS_PREFIX || 'scoreboard:',
    jwt: { secret, publicKey, jwksUrl, issuer: env.JWT_ISSUER || undefined, audience: env.JWT_AUDIENCE || undefined, secretGenerated },
    scoreMaxIncrement: integer(env, 'SCORE_MAX_INCREMENT', 1000, 1, 1_000_000_000),
    scoreRateLimit: integer(env, 'SCORE_RATE_LIMIT', 60, 0, 1_000_000),
    ipRateLimit: integer(env, 'IP_RATE_LIMIT', 1200, 0, 1_000_000),
    devTokens,
    migrationsRun: boolean(env, 'MIGRATIONS_RUN', true),
    dbPoolSize: integer(env, 'DB_POOL_SIZE', 8, 1, 200),
    scoreBatchMax: integer(env, 'SCORE_BATCH_MAX', 256, 1, 10_000),
    scoreBatchConcurrency: integer(env, 'SCORE_BATCH_CONCURRENCY', 1, 1, 200),
    changeFeed: {
      listen: true,
      pollMs: integer(env, 'CHANGE_FEED_POLL_MS', 1000, 10, 60_000),
      retentionMs: integer(env, 'CHANGE_FEED_RETENTION_MS', 120_000, 1000, 86_400_000),
    },
    trustProxy: boolean(env, 'TRUST_PROXY', false),
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    logLevel: env.LOG_LEVEL || (production ? 'info' : 'debug'),
    workers: workers(env, Boolean(databaseUrl && redisUrl)),
  };
}
