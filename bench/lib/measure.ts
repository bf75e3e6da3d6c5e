import { createClient } from 'redis';
import { BenchDatabase } from './database';
import { BenchOptions } from './options';
import { PgbenchResult } from './pgbench';
import { nextMessage, now, runScript, sleep, spawnScript, stop } from './proc';
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
}

interface Load {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

export function load(
  ctx: Context,
  url: string,
  mode: 'submit' | 'get',
  users = ctx.options.users,
  seconds = ctx.options.duration,
  extraEnv: Record<string, string> = {},
): Promise<Load> {
  const env = { BENCH_JWT_SECRET: ctx.env.JWT_SECRET, BENCH_USERS: String(users), ...extraEnv };
  return runScript<Load>('load-http.ts', [url, mode, String(ctx.options.connections), String(seconds)], env);
}

/** Boots the service, waits until the rank index holds every player (rebuilt at boot), and warms the JIT up. */
export async function boot(ctx: Context, env: Record<string, string> = {}, users = ctx.options.users): Promise<Service> {
  const service = await startService({ ...ctx.env, ...env });
  const [{ count }] = await ctx.db.query<{ count: string }>('SELECT count(*) AS count FROM users');
  // The rank index (src/ranking/rank-store.ts keys): a position once built, and every player in its members hash
  const key = (name: string) => `${ctx.prefix}rank:{global}:${name}`;
  while (!(await ctx.redis.exists(key('position'))) || Number(await ctx.redis.hLen(key('members'))) < Number(count)) await sleep(200);
  await load(ctx, service.url, 'submit', users, 3);
  return service;
}

const metric = (m: Map<string, number>, name: string) => m.get(name) ?? 0;

export async function submissions(ctx: Context, service: Service, users?: number) {
  const before = await service.metrics();
  const result = await load(ctx, service.url, 'submit', users);
  const after = await service.metrics();
  const applied =
    metric(after, 'score_submissions_total{outcome="applied"}') - metric(before, 'score_submissions_total{outcome="applied"}');
  const refreshes = metric(after, 'leaderboard_refreshes_total') - metric(before, 'leaderboard_refreshes_total');
  ctx.log(`submissions: ${JSON.stringify(result)}; applied ${applied}, top-10 queries ${refreshes}`);
  return { ...result, applied, refreshes };
}

export async function bareHttp(ctx: Context, snapshot: string): Promise<Load> {
  const key = `${ctx.prefix}bench:snapshot`;
  await ctx.redis.set(key, snapshot);
  const child = spawnScript('bare-http.ts', [ctx.options.redisUrl, key]);
  try {
    const { port } = await nextMessage<{ port: number }>(child, 'ready');
    return await runScript<Load>('load-http.ts', [
      `http://127.0.0.1:${port}`,
      'get',
      String(ctx.options.connections),
      String(ctx.options.duration),
    ]);
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
