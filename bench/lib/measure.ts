import { createClient } from 'redis';
import { waitUntil } from '../../test/support/wait';
import { BenchDatabase } from './database';
import { BenchOptions } from './options';
import { PgbenchResult } from './pgbench';
import { nextMessage, now, runScript, spawnScript, stop } from './proc';
import { measurePush } from './push';
import { Service, startService } from './service';

export interface Context {
  options: BenchOptions;
  db: BenchDatabase;
  env: Record<string, string>;
  pgbench: PgbenchResult;
  redis: ReturnType<typeof createClient>;
  prefix: string;
  log: (message: string) => void;
  token: (claims: object) => string;
  /** The built service to boot (default: this checkout's dist/main.js; the baseline's for `--baseline`). */
  mainJs?: string;
  /** The rank index's key layout: the change feed's (default), or the one before it (the baseline). */
  rankIndex?: 'feed' | 'legacy';
}

/** The same measurements against another database (and its own Redis prefix, under this run's). */
export function elsewhere(ctx: Context, db: BenchDatabase, name: string, more: Partial<Context> = {}): Context {
  const prefix = `${ctx.prefix}${name}:`;
  return { ...ctx, db, prefix, env: { ...ctx.env, DATABASE_URL: db.url, REDIS_PREFIX: prefix }, ...more };
}

export interface Load {
  rps: number;
  /** 2xx answers in the whole run. */
  ok: number;
  /** 304 answers per second (conditional GETs). */
  notModifiedRps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

export function load(
  ctx: Context,
  url: string,
  mode: LoadMode,
  users = ctx.options.users,
  seconds = ctx.options.duration,
  extraEnv: Record<string, string> = {},
): Promise<Load> {
  const rate = Number(extraEnv.BENCH_RATE) || undefined;
  return runScript<Load>('load-http.ts', loadArgs(ctx, url, mode, seconds, rate), { ...loadEnv(ctx, users), ...extraEnv });
}

/** `submit` posts scores, `board` posts to boards, `get` reads the board, `rank` reads random players (their rank); `rate` caps requests/s. */
export type LoadMode = 'submit' | 'board' | 'get' | 'rank' | 'conditional';
export const loadArgs = (ctx: Context, url: string, mode: LoadMode, seconds: number, rate?: number) => [
  url,
  mode,
  String(ctx.options.connections),
  String(seconds),
  ...(rate ? [String(rate)] : []),
];
export const loadEnv = (ctx: Context, users: number) => ({ BENCH_JWT_SECRET: ctx.env.JWT_SECRET, BENCH_USERS: String(users) });

/** Boots the service, waits until the rank index holds every player (rebuilt at boot), and warms the JIT up. */
export async function boot(ctx: Context, env: Record<string, string> = {}, users = ctx.options.users): Promise<Service> {
  const service = await startService({ ...ctx.env, ...env }, ctx.mainJs);
  await rankIndexComplete(ctx);
  await warmUp(ctx, service, users);
  return service;
}

export const warmUp = (ctx: Context, service: Service, users = ctx.options.users) => load(ctx, service.url, 'submit', users, 3);

/**
 * Waits until the rank index has a position and holds every player of the database (one members-hash field each).
 * Before the feed (the baseline) the index said so with `rank:ready` and kept its members in `rank:members`.
 */
export async function rankIndexComplete(ctx: Context): Promise<void> {
  const [{ count }] = await ctx.db.query<{ count: string }>('SELECT count(*) AS count FROM users');
  const [ready, members] =
    ctx.rankIndex === 'legacy' ? ['rank:ready', 'rank:members'] : ['rank:{ranks}:position', 'rank:{ranks}:global:members'];
  const complete = async () =>
    (await ctx.redis.exists(ctx.prefix + ready)) > 0 && Number(await ctx.redis.hLen(ctx.prefix + members)) >= Number(count);
  await waitUntil(`the rank index to hold ${count} players`, complete, 600_000, 200);
}

const metric = (m: Map<string, number>, name: string) => m.get(name) ?? 0;

export async function submissions(ctx: Context, service: Service, users?: number) {
  const before = await service.metrics();
  const result = await load(ctx, service.url, 'submit', users);
  const after = await service.metrics();
  const applied =
    metric(after, 'score_submissions_total{outcome="applied"}') - metric(before, 'score_submissions_total{outcome="applied"}');
  const refreshes = metric(after, 'leaderboard_refreshes_total') - metric(before, 'leaderboard_refreshes_total');
  const cpuMs = cpuMsPer(before, after, applied);
  ctx.log(`submissions: ${JSON.stringify(result)}; applied ${applied}, top-10 queries ${refreshes}, ${cpuMs.toFixed(3)} CPU ms each`);
  return { ...result, applied, refreshes, cpuMs };
}

/** GET /api/leaderboard under load, with the service's CPU time per answered read (one process: WORKERS=1). */
export async function reads(ctx: Context, service: Service) {
  const before = await service.metrics();
  const result = await load(ctx, service.url, 'get');
  const cpuMs = cpuMsPer(before, await service.metrics(), result.ok);
  return { ...result, cpuMs };
}

/** The service process's CPU milliseconds (user + system, from /metrics) per unit of work done between two scrapes. */
function cpuMsPer(before: Map<string, number>, after: Map<string, number>, units: number): number {
  return ((metric(after, 'process_cpu_seconds_total') - metric(before, 'process_cpu_seconds_total')) * 1000) / Math.max(1, units);
}

export async function bareHttp(ctx: Context, snapshot: string): Promise<Load> {
  const key = `${ctx.prefix}bench:snapshot`;
  await ctx.redis.set(key, snapshot);
  const child = spawnScript('bare-http.ts', [ctx.options.redisUrl, key]);
  try {
    const { port } = await nextMessage<{ port: number }>(child, 'ready');
    return await runScript<Load>('load-http.ts', loadArgs(ctx, `http://127.0.0.1:${port}`, 'get', ctx.options.duration));
  } finally {
    await stop(child);
  }
}

export async function push(ctx: Context, service: Service, snapshot: { data: { id: number; score: number }[] }) {
  const { options } = ctx;
  const topIds = snapshot.data.map((e) => e.id);
  const backend = ctx.token({ scope: 'scores:write' });
  const viewerToken = ctx.token({ sub: '1' });
  const submitToService = async (id: number) => {
    const response = await fetch(`${service.url}/api/users/${id}/score`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${backend}` },
      body: '{"score":1}',
    });
    const body = (await response.json()) as { score: number };
    return response.ok ? ([id, body.score, now()] as [number, number, number]) : undefined;
  };
  const bare = spawnScript('bare-socket.ts', [], { BENCH_SNAPSHOT: JSON.stringify(snapshot) });
  const { port } = await nextMessage<{ port: number }>(bare, 'ready');
  const bareUrl = `http://127.0.0.1:${port}`;
  const scores = new Map(snapshot.data.map((e) => [e.id, e.score]));
  const submitToBare = async (id: number) => {
    const score = scores.get(id)! + 1;
    scores.set(id, score);
    const { at } = (await (await fetch(`${bareUrl}/emit?id=${id}&score=${score}`, { method: 'POST' })).json()) as { at: number };
    return [id, score, at] as [number, number, number];
  };
  try {
    const stream = {
      viewers: options.viewers,
      rate: options.pushRate,
      seconds: Math.min(options.duration, 10),
      topIds,
      token: viewerToken,
    };
    const streamService = await measurePush({ ...stream, url: service.url, submit: submitToService });
    ctx.log(`push, service: ${JSON.stringify(streamService)}`);
    const streamBare = await measurePush({ ...stream, url: bareUrl, submit: submitToBare });
    ctx.log(`push, bare: ${JSON.stringify(streamBare)}`);
    const spaced = { viewers: options.broadcastViewers, count: 30, gapMs: 300, topIds, token: viewerToken };
    let rss = [0, 0];
    const rssNow = async () => metric(await service.metrics(), 'process_resident_memory_bytes');
    const before = await rssNow();
    const broadcastService = await measurePush({
      ...spaced,
      url: service.url,
      submit: submitToService,
      onConnected: async () => void (rss = [before, await rssNow()]),
    });
    ctx.log(`broadcast, service: ${JSON.stringify(broadcastService)}; rss ${rss.join(',')}`);
    const broadcastBare = await measurePush({ ...spaced, url: bareUrl, submit: submitToBare });
    ctx.log(`broadcast, bare: ${JSON.stringify(broadcastBare)}`);
    return { streamService, streamBare, broadcastService, broadcastBare, bytesPerViewer: (rss[1] - rss[0]) / options.broadcastViewers };
  } finally {
    await stop(bare);
  }
}
