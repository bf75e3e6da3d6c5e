import { baselineSubmissions } from './baseline';
import { createBenchDatabase } from './database';
import { feedDelay } from './feed-delay';
import { boot, Context, elsewhere, load, rankIndexComplete, submissions, warmUp } from './measure';
import { now } from './proc';
import { num, Row } from './report';
import { startService } from './service';

const ratio = (a: number, b: number) => (b ? a / b : NaN);

/**
 * `feedUsers` players in a database of their own, either seeded before the service boots or inserted by the seed's
 * INSERT … SELECT generate_series through another connection while it runs (then: until the rank index holds them
 * all); then rank reads (GET /api/users/{id}) and submissions, as at boot.
 */
async function atScale(ctx: Context, when: 'before' | 'outside') {
  const users = ctx.options.feedUsers;
  const db = await createBenchDatabase(ctx.options.databaseUrl);
  const target = elsewhere(ctx, db, `feed-${when}`);
  try {
    if (when === 'before') await db.seed(users);
    const service = await startService(target.env);
    try {
      await rankIndexComplete(target);
      const imported = { importMs: NaN, completeMs: NaN };
      if (when === 'outside') {
        const started = now();
        await db.seed(users);
        imported.importMs = now() - started;
        await rankIndexComplete(target);
        imported.completeMs = now() - started;
      }
      await warmUp(target, service, users);
      const ranks = await load(target, service.url, 'rank', users);
      const submitted = await submissions(target, service, users);
      ctx.log(`${users} players ${when}: ranks ${JSON.stringify(ranks)}; import ${JSON.stringify(imported)}`);
      return { ranks, submitted, ...imported };
    } finally {
      await service.stop();
    }
  } finally {
    await db.drop();
  }
}

/** The change feed's rows (issue 9): outside imports vs seeded, the feed's delay, and submissions with vs without it. */
export async function measureFeed(ctx: Context): Promise<{ rows: Row[]; extra: Record<string, unknown> }> {
  const { options } = ctx;
  ctx.log(`feed: delay of outside changes under ~${options.feedRate} submissions/s; submissions with the feed`);
  const service = await boot(ctx);
  const withFeed = await submissions(ctx, service);
  const delay = await feedDelay(ctx, service);
  await service.stop();
  const without = options.baseline ? await baselineSubmissions(ctx, options.baseline) : undefined;
  const scale = options.feedUsers ? { before: await atScale(ctx, 'before'), outside: await atScale(ctx, 'outside') } : undefined;

  const rows: Row[] = [];
  if (scale) rows.push(...scaleRows(ctx, scale.before, scale.outside));
  const background = `~${num(delay.background)} submissions/s, ${delay.samples} samples`;
  for (const [what, d] of [
    ['rank exact', delay.rank],
    ['push', delay.push],
  ] as const)
    rows.push({
      figure: `commit → ${what} p50 / p99, outside UPDATE of the leader, ${background}`,
      value: `${num(d.p50, 1)} / ${num(d.p99, 1)} ms`,
      limit: '—',
      ratio: '—',
      target: 'p99 ≤ 1,000 ms, none missing',
      met: d.p99 <= 1000 && d.missing === 0,
    });
  if (without) {
    const r = ratio(withFeed.rps, without.rps);
    rows.push({
      figure: `submissions/s with the feed ÷ without (baseline ${options.baseline}), ${options.connections} connections`,
      value: `${num(withFeed.rps)} (p50 / p99 ${withFeed.p50} / ${withFeed.p99} ms)`,
      limit: `${num(without.rps)} (p50 / p99 ${without.p50} / ${without.p99} ms)`,
      ratio: num(r, 2),
      target: '≥ 0.9',
      met: r >= 0.9,
    });
  }
  const notes = [
    `feed delay samples missing (never exact / never pushed within 5 s): ${delay.rank.missing} / ${delay.push.missing}; the service's change_feed_delay_seconds over them: p50 ≤ ${num(delay.feedHistogramMs.p50)} ms, p99 ≤ ${num(delay.feedHistogramMs.p99)} ms (bucket bounds)`,
    ...(scale
      ? [
          `${options.feedUsers} players inserted outside (the seed's INSERT … SELECT generate_series, then ANALYZE) in ${num(scale.outside.importMs / 1000, 1)} s; the rank index held them all ${num(scale.outside.completeMs / 1000, 1)} s after the import began`,
        ]
      : []),
  ];
  return { rows, extra: { feed: { withFeed, without, delay, scale }, notes } };
}

type Scale = Awaited<ReturnType<typeof atScale>>;

function scaleRows(ctx: Context, before: Scale, outside: Scale): Row[] {
  const n = ctx.options.feedUsers;
  const pairs = [
    [`GET /api/users/{id}/s (rank reads), ${n} players inserted outside the running service`, before.ranks, outside.ranks],
    [`score submissions/s, ${n} players inserted outside the running service`, before.submitted, outside.submitted],
  ] as const;
  return pairs.map(([figure, b, o]) => ({
    figure,
    value: `${num(o.rps)} (p50 / p99 ${o.p50} / ${o.p99} ms)`,
    limit: `seeded before boot ${num(b.rps)} (p50 / p99 ${b.p50} / ${b.p99} ms)`,
    ratio: num(ratio(o.rps, b.rps), 2),
    target: '≥ 0.8',
    met: ratio(o.rps, b.rps) >= 0.8,
  }));
}
