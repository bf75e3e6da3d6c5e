import { connectSocket, emitWithAck, nextEvent } from '../../test/support/socket';
import { waitUntil } from '../../test/support/wait';
import { Context, loadArgs, loadEnv } from './measure';
import { now, percentile, sleep, spawnScript, stop } from './proc';
import { Service } from './service';

type Board = { data: { id: number; score: number }[] };
const TIMEOUT_MS = 5000;
const applied = (metrics: Map<string, number>) => metrics.get('score_submissions_total{outcome="applied"}') ?? 0;

/** Polls GET /api/users/{id} until it answers rank 1 with `score`: the time it did, NaN if it never did in time. */
async function rankExact(url: string, id: number, score: number): Promise<number> {
  const deadline = now() + TIMEOUT_MS;
  while (now() < deadline) {
    const user = (await (await fetch(`${url}/api/users/${id}`)).json()) as { rank?: number; score?: number };
    if (user.rank === 1 && user.score === score) return now();
    await sleep(1);
  }
  return NaN;
}

/** Bucket upper bound (seconds) under which a share `q` of the observations made between two scrapes fall. */
function histogramQuantile(before: Map<string, number>, after: Map<string, number>, name: string, q: number): number {
  const buckets = [...after]
    .filter(([key]) => key.startsWith(`${name}_bucket{`))
    .map(([key, value]) => [Number(/le="([^"]+)"/.exec(key)![1]), value - (before.get(key) ?? 0)])
    .sort((a, b) => a[0] - b[0]);
  const total = buckets.at(-1)?.[1] ?? 0;
  return total ? buckets.find(([, count]) => count >= q * total)![0] : NaN;
}

const summary = (values: number[]) => ({
  p50: percentile(values.filter(Number.isFinite), 50),
  p99: percentile(values.filter(Number.isFinite), 99),
  missing: values.filter((v) => !Number.isFinite(v)).length,
});

/**
 * The feed's delay for changes made outside the service, under a rate-limited background of submissions: each
 * sample makes one player the new leader with an `UPDATE` in SQL, then times commit → a GET of that player answering
 * rank 1, and commit → a Socket.IO viewer of `leaderboard` receiving a board with that score. One sample at a time.
 */
export async function feedDelay(ctx: Context, service: Service) {
  const { options } = ctx;
  const viewer = await connectSocket(service.url, ctx.token({ sub: '1' }));
  await emitWithAck(viewer, 'subscribe', { room: 'leaderboard' });
  const background = spawnScript('load-http.ts', loadArgs(ctx, service.url, 'submit', 3600, options.feedRate), loadEnv(ctx, options.users));
  const [rank, push]: number[][] = [[], []];
  try {
    const flowing = await service.metrics();
    await waitUntil('background submissions', async () => applied(await service.metrics()) > applied(flowing), 60_000, 200);
    await sleep(1000); // the background load settles
    const before = await service.metrics();
    const started = now();
    for (let i = 0; i < options.feedSamples; i++) {
      await sleep(200);
      const id = 1 + Math.floor(Math.random() * options.users);
      // +1000: background submissions (≤ 100 points each) cannot overtake it meanwhile
      const [{ top }] = await ctx.db.query<{ top: string }>('SELECT max(score) AS top FROM users');
      const score = Number(top) + 1000;
      const pushed = nextEvent<Board>(viewer, 'leaderboard:update', TIMEOUT_MS, (b) =>
        b.data.some((e) => e.id === id && e.score >= score),
      ).then(now, () => NaN);
      await ctx.db.query('UPDATE users SET score = $2, updated_at = now() WHERE id = $1', [id, score]);
      const committed = now();
      const [ranked, received] = await Promise.all([rankExact(service.url, id, score), pushed]);
      rank.push(ranked - committed);
      push.push(received - committed);
    }
    const after = await service.metrics();
    const feed = [0.5, 0.99].map((q) => histogramQuantile(before, after, 'change_feed_delay_seconds', q) * 1000);
    const result = {
      samples: options.feedSamples,
      rank: summary(rank),
      push: summary(push),
      background: (applied(after) - applied(before)) / ((now() - started) / 1000),
      feedHistogramMs: { p50: feed[0], p99: feed[1] },
    };
    ctx.log(`feed delay: ${JSON.stringify(result)}`);
    return result;
  } finally {
    viewer.close();
    await stop(background);
  }
}
